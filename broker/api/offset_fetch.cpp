// OffsetFetch (key 9), v1-9: one group (v1-7) or several (v8+); null topics
// mean every committed offset (v2+). An unknown group or partition answers
// offset -1 with no error, as Kafka does. Offsets committed in a transaction
// still open are not shown (the last committed offset is); with
// require_stable (v7+) a named partition holding one is answered
// UNSTABLE_OFFSET_COMMIT, so the client retries once the transaction ends.
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {
namespace {

struct PartitionAnswer {
  int32_t partition = 0;
  group::CommittedOffset offset;
  ErrorCode error = ErrorCode::None;
};
using TopicAnswers = std::vector<std::pair<std::string, std::vector<PartitionAnswer>>>;

// The offsets of one group: of the named partitions, or all (topics null).
TopicAnswers answer(Services& broker, const GroupId& group_id,
                    const std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>>& topics,
                    bool require_stable) {
  TopicAnswers out;
  if (!topics) {
    for (const auto& [topic, partitions] : broker.groups().committed(group_id)) {
      auto& t = out.emplace_back(topic, std::vector<PartitionAnswer>{});
      for (const auto& [p, o] : partitions) t.second.push_back({p, o});
    }
    return out;
  }
  for (const auto& [topic, partitions] : *topics) {
    auto& t = out.emplace_back(topic, std::vector<PartitionAnswer>{});
    for (int32_t p : partitions) {
      if (require_stable && broker.groups().has_pending(group_id, topic, p)) {
        t.second.push_back({p, group::CommittedOffset{}, ErrorCode::UnstableOffsetCommit});
        continue;
      }
      t.second.push_back({p, broker.groups().committed(group_id, topic, p).value_or(group::CommittedOffset{}), {}});
    }
  }
  return out;
}

template <typename PartitionOut>
void fill(PartitionOut& out, const PartitionAnswer& a) {
  out.partition_index = a.partition;
  out.committed_offset = a.offset.offset;
  out.committed_leader_epoch = a.offset.leader_epoch;
  out.metadata = a.offset.metadata;
  out.error_code = a.error;
}

}  // namespace

Task<OffsetFetchResponse> handle(Services& broker, const RequestContext& ctx, OffsetFetchRequest& request) {
  OffsetFetchResponse response;
  if (ctx.api_version >= 8) {
    for (const auto& g : request.groups) {
      auto& group_out = response.groups.emplace_back();
      group_out.group_id = g.group_id;
      std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>> topics;
      if (g.topics) {
        topics.emplace();
        for (const auto& t : *g.topics) topics->emplace_back(t.name.value(), t.partition_indexes);
      }
      for (const auto& [topic, partitions] : answer(broker, g.group_id, topics, request.require_stable)) {
        auto& t = group_out.topics.emplace_back();
        t.name = TopicName(topic);
        for (const auto& a : partitions) fill(t.partitions.emplace_back(), a);
      }
    }
    co_return response;
  }
  std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>> topics;
  if (request.topics || ctx.api_version < 2) {
    topics.emplace();
    for (const auto& t : request.topics.value_or(std::vector<OffsetFetchRequest::OffsetFetchRequestTopic>{})) {
      topics->emplace_back(t.name.value(), t.partition_indexes);
    }
  }
  for (const auto& [topic, partitions] :
       answer(broker, request.group_id, topics, ctx.api_version >= 7 && request.require_stable)) {
    auto& t = response.topics.emplace_back();
    t.name = TopicName(topic);
    for (const auto& a : partitions) fill(t.partitions.emplace_back(), a);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
