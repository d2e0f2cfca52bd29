// CreateTopics (key 19), v2-7. One node: replication factor above 1 is
// INVALID_REPLICATION_FACTOR; -1 means the broker default for partitions
// and replication factor; 10000 partitions or more is POLICY_VIOLATION. Configs are checked against Kafka's definitions
// (INVALID_CONFIG), and a created topic's effective configs come back (v5+).
// ACLs: CREATE on the cluster, else on each topic (TOPIC_AUTHORIZATION_FAILED
// "Authorization failed.", after the other results, before anything tells
// whether the topic exists); a created topic's configs, partitions and
// replication factor come back only with DESCRIBE_CONFIGS on it (else
// its config error is TOPIC_AUTHORIZATION_FAILED).
#include <set>

#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/config_resources.h"
#include "broker/api/handlers.h"
#include "broker/cluster/topic_rules.h"

namespace kafkalite::broker::api {

Task<CreateTopicsResponse> handle(Services& broker, const RequestContext& ctx, CreateTopicsRequest& request) {
  CreateTopicsResponse response;
  // A name given twice is refused once, and neither occurrence is created.
  std::map<TopicName, int> occurrences;
  for (const auto& t : request.topics) ++occurrences[t.name];
  const Access access(broker, ctx);
  std::vector<std::string> single;
  for (const auto& [name, count] : occurrences) {
    if (count == 1) single.push_back(name.value());
  }
  std::set<std::string> creatable(single.begin(), single.end());
  std::set<std::string> config_describable = creatable;
  if (access.enabled()) {
    if (!access.allows_cluster(AclOperation::kCreate, kQuietDenial)) {
      creatable = access.allowed_names(AclOperation::kCreate, ResourceType::kTopic, single);
    }
    config_describable =
        access.allowed_names(AclOperation::kDescribeConfigs, ResourceType::kTopic, single, kQuietDenial);
  }
  std::vector<CreateTopicsResponse::CreatableTopicResult> refused;
  std::set<TopicName> answered;
  for (const auto& t : request.topics) {
    if (!answered.insert(t.name).second) continue;
    if (occurrences[t.name] == 1 && !creatable.count(t.name.value())) {
      auto& out = refused.emplace_back();
      out.name = t.name;
      out.error_code = ErrorCode::TopicAuthorizationFailed;
      out.error_message = "Authorization failed.";
      continue;
    }
    CreateTopicsResponse::CreatableTopicResult out;
    out.name = t.name;
    out.error_message = std::nullopt;  // Kafka: null unless refused
    auto fail = [&](ErrorCode code, std::string message) {
      out.error_code = code;
      out.error_message = std::move(message);
    };
    std::map<std::string, std::string> configs;
    std::map<std::string, std::optional<std::string>> checked;
    bool null_config = false;
    for (const auto& c : t.configs) {
      if (!c.value) null_config = true;
      else configs[c.name] = *c.value;
      checked[c.name] = c.value;
    }
    const auto config_error = check_topic_configs(checked);
    if (occurrences[t.name] > 1) {
      fail(ErrorCode::InvalidRequest, "Duplicate topic name.");
    } else if (!t.assignments.empty() && (t.num_partitions != -1 || t.replication_factor != -1)) {
      fail(ErrorCode::InvalidRequest,
           "Both numPartitions or replicationFactor and replicasAssignments were set. "
           "Both cannot be used at the same time.");
    } else if (null_config) {
      fail(ErrorCode::InvalidRequest, "Null value not supported for topic configs: " + t.name.value());
    } else if (config_error.code != ErrorCode::None) {
      fail(config_error.code, config_error.message);
    } else {
      const int32_t partitions =
          t.assignments.empty() ? t.num_partitions : static_cast<int32_t>(t.assignments.size());
      const int16_t replication =
          t.assignments.empty() ? t.replication_factor
                                : static_cast<int16_t>(t.assignments.front().broker_ids.size());
      auto result = cluster::create_topic(broker.topics(), broker.config(), t.name.value(), partitions, replication, configs, request.validate_only);
      if (result.error != ErrorCode::None) {
        fail(result.error, result.message);
      } else {
        out.num_partitions = result.partitions;
        out.replication_factor = result.replication_factor;
        // Kafka makes up an id for a validate-only topic too.
        out.topic_id = result.topic ? result.topic->id : broker.topics().new_topic_id();
        out.configs.emplace();
        if (!config_describable.count(t.name.value())) {
          out.topic_config_error_code = ErrorCode::TopicAuthorizationFailed;
          out.num_partitions = -1;
          out.replication_factor = -1;
          response.topics.push_back(std::move(out));
          continue;
        }
        // The controller answers with the configs by name (DescribeConfigs
        // lists them in the broker's map order instead).
        std::vector<const config::ConfigDefinition*> by_name;
        for (const auto& d : config::topic_config_definitions()) by_name.push_back(&d);
        std::sort(by_name.begin(), by_name.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
        for (const auto* definition : by_name) {
          const auto& d = *definition;
          CreateTopicsResponse::CreatableTopicResult::CreatableTopicConfigs entry;
          entry.name = d.name;
          entry.is_sensitive = d.sensitive;
          auto it = configs.find(d.name);
          ConfigSource source = ConfigSource::kTopic;
          entry.value = it != configs.end() ? std::optional(it->second)
                                            : inherited_topic_value(broker.config(), d, source);
          entry.config_source = static_cast<int8_t>(source);
          if (d.sensitive) entry.value = std::nullopt;
          out.configs->push_back(std::move(entry));
        }
      }
    }
    response.topics.push_back(std::move(out));
  }
  for (auto& out : refused) response.topics.push_back(std::move(out));
  co_return response;
}

}  // namespace kafkalite::broker::api
