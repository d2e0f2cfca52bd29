#include "broker/cluster/topic_rules.h"

#include <spdlog/spdlog.h>

namespace kafkalite::cluster {
namespace {

constexpr size_t kMaxTopicNameLength = 249;

}  // namespace

using protocol::ErrorCode;

std::string topic_name_problem(const std::string& name) {
  // The KRaft controller's wording (Kafka 4.1.1), checked against the real broker.
  if (name.empty()) return "Topic name is invalid: the empty string is not allowed";
  if (name == "." || name == "..") return "Topic name is invalid: '" + name + "' is not allowed";
  if (name.size() > kMaxTopicNameLength) {
    return "Topic name is invalid: the length of '" + name + "' is longer than the max allowed length " +
           std::to_string(kMaxTopicNameLength);
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return "Topic name is invalid: '" + name +
             "' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'";
    }
  }
  return {};
}

std::string collision_form(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c == '.') c = '_';
  }
  return out;
}


CreateTopicResult create_topic(TopicRegistry& topics, const config::BrokerConfig& config,
                               const std::string& name, int32_t partitions,
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
  if (topics.find(name)) return fail(ErrorCode::TopicAlreadyExists, "Topic '" + name + "' already exists.");
  if (auto* other = topics.find_collision(name)) {
    return fail(ErrorCode::InvalidTopicException,
                "Topic '" + name + "' collides with existing topic: " + other->name);
  }
  if (partitions == -1) partitions = static_cast<int32_t>(config.get_int("num.partitions", 1));
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
    replication_factor = static_cast<int16_t>(config.get_int("default.replication.factor", 1));
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

}  // namespace kafkalite::cluster
