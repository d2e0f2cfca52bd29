// ListOffsets (key 2), v1-10. Special timestamps: -2 earliest, -1 latest,
// -3 max timestamp, -4 earliest local (= earliest; no tiered storage),
// -5 earliest pending upload (none: offset -1). The leader epoch answered
// is Kafka's: the epoch cache's newest for latest, its oldest for earliest,
// the holding batch's for a timestamp. A current_leader_epoch other than the
// partition's is fenced (older) or unknown (newer), as Kafka. read_committed
// (isolation_level 1): latest is the last stable offset, and a timestamp
// match at or past it is answered as none (-1), as Kafka hides it.
// ACLs: DESCRIBE on each topic; the others are answered
// TOPIC_AUTHORIZATION_FAILED after the topics served, as Kafka orders them.
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/api/leader_epochs.h"

namespace kafkalite::broker::api {
namespace {

constexpr int64_t kLatest = -1;
constexpr int64_t kEarliest = -2;
constexpr int64_t kMaxTimestamp = -3;
constexpr int64_t kEarliestLocal = -4;
constexpr int64_t kEarliestPendingUpload = -5;

}  // namespace

Task<ListOffsetsResponse> handle(Services& broker, const RequestContext& ctx, ListOffsetsRequest& request) {
  ListOffsetsResponse response;
  std::vector<std::string> names;
  for (const auto& wanted : request.topics) names.push_back(wanted.name.value());
  const Access access(broker, ctx);
  const auto describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names);
  std::vector<ListOffsetsResponse::ListOffsetsTopicResponse> refused;
  for (const auto& wanted : request.topics) {
    if (!describable.count(wanted.name.value())) {
      auto& topic_out = refused.emplace_back();
      topic_out.name = wanted.name;
      for (const auto& p : wanted.partitions) {
        auto& out = topic_out.partitions.emplace_back();
        out.partition_index = p.partition_index;
        out.error_code = ErrorCode::TopicAuthorizationFailed;
      }
      continue;
    }
    ListOffsetsResponse::ListOffsetsTopicResponse topic_out;
    topic_out.name = wanted.name;
    cluster::Topic* topic = broker.topics().find(wanted.name);
    for (const auto& p : wanted.partitions) {
      ListOffsetsResponse::ListOffsetsTopicResponse::ListOffsetsPartitionResponse out;
      out.partition_index = p.partition_index;
      log::PartitionLog* partition = topic ? topic->partition(p.partition_index) : nullptr;
      const int64_t fetchable = !partition                        ? -1
                                : request.isolation_level == 1 ? partition->last_stable_offset()
                                                               : partition->log_end_offset();
      // A match the client could not fetch yet is no match.
      auto hide_unfetchable = [&] {
        if (out.offset >= fetchable) {
          out.offset = -1;
          out.timestamp = -1;
          out.leader_epoch = -1;
        }
      };
      if (!partition) {
        out.error_code = ErrorCode::UnknownTopicOrPartition;
      } else if (auto fenced = leader_epoch_error(*partition, p.current_leader_epoch)) {
        out.error_code = *fenced;
      } else if (p.timestamp == kLatest) {
        out.offset = fetchable;
        const auto epochs = partition->epoch_entries();
        out.leader_epoch = epochs.empty() ? -1 : epochs.back().epoch;
      } else if (p.timestamp == kEarliest || p.timestamp == kEarliestLocal) {
        out.offset = partition->log_start_offset();
        const auto epochs = partition->epoch_entries();
        out.leader_epoch = epochs.empty() ? -1 : epochs.front().epoch;
      } else if (p.timestamp == kEarliestPendingUpload) {
        out.offset = -1;
      } else if (p.timestamp == kMaxTimestamp) {
        auto found = partition->max_timestamp();
        out.timestamp = found.timestamp;
        out.offset = found.offset;
        if (found.offset >= 0) out.leader_epoch = found.leader_epoch;
        hide_unfetchable();
      } else if (p.timestamp < 0) {
        out.error_code = ErrorCode::UnsupportedVersion;
      } else {
        auto found = partition->offset_for_timestamp(p.timestamp);
        out.timestamp = found.timestamp;
        out.offset = found.offset;
        if (found.offset >= 0) out.leader_epoch = found.leader_epoch;
        hide_unfetchable();
      }
      topic_out.partitions.push_back(out);
    }
    response.topics.push_back(std::move(topic_out));
  }
  for (auto& topic_out : refused) response.topics.push_back(std::move(topic_out));
  co_return response;
}

}  // namespace kafkalite::broker::api
