// IncrementalAlterConfigs (key 44), v0-1: SET, DELETE, APPEND and SUBTRACT
// (the last two on list configs only) on topics, and on the dynamic broker
// configs of this node (resource name "1") or of the cluster ("") with
// Kafka's checks (cluster/dynamic_configs.h), as in Kafka. ACLs: ALTER_CONFIGS
// on the topic or the cluster (brokers, loggers).
#include <spdlog/spdlog.h>

#include <sstream>

#include "broker/api/config_resources.h"
#include "broker/api/handlers.h"
#include "common/text.h"

namespace kafkalite::broker::api {
namespace {

enum class Operation : int8_t { kSet = 0, kDelete = 1, kAppend = 2, kSubtract = 3 };

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

using Resource = IncrementalAlterConfigsRequest::AlterConfigsResource;
using ResourceOut = IncrementalAlterConfigsResponse::AlterConfigsResourceResponse;

// Dynamic broker configs: SET and DELETE, APPEND and SUBTRACT on list configs.
void alter_broker(Services& broker, const Resource& resource, bool validate_only, ResourceOut& out) {
  std::map<std::string, std::optional<std::string>> changes;
  std::vector<std::string> order;
  for (const auto& c : resource.configs) {
    if (!changes.count(c.name)) order.push_back(c.name);
    const auto op = static_cast<Operation>(c.config_operation);
    const auto* d = config::find_broker_config(c.name);
    if (op == Operation::kSet) {
      changes[c.name] = c.value;
    } else if (op == Operation::kDelete) {
      changes[c.name] = std::nullopt;
    } else if ((op == Operation::kAppend || op == Operation::kSubtract) && d &&
               d->type == config::ConfigType::kList) {
      auto items = split_list(broker.config().get(c.name).value_or(d->default_value.value_or("")));
      for (const auto& item : split_list(c.value.value_or(""))) {
        auto it = std::find(items.begin(), items.end(), item);
        if (op == Operation::kAppend && it == items.end()) items.push_back(item);
        if (op == Operation::kSubtract && it != items.end()) items.erase(it);
      }
      changes[c.name] = text::join(items, ",");
    } else if (op == Operation::kAppend || op == Operation::kSubtract) {
      // The broker's own check (ConfigAdminManager), before the controller's.
      out.error_code = d ? ErrorCode::InvalidConfig : ErrorCode::UnknownServerError;
      if (d) {
        out.error_message = std::string("Config value ") + (op == Operation::kAppend ? "append" : "subtract") +
                            " is not allowed for config key: " + c.name;
      }
      return;
    } else {
      out.error_code = ErrorCode::UnknownServerError;
      return;
    }
  }
  const auto error =
      alter_broker_configs(broker, resource.resource_name, order, changes, /*replace_all=*/false, validate_only);
  if (error.code != ErrorCode::None) {
    out.error_code = error.code;
    out.error_message = error.message;
  }
}

}  // namespace

Task<IncrementalAlterConfigsResponse> handle(Services& broker, const RequestContext& ctx,
                                             IncrementalAlterConfigsRequest& request) {
  IncrementalAlterConfigsResponse response;
  const Access access(broker, ctx);
  for (const auto& resource : request.resources) {
    if (refuse_unalterable(access, resource, response)) continue;
    IncrementalAlterConfigsResponse::AlterConfigsResourceResponse out;
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    out.error_message = std::nullopt;  // Kafka: null unless refused
    auto fail = [&](ErrorCode code, std::string message) {
      out.error_code = code;
      out.error_message = std::move(message);
    };
    if (static_cast<ConfigResourceType>(resource.resource_type) == ConfigResourceType::kBroker) {
      alter_broker(broker, resource, request.validate_only, out);
      response.responses.push_back(std::move(out));
      continue;
    }
    ConfigChangeError not_found;
    cluster::Topic* topic =
        alterable_topic(broker, resource.resource_type, resource.resource_name, not_found);
    if (!topic) {
      fail(not_found.code, not_found.message);
    } else {
      std::map<std::string, std::string> overrides = topic->configs;
      std::map<std::string, std::optional<std::string>> changes;
      for (const auto& c : resource.configs) {
        const auto* d = config::find_topic_config(c.name);
        const auto op = static_cast<Operation>(c.config_operation);
        if (d && (op == Operation::kAppend || op == Operation::kSubtract) &&
            d->type != config::ConfigType::kList) {
          fail(ErrorCode::InvalidConfig, std::string("Can't ") +
                                             (op == Operation::kAppend ? "APPEND" : "SUBTRACT") +
                                             " to key " + c.name + " because its type is not LIST.");
          break;
        }
        if (op == Operation::kSet) {
          changes[c.name] = c.value;
        } else if (op == Operation::kDelete) {
          changes[c.name] = std::nullopt;
        } else if (op == Operation::kAppend || op == Operation::kSubtract) {
          ConfigSource ignored;
          auto current = overrides.count(c.name) ? std::optional(overrides[c.name])
                                                 : (d ? inherited_topic_value(broker.config(), *d, ignored)
                                                      : std::nullopt);
          auto items = split_list(current.value_or(""));
          for (const auto& item : split_list(c.value.value_or(""))) {
            auto it = std::find(items.begin(), items.end(), item);
            if (op == Operation::kAppend && it == items.end()) items.push_back(item);
            if (op == Operation::kSubtract && it != items.end()) items.erase(it);
          }
          changes[c.name] = text::join(items, ",");
        } else {
          // Kafka has no check for this and fails with an internal error.
          out.error_code = ErrorCode::UnknownServerError;
          break;
        }
      }
      if (out.error_code == ErrorCode::None) {
        if (auto error = check_topic_configs(changes); error.code != ErrorCode::None) {
          fail(error.code, error.message);
        } else if (!request.validate_only) {
          for (const auto& [name, value] : changes) {
            if (value) overrides[name] = *value;
            else overrides.erase(name);
          }
          if (auto failed = broker.topics().set_configs(*topic, std::move(overrides))) {
            fail(ErrorCode::UnknownServerError, failed->message);
          } else {
            spdlog::info("Topic {}: {} config change(s) from {}", topic->name, changes.size(), ctx.peer);
          }
        }
      }
    }
    response.responses.push_back(std::move(out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
