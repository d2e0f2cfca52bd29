#include "broker/api/topic_ops.h"

#include <spdlog/spdlog.h>

namespace kafkalite::broker::api {

using protocol::ErrorCode;

CreateTopicResult create_topic(Broker& broker, const std::string& name, int32_t partitions,
                               int16_t replication_factor,
                               const std::map<std::string, std::string>& configs,
                               bool validate_only) {
  CreateTopicResult result;
  auto fail = [&](ErrorCode code, std::string message) {
    result.error = code;
    result.message = std::move(message);
    return result;
  };
  if (auto problem = topic_name_problem(name); !problem.empty()) {
    return fail(ErrorCode::InvalidTopicException, problem);
  }
  auto& topics = broker.topics();
  if (topics.find(name)) return fail(ErrorCode::TopicAlreadyExists, "Topic '" + name + "' already exists.");
  if (auto* other = topics.find_collision(name)) {
    return fail(ErrorCode::InvalidTopicException,
                "Topic '" + name + "' collides with existing topic: " + other->name);
  }
  if (partitions == -1) partitions = static_cast<int32_t>(broker.config().get_int("num.partitions", 1));
  if (partitions <= 0) {
    return fail(ErrorCode::InvalidPartitions,
                "Number of partitions was set to an invalid non-positive value.");
  }
  // The KRaft controller writes at most 10000 records per operation: the
  // topic record plus one per partition (checked against the real broker).
  if (partitions > kMaxRecordsPerOperation) {
    return fail(ErrorCode::PolicyViolation, "Excessively large number of partitions per request.");
  }
  if (partitions == kMaxRecordsPerOperation) {
    return fail(ErrorCode::PolicyViolation, "Unable to perform excessively large batch operation.");
  }
  if (replication_factor == -1) {
    replication_factor = static_cast<int16_t>(broker.config().get_int("default.replication.factor", 1));
  }
  if (replication_factor <= 0) {
    return fail(ErrorCode::InvalidReplicationFactor,
                "Replication factor must be larger than 0, or -1 to use the default value.");
  }
  if (replication_factor > 1) {
    return fail(ErrorCode::InvalidReplicationFactor,
                "Unable to replicate the partition " + std::to_string(replication_factor) +
                    " time(s): The target replication factor of " +
                    std::to_string(replication_factor) +
                    " cannot be reached because only 1 broker(s) are registered.");
  }
  result.partitions = partitions;
  result.replication_factor = replication_factor;
  if (!validate_only) {
    result.topic = topics.create(name, partitions, configs);
    if (!result.topic) return fail(ErrorCode::UnknownServerError, "The data directory failed.");
    spdlog::info("Created topic {} with topic id {} and {} partition(s)", name,
                 result.topic->id.to_base64(), partitions);
  }
  return result;
}

}  // namespace kafkalite::broker::api
