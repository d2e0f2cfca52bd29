// Helpers for the consumer-group tests: a broker with no initial rebalance
// delay, and one-line JoinGroup/SyncGroup/Heartbeat/OffsetCommit calls.
#pragma once

#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {


class GroupTest : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"", {{"group.initial.rebalance.delay.ms", "0"}, {"group.max.size", "3"}}};
  }
};

inline JoinGroupRequest join_request(const std::string& group, const std::string& member_id,
                                     std::optional<std::string> instance = std::nullopt,
                                     const std::string& protocol = "range") {
  JoinGroupRequest r;
  r.group_id = GroupId(group);
  r.member_id = member_id;
  r.group_instance_id = std::move(instance);
  r.session_timeout_ms = 10000;
  r.rebalance_timeout_ms = 10000;
  r.protocol_type = "consumer";
  r.protocols.push_back({protocol, {0, 1}, {}});
  return r;
}

// A member in a group of one: MEMBER_ID_REQUIRED, join, sync. Returns the
// join answer (member id, generation).
inline JoinGroupResponse join_alone(client::Connection& c, const std::string& group) {
  auto first = c.request<JoinGroupApi>(join_request(group, ""), 9);
  EXPECT_EQ(first.error_code, ErrorCode::MemberIdRequired);
  auto joined = c.request<JoinGroupApi>(join_request(group, first.member_id), 9);
  EXPECT_EQ(joined.error_code, ErrorCode::None);
  SyncGroupRequest sync;
  sync.group_id = GroupId(group);
  sync.generation_id = joined.generation_id;
  sync.member_id = joined.member_id;
  sync.protocol_type = "consumer";
  sync.protocol_name = "range";
  sync.assignments.push_back({joined.member_id, {7}, {}});
  EXPECT_EQ(c.request<SyncGroupApi>(sync, 5).error_code, ErrorCode::None);
  return joined;
}

inline ErrorCode commit(client::Connection& c, const std::string& group, int32_t generation,
                      const std::string& member, const std::string& topic, int64_t offset,
                      int16_t version = 9) {
  OffsetCommitRequest r;
  r.group_id = GroupId(group);
  r.generation_id_or_member_epoch = generation;
  r.member_id = member;
  auto& t = r.topics.emplace_back();
  t.name = TopicName(topic);
  t.partitions.push_back({0, offset, -1, std::string("m"), {}});
  return c.request<OffsetCommitApi>(r, version).topics.at(0).partitions.at(0).error_code;
}

inline int64_t committed_offset(client::Connection& c, const std::string& group, const std::string& topic) {
  OffsetFetchRequest r;
  auto& g = r.groups.emplace_back();
  g.group_id = GroupId(group);
  g.topics->push_back({TopicName(topic), {}, {0}, {}});
  return c.request<OffsetFetchApi>(r, 9).groups.at(0).topics.at(0).partitions.at(0).committed_offset;
}

}  // namespace kafkalite::testing
