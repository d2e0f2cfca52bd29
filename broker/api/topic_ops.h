// Topic creation shared by CreateTopics and Metadata's auto-creation, so both
// apply the same rules and defaults.
#pragma once

#include <map>
#include <string>

#include "broker/broker.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::broker::api {

using cluster::topic_name_problem;

// Without an authorizer Kafka reports every operation a topic supports:
// READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS.
constexpr int32_t kTopicAuthorizedOperations = 3576;
// The same for the cluster (Kafka 4.1.1 without an authorizer).
constexpr int32_t kClusterAuthorizedOperations = 8096;

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
CreateTopicResult create_topic(Broker& broker, const std::string& name, int32_t partitions,
                               int16_t replication_factor,
                               const std::map<std::string, std::string>& configs,
                               bool validate_only);

}  // namespace kafkalite::broker::api
