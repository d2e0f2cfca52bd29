// CreatePartitions (key 37), v0-3. Only growing is allowed, by at most
// 10000 partitions per request; assignments may name only this broker, once
// per partition. ACLs: ALTER on each topic; the others are answered
// TOPIC_AUTHORIZATION_FAILED (no message) before the other results, as
// Kafka's controller lists them.
#include <spdlog/spdlog.h>

#include <map>
#include <set>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/topic_rules.h"

namespace kafkalite::broker::api {

Task<CreatePartitionsResponse> handle(Services& broker, const RequestContext& ctx,
                                      CreatePartitionsRequest& request) {
  CreatePartitionsResponse response;
  // A name given twice is refused once, and neither occurrence is applied.
  std::map<TopicName, int> occurrences;
  for (const auto& t : request.topics) ++occurrences[t.name];
  const Access access(broker, ctx);
  std::set<std::string> alterable;
  if (access.enabled()) {
    std::vector<std::string> single;
    for (const auto& [name, count] : occurrences) {
      if (count == 1) single.push_back(name.value());
    }
    alterable = access.allowed_names(AclOperation::kAlter, ResourceType::kTopic, single);
    for (const auto& t : request.topics) {
      if (occurrences[t.name] == 1 && !alterable.count(t.name.value())) {
        auto& out = response.results.emplace_back();
        out.name = t.name;
        out.error_code = ErrorCode::TopicAuthorizationFailed;
        out.error_message = std::nullopt;
      }
    }
  }
  std::set<TopicName> answered;
  for (const auto& t : request.topics) {
    if (!answered.insert(t.name).second) continue;
    if (access.enabled() && occurrences[t.name] == 1 && !alterable.count(t.name.value())) continue;
    CreatePartitionsResponse::CreatePartitionsTopicResult out;
    out.name = t.name;
    out.error_message = std::nullopt;
    auto fail = [&](ErrorCode code, std::string message) {
      out.error_code = code;
      out.error_message = std::move(message);
    };
    cluster::Topic* topic = broker.topics().find(t.name);
    if (occurrences[t.name] > 1) {
      fail(ErrorCode::InvalidRequest, "Duplicate topic name.");
    } else if (!topic) {
      out.error_code = ErrorCode::UnknownTopicOrPartition;
    } else if (t.count < topic->partition_count()) {
      fail(ErrorCode::InvalidPartitions,
           "The topic " + t.name.value() + " currently has " + std::to_string(topic->partition_count()) +
               " partition(s); " + std::to_string(t.count) + " would not be an increase.");
    } else if (t.count == topic->partition_count()) {
      fail(ErrorCode::InvalidPartitions,
           "Topic already has " + std::to_string(topic->partition_count()) + " partition(s).");
    } else if (t.count - topic->partition_count() > cluster::kMaxRecordsPerOperation) {
      // A real 4.1.1 fails this in its controller, with no message.
      out.error_code = ErrorCode::UnknownServerError;
    } else if (t.assignments &&
               static_cast<int32_t>(t.assignments->size()) != t.count - topic->partition_count()) {
      fail(ErrorCode::InvalidReplicaAssignment,
           "Attempted to add " + std::to_string(t.count - topic->partition_count()) +
               " additional partition(s), but only " + std::to_string(t.assignments->size()) +
               " assignment(s) were specified.");
    } else {
      bool assignment_ok = true;
      if (t.assignments) {
        for (const auto& a : *t.assignments) {
          assignment_ok = assignment_ok && a.broker_ids.size() == 1 && a.broker_ids[0] == broker.node_id();
        }
      }
      if (!assignment_ok) {
        fail(ErrorCode::InvalidReplicaAssignment,
             "The manual partition assignment includes a broker that is not registered.");
      } else if (!request.validate_only) {
        const int32_t before = topic->partition_count();
        if (auto failed = broker.topics().add_partitions(*topic, t.count)) {
          fail(ErrorCode::UnknownServerError, failed->message);
        } else {
          spdlog::info("Topic {}: partitions {} -> {}", t.name, before, t.count);
        }
      }
    }
    response.results.push_back(std::move(out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
