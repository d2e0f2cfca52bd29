// OffsetFetch (key 9), v1-9: one group (v1-7) or several (v8+); null topics
// mean every committed offset (v2+). An unknown group or partition answers
// offset -1 with no error, as Kafka does. Offsets committed in a transaction
// still open are not shown (the last committed offset is); with
// require_stable (v7+) a named partition holding one is answered
// UNSTABLE_OFFSET_COMMIT, so the client retries once the transaction ends.
// ACLs: DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED for it: in
// the group's entry from v2, on each partition asked in v1), and on each
// topic: a named one is answered TOPIC_AUTHORIZATION_FAILED after the
// others, and "every offset" leaves the others out.
#include "broker/api/access.h"
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

using AskedTopics = std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>>;

// The answer to a group the caller may not describe.
TopicAnswers group_refused(const AskedTopics& topics) {
  TopicAnswers out;
  for (const auto& [topic, partitions] : topics.value_or(std::vector<std::pair<std::string, std::vector<int32_t>>>{})) {
    auto& t = out.emplace_back(topic, std::vector<PartitionAnswer>{});
    for (int32_t p : partitions) t.second.push_back({p, group::CommittedOffset{}, ErrorCode::GroupAuthorizationFailed});
  }
  return out;
}

// The offsets of one group: of the named partitions, or all (topics null).
TopicAnswers answer(Services& broker, const Access& access, const GroupId& group_id, const AskedTopics& topics,
                    bool require_stable) {
  TopicAnswers out;
  if (!topics) {
    std::vector<std::string> names;
    const auto committed = broker.groups().committed(group_id);
    for (const auto& [topic, partitions] : committed) names.push_back(topic);
    const auto describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names);
    for (const auto& [topic, partitions] : committed) {
      if (!describable.count(topic)) continue;
      auto& t = out.emplace_back(topic, std::vector<PartitionAnswer>{});
      for (const auto& [p, o] : partitions) t.second.push_back({p, o});
    }
    return out;
  }
  std::vector<std::string> names;
  for (const auto& [topic, partitions] : *topics) names.push_back(topic);
  const auto describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names);
  TopicAnswers refused;
  for (const auto& [topic, partitions] : *topics) {
    if (!describable.count(topic)) {
      auto& t = refused.emplace_back(topic, std::vector<PartitionAnswer>{});
      for (int32_t p : partitions)
        t.second.push_back({p, group::CommittedOffset{}, ErrorCode::TopicAuthorizationFailed});
      continue;
    }
    auto& t = out.emplace_back(topic, std::vector<PartitionAnswer>{});
    for (int32_t p : partitions) {
      if (require_stable && broker.groups().has_pending(group_id, topic, p)) {
        t.second.push_back({p, group::CommittedOffset{}, ErrorCode::UnstableOffsetCommit});
        continue;
      }
      t.second.push_back({p, broker.groups().committed(group_id, topic, p).value_or(group::CommittedOffset{}), {}});
    }
  }
  for (auto& t : refused) out.push_back(std::move(t));
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
  const Access access(broker, ctx);
  if (ctx.api_version >= 8) {
    for (const auto& g : request.groups) {
      auto& group_out = response.groups.emplace_back();
      group_out.group_id = g.group_id;
      std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>> topics;
      if (g.topics) {
        topics.emplace();
        for (const auto& t : *g.topics) topics->emplace_back(t.name.value(), t.partition_indexes);
      }
      if (!access.allows_group(AclOperation::kDescribe, g.group_id.value())) {
        group_out.error_code = ErrorCode::GroupAuthorizationFailed;
        continue;
      }
      for (const auto& [topic, partitions] : answer(broker, access, g.group_id, topics, request.require_stable)) {
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
  const bool group_allowed = access.allows_group(AclOperation::kDescribe, request.group_id.value());
  if (!group_allowed && ctx.api_version >= 2) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  for (const auto& [topic, partitions] :
       group_allowed ? answer(broker, access, request.group_id, topics, ctx.api_version >= 7 && request.require_stable)
                     : group_refused(topics)) {
    auto& t = response.topics.emplace_back();
    t.name = TopicName(topic);
    for (const auto& a : partitions) fill(t.partitions.emplace_back(), a);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
