// Kafka's rules for topics: names, and creation as the KRaft controller
// checks it (shared by CreateTopics, Metadata's auto-creation and the
// embedded broker, so all apply the same rules and defaults).
#pragma once

#include <map>
#include <string>

#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::cluster {

// Kafka's topic name rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
// Returns an empty string when valid, else the reason.
std::string topic_name_problem(const std::string& name);
// Kafka refuses a topic whose name differs from an existing one only by '.' vs '_'.
std::string collision_form(const std::string& name);

// The most records the KRaft controller writes for one operation; it bounds
// the partitions one request may create.
constexpr int32_t kMaxRecordsPerOperation = 10000;

struct CreateTopicResult {
  protocol::ErrorCode error = protocol::ErrorCode::None;
  std::string message;
  int32_t partitions = -1;
  int16_t replication_factor = -1;
  cluster::Topic* topic = nullptr;  // null when validate_only or on error
};

// `partitions` and `replication_factor` of -1 mean the broker's defaults.
CreateTopicResult create_topic(TopicRegistry& topics, const config::BrokerConfig& config,
                               const std::string& name, int32_t partitions,
                               int16_t replication_factor,
                               const std::map<std::string, std::string>& configs,
                               bool validate_only);

}  // namespace kafkalite::cluster
