#include "broker/api/config_ops.h"

#include <cstdlib>

namespace kafkalite::broker::api {
namespace {

bool parses_as_integer(const std::string& v, long long min, long long max) {
  if (v.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  return errno == 0 && *end == '\0' && n >= min && n <= max;
}

}  // namespace

std::optional<std::string> invalid_config_value(const config::ConfigDefinition& d,
                                                const std::string& value) {
  using config::ConfigType;
  bool ok = true;
  std::string kind;
  switch (d.type) {
    case ConfigType::kInt:
      ok = parses_as_integer(value, INT32_MIN, INT32_MAX);
      kind = "INT";
      break;
    case ConfigType::kShort:
      ok = parses_as_integer(value, INT16_MIN, INT16_MAX);
      kind = "SHORT";
      break;
    case ConfigType::kLong:
      ok = parses_as_integer(value, INT64_MIN, INT64_MAX);
      kind = "LONG";
      break;
    case ConfigType::kDouble: {
      char* end = nullptr;
      std::strtod(value.c_str(), &end);
      ok = !value.empty() && *end == '\0';
      kind = "DOUBLE";
      break;
    }
    case ConfigType::kBoolean:
      ok = value == "true" || value == "false" || value == "TRUE" || value == "FALSE";
      kind = "BOOLEAN";
      break;
    default:
      break;
  }
  if (ok) return std::nullopt;
  return "Invalid value " + value + " for configuration " + d.name + ": Not a number of type " + kind;
}


ConfigChangeError check_topic_configs(const std::map<std::string, std::optional<std::string>>& changes) {
  for (const auto& [name, value] : changes) {
    const auto* d = config::find_topic_config(name);
    if (!d) return {protocol::ErrorCode::InvalidConfig, "Unknown topic config name: " + name};
    if (value) {
      if (auto problem = invalid_config_value(*d, *value)) {
        return {protocol::ErrorCode::InvalidConfig, *problem};
      }
    }
  }
  return {};
}

cluster::Topic* alterable_topic(Broker& broker, int8_t resource_type, const std::string& name,
                                ConfigChangeError& error) {
  if (static_cast<ResourceType>(resource_type) != ResourceType::kTopic) {
    error = {protocol::ErrorCode::InvalidRequest, "kafkalite alters topic configs only"};
    return nullptr;
  }
  cluster::Topic* topic = broker.topics().find(name);
  if (!topic) {
    error = {protocol::ErrorCode::UnknownTopicOrPartition, "The topic '" + name + "' does not exist."};
  }
  return topic;
}

}  // namespace kafkalite::broker::api
