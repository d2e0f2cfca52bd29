// What the config handlers (DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs) share: Kafka's resource types, and finding the
// topic an alter request names, and the ACL a resource's configs need.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "broker/api/access.h"
#include "broker/api/services.h"
#include "broker/config/topic_config.h"
#include "broker/config/validation.h"

namespace kafkalite::broker::api {

using config::broker_synonyms;
using config::check_topic_configs;
using config::ConfigChangeError;
using config::ConfigSource;
using config::ConfigSynonym;
using config::dynamic_default_config;
using config::inherited_topic_value;
using config::invalid_config_value;
using config::topic_config_value;

enum class ConfigResourceType : int8_t { kTopic = 2, kBroker = 4, kBrokerLogger = 8, kClientMetrics = 16, kGroup = 32 };

// The error for a config resource whose `operation` (DESCRIBE_CONFIGS,
// ALTER_CONFIGS) the caller lacks: brokers, loggers and client metrics are
// the cluster's, topics and groups their own (Kafka's ConfigHelper and
// ControllerApis); none when allowed or of another type.
inline std::optional<protocol::ErrorCode> config_refusal(const Access& access, AclOperation operation, int8_t type,
                                                         const std::string& name) {
  switch (static_cast<ConfigResourceType>(type)) {
    case ConfigResourceType::kBroker:
    case ConfigResourceType::kBrokerLogger:
    case ConfigResourceType::kClientMetrics:
      if (access.allows_cluster(operation)) return std::nullopt;
      return protocol::ErrorCode::ClusterAuthorizationFailed;
    case ConfigResourceType::kTopic:
      if (access.allows_topic(operation, name)) return std::nullopt;
      return protocol::ErrorCode::TopicAuthorizationFailed;
    case ConfigResourceType::kGroup:
      if (access.allows_group(operation, name)) return std::nullopt;
      return protocol::ErrorCode::GroupAuthorizationFailed;
    default:
      return std::nullopt;
  }
}

// Answers a resource the caller may not alter (ALTER_CONFIGS) and says
// whether it was one; Kafka's broker answers in the request's order.
template <typename Resource, typename Response>
bool refuse_unalterable(const Access& access, const Resource& resource, Response& response) {
  const auto error =
      config_refusal(access, AclOperation::kAlterConfigs, resource.resource_type, resource.resource_name);
  if (!error) return false;
  auto& out = response.responses.emplace_back();
  out.resource_type = resource.resource_type;
  out.resource_name = resource.resource_name;
  out.error_code = *error;
  out.error_message = std::string(protocol::error_default_message(*error));
  return true;
}

// The topic an alter request's resource names, or null with Kafka's error.
inline cluster::Topic* alterable_topic(Services& broker, int8_t resource_type, const std::string& name,
                                       config::ConfigChangeError& error) {
  if (static_cast<ConfigResourceType>(resource_type) != ConfigResourceType::kTopic) {
    error = {protocol::ErrorCode::InvalidRequest, "Unsupported resource type " + std::to_string(resource_type)};
    return nullptr;
  }
  cluster::Topic* topic = broker.topics().find(name);
  if (!topic) {
    error = {protocol::ErrorCode::UnknownTopicOrPartition, "The topic '" + name + "' does not exist."};
  }
  return topic;
}

// Dynamic broker configs (resource name "" for the cluster default, or this
// node's id): Kafka's checks, then — unless validate_only — the new set
// stored and applied. `replace_all`: AlterConfigs, whose configs are the
// whole new set; else IncrementalAlterConfigs' changes.
inline config::ConfigChangeError alter_broker_configs(Services& broker, const std::string& resource_name,
                                                      const std::vector<std::string>& order,
                                                      const std::map<std::string, std::optional<std::string>>& changes,
                                                      bool replace_all, bool validate_only) {
  auto& dynamic = broker.dynamic_configs();
  const auto entity = dynamic.entity(resource_name);
  if (entity.error.code != protocol::ErrorCode::None) return entity.error;
  if (auto error = dynamic.check(entity.cluster_default, order, changes); error.code != protocol::ErrorCode::None) {
    return error;
  }
  if (broker.features().elr_enabled()) {
    if (auto error = dynamic.check_elr(entity.cluster_default, changes, replace_all);
        error.code != protocol::ErrorCode::None) {
      return error;
    }
  }
  if (validate_only) return {};
  if (auto failed = dynamic.set(entity.cluster_default, dynamic.after(entity.cluster_default, changes, replace_all))) {
    return {protocol::ErrorCode::UnknownServerError, failed->message};
  }
  return {};
}

}  // namespace kafkalite::broker::api
