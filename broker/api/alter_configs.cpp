// AlterConfigs (key 33), v0-2: the given configs replace all of a topic's
// overrides, or all of this node's (resource name "1") or the cluster's ("")
// dynamic broker configs, with Kafka's checks (cluster/dynamic_configs.h).
// ACLs: ALTER_CONFIGS on the topic or the cluster (brokers).
#include <spdlog/spdlog.h>

#include "broker/api/config_resources.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<AlterConfigsResponse> handle(Services& broker, const RequestContext& ctx, AlterConfigsRequest& request) {
  AlterConfigsResponse response;
  const Access access(broker, ctx);
  for (const auto& resource : request.resources) {
    if (refuse_unalterable(access, resource, response)) continue;
    AlterConfigsResponse::AlterConfigsResourceResponse out;
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    out.error_message = std::nullopt;  // Kafka: null unless refused
    auto fail = [&](ErrorCode code, std::string message) {
      out.error_code = code;
      out.error_message = std::move(message);
    };
    std::map<std::string, std::optional<std::string>> changes;
    std::vector<std::string> order;
    for (const auto& c : resource.configs) {
      if (!changes.count(c.name)) order.push_back(c.name);
      changes[c.name] = c.value;
    }
    if (static_cast<ConfigResourceType>(resource.resource_type) == ConfigResourceType::kBroker) {
      const auto error = alter_broker_configs(broker, resource.resource_name, order, changes, /*replace_all=*/true,
                                              request.validate_only);
      if (error.code != ErrorCode::None) fail(error.code, error.message);
      response.responses.push_back(std::move(out));
      continue;
    }
    // Kafka checks the configs before it looks for the topic.
    ConfigChangeError not_found;
    const auto config_error = static_cast<ConfigResourceType>(resource.resource_type) == ConfigResourceType::kTopic
                                  ? check_topic_configs(changes)
                                  : ConfigChangeError{};
    cluster::Topic* topic = config_error.code == ErrorCode::None
                                ? alterable_topic(broker, resource.resource_type, resource.resource_name, not_found)
                                : nullptr;
    if (config_error.code != ErrorCode::None) {
      fail(config_error.code, config_error.message);
    } else if (!topic) {
      fail(not_found.code, not_found.message);
    } else if (!request.validate_only) {
      std::map<std::string, std::string> overrides;
      for (const auto& [name, value] : changes) {
        if (value) overrides[name] = *value;
      }
      const size_t count = overrides.size();
      if (auto failed = broker.topics().set_configs(*topic, std::move(overrides))) {
        fail(ErrorCode::UnknownServerError, failed->message);
      } else {
        spdlog::info("Topic {}: configs replaced by {} ({} overrides)", topic->name, ctx.peer, count);
      }
    }
    response.responses.push_back(std::move(out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
