// CreateTopics (key 19), v2-7. One node: replication factor above 1 is
// INVALID_REPLICATION_FACTOR; -1 means the broker default for partitions
// and replication factor. Differs from Kafka (for now): config names and
// values are stored unchecked, and successful results list no configs.
#include <set>

#include "broker/api/handlers.h"
#include "broker/api/topic_ops.h"

namespace kafkalite::broker::api {

Task<CreateTopicsResponse> handle(Broker& broker, const RequestContext&, CreateTopicsRequest& request) {
  CreateTopicsResponse response;
  // A name given twice is refused once, and neither occurrence is created.
  std::map<std::string, int> occurrences;
  for (const auto& t : request.topics) ++occurrences[t.name];
  std::set<std::string> answered;
  for (const auto& t : request.topics) {
    if (!answered.insert(t.name).second) continue;
    CreateTopicsResponse::CreatableTopicResult out;
    out.name = t.name;
    auto fail = [&](ErrorCode code, std::string message) {
      out.error_code = static_cast<int16_t>(code);
      out.error_message = std::move(message);
    };
    std::map<std::string, std::string> configs;
    bool null_config = false;
    for (const auto& c : t.configs) {
      if (!c.value) null_config = true;
      else configs[c.name] = *c.value;
    }
    if (occurrences[t.name] > 1) {
      fail(ErrorCode::InvalidRequest, "Duplicate topic name.");
    } else if (!t.assignments.empty() && (t.num_partitions != -1 || t.replication_factor != -1)) {
      fail(ErrorCode::InvalidRequest,
           "Both numPartitions or replicationFactor and replicasAssignments were set. "
           "Both cannot be used at the same time.");
    } else if (null_config) {
      fail(ErrorCode::InvalidRequest, "Null value not supported for topic configs: " + t.name);
    } else {
      const int32_t partitions =
          t.assignments.empty() ? t.num_partitions : static_cast<int32_t>(t.assignments.size());
      const int16_t replication =
          t.assignments.empty() ? t.replication_factor
                                : static_cast<int16_t>(t.assignments.front().broker_ids.size());
      auto result = create_topic(broker, t.name, partitions, replication, configs, request.validate_only);
      if (result.error != ErrorCode::None) {
        fail(result.error, result.message);
      } else {
        out.num_partitions = result.partitions;
        out.replication_factor = result.replication_factor;
        if (result.topic) out.topic_id = result.topic->id;
        out.configs.emplace();
      }
    }
    response.topics.push_back(std::move(out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
