// DescribeClientQuotas: the filter checks (kafkalite keeps no quotas, and
// the shared reference has none set, so every valid filter finds nothing).
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

namespace {

DescribeClientQuotasRequest::ComponentData component(const std::string& type, int8_t match_type,
                                                     std::optional<std::string> match) {
  DescribeClientQuotasRequest::ComponentData c;
  c.entity_type = type;
  c.match_type = match_type;
  c.match = std::move(match);
  return c;
}

}  // namespace

CROSSCHECK_SCENARIO(client_quotas_describe_filters, "") {
  const std::vector<std::pair<std::string, std::vector<DescribeClientQuotasRequest::ComponentData>>> filters = {
      {"all", {}},
      {"a user", {component("user", 0, s.name("u"))}},
      {"default user", {component("user", 1, std::nullopt)}},
      {"any user and client", {component("user", 2, std::nullopt), component("client-id", 2, std::nullopt)}},
      {"an ip", {component("ip", 0, "127.0.0.1")}},
      {"empty type", {component("", 0, "x")}},
      {"user twice", {component("user", 0, "a"), component("user", 2, std::nullopt)}},
      {"unknown type", {component("group", 0, "g")}},
      {"exact without match", {component("user", 0, std::nullopt)}},
      {"default with match", {component("user", 1, "a")}},
      {"specified with match", {component("client-id", 2, "a")}},
      {"unknown match type", {component("user", 7, std::nullopt)}},
      {"ip with user", {component("ip", 2, std::nullopt), component("user", 2, std::nullopt)}},
  };
  for (const auto& [label, components] : filters) {
    for (int16_t v : {0, 1}) {
      DescribeClientQuotasRequest request;
      request.components = components;
      request.strict = label == "a user";
      s.call<DescribeClientQuotasApi>(label + " v" + std::to_string(v), request, v);
    }
  }
}

}  // namespace kafkalite::crosscheck
