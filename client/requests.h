// Request builders the admin client and the consumer share.
#pragma once

#include <map>
#include <string>

#include "client/admin.h"

namespace kafkalite::client {

// OffsetFetch v10 and OffsetCommit v10 name topics by id only: these clients
// use the versions before.
constexpr int16_t kOffsetsByName = 9;

// The entry for `topic` in a request's topic list, added when the previous
// one names another topic (callers go through partitions sorted by topic).
template <typename Topics>
auto& topic_entry(Topics& topics, const std::string& topic) {
  if (topics.empty() || topics.back().name != topic) topics.emplace_back().name = protocol::TopicName(topic);
  return topics.back();
}

// OffsetCommit of `offsets` (no leader epoch, empty metadata) for a member
// (generation -1 and no member id: the admin client's form).
inline protocol::OffsetCommitRequest offset_commit_request(const std::string& group, int32_t generation,
                                                           const std::string& member_id,
                                                           const std::optional<std::string>& instance_id,
                                                           const std::map<TopicPartition, int64_t>& offsets) {
  protocol::OffsetCommitRequest request;
  request.group_id = protocol::GroupId(group);
  request.generation_id_or_member_epoch = generation;
  request.member_id = member_id;
  request.group_instance_id = instance_id;
  for (const auto& [tp, offset] : offsets) {
    auto& p = topic_entry(request.topics, tp.topic).partitions.emplace_back();
    p.partition_index = tp.partition;
    p.committed_offset = offset;
    p.committed_leader_epoch = -1;
    p.committed_metadata = "";
  }
  return request;
}

}  // namespace kafkalite::client
