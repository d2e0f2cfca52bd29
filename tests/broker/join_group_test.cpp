// JoinGroup, SyncGroup, Heartbeat, LeaveGroup: the classic protocol's member
// lifecycle and its errors.
#include <future>
#include <thread>

#include "broker/group/guarded_timer.h"
#include "tests/broker/group_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(GroupTest, MemberIdRequiredThenJoinSyncHeartbeat) {
  auto c = connect();
  auto joined = join_alone(c, "g");
  EXPECT_EQ(joined.generation_id, 1);
  EXPECT_EQ(joined.leader, joined.member_id);
  ASSERT_EQ(joined.members.size(), 1u);
  EXPECT_EQ(joined.protocol_name, "range");
  EXPECT_EQ(joined.member_id.rfind("kafkalite-client-", 0), 0u) << "client id, then a UUID";
  auto beat = [&](int32_t generation, const std::string& member) {
    HeartbeatRequest r;
    r.group_id = "g";
    r.generation_id = generation;
    r.member_id = member;
    return c.request<HeartbeatApi>(r, 4).error_code;
  };
  EXPECT_EQ(beat(1, joined.member_id), ErrorCode::None);
  EXPECT_EQ(beat(2, joined.member_id), ErrorCode::IllegalGeneration);
  EXPECT_EQ(beat(1, "nobody"), ErrorCode::UnknownMemberId);
  LeaveGroupRequest leave;
  leave.group_id = "g";
  leave.members.push_back({joined.member_id, std::nullopt, std::nullopt, {}});
  auto left = c.request<LeaveGroupApi>(leave, 5);
  EXPECT_EQ(left.error_code, ErrorCode::None);
  EXPECT_EQ(left.members.at(0).error_code, ErrorCode::None);
  EXPECT_EQ(beat(1, joined.member_id), ErrorCode::UnknownMemberId);
}

TEST_F(GroupTest, RefusedJoins) {
  auto c = connect();
  auto bad = join_request("", "");
  EXPECT_EQ(c.request<JoinGroupApi>(bad, 9).error_code, ErrorCode::InvalidGroupId);
  bad = join_request("g", "");
  bad.session_timeout_ms = 100;
  EXPECT_EQ(c.request<JoinGroupApi>(bad, 9).error_code, ErrorCode::InvalidSessionTimeout);
  EXPECT_EQ(c.request<JoinGroupApi>(join_request("other", "ghost"), 9).error_code,
            ErrorCode::UnknownMemberId);
  bad = join_request("g", "");
  bad.protocol_type = "";
  EXPECT_EQ(c.request<JoinGroupApi>(bad, 9).error_code, ErrorCode::InconsistentGroupProtocol);
  join_alone(c, "g");
  bad = join_request("g", "");
  bad.protocol_type = "connect";
  EXPECT_EQ(c.request<JoinGroupApi>(bad, 9).error_code, ErrorCode::InconsistentGroupProtocol)
      << "a stable consumer group refuses another protocol type";
}

TEST_F(GroupTest, SecondMemberRebalancesTheGroup) {
  auto a = connect();
  auto first = join_alone(a, "g");
  auto b = connect();
  const std::string b_id = b.request<JoinGroupApi>(join_request("g", ""), 9).member_id;
  // B's join waits until A rejoins; A learns of it from its heartbeat.
  auto b_joined = std::async(std::launch::async, [&] {
    return b.request<JoinGroupApi>(join_request("g", b_id), 9);
  });
  HeartbeatRequest hb;
  hb.group_id = "g";
  hb.generation_id = first.generation_id;
  hb.member_id = first.member_id;
  ErrorCode answer = ErrorCode::None;
  for (int i = 0; i < 500 && answer == ErrorCode::None; ++i) {
    answer = a.request<HeartbeatApi>(hb, 4).error_code;
    if (answer == ErrorCode::None) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling B's arrival
  }
  EXPECT_EQ(answer, ErrorCode::RebalanceInProgress);
  EXPECT_EQ(commit(a, "g", first.generation_id, first.member_id, "t", 1),
            ErrorCode::UnknownTopicOrPartition) << "topics are checked before the group";
  auto rejoined = a.request<JoinGroupApi>(join_request("g", first.member_id), 9);
  auto other = b_joined.get();
  EXPECT_EQ(rejoined.generation_id, 2);
  EXPECT_EQ(other.generation_id, 2);
  EXPECT_EQ(rejoined.leader, first.member_id);
  EXPECT_EQ(rejoined.members.size(), 2u) << "the leader gets every member";
  EXPECT_TRUE(other.members.empty()) << "followers get none";
  // A stale generation's commit is refused once the group moved on.
  broker_->create_topic("t");
  EXPECT_EQ(commit(a, "g", first.generation_id, first.member_id, "t", 1), ErrorCode::IllegalGeneration);
  EXPECT_EQ(commit(a, "g", 2, first.member_id, "t", 1), ErrorCode::RebalanceInProgress)
      << "the generation is not synced yet";
}

TEST_F(GroupTest, GroupMaxSizeAndStaticMemberFencing) {
  auto c = connect();
  auto joined = c.request<JoinGroupApi>(join_request("g", "", "instance-1"), 9);
  ASSERT_EQ(joined.error_code, ErrorCode::None) << "static members join without MEMBER_ID_REQUIRED";
  EXPECT_EQ(joined.member_id.rfind("instance-1-", 0), 0u);
  SyncGroupRequest sync;
  sync.group_id = "g";
  sync.generation_id = joined.generation_id;
  sync.member_id = joined.member_id;
  sync.protocol_type = "consumer";
  sync.protocol_name = "range";
  sync.assignments.push_back({joined.member_id, {5}, {}});
  ASSERT_EQ(c.request<SyncGroupApi>(sync, 5).error_code, ErrorCode::None);
  // The same instance again (a restart): it takes the old member's place,
  // keeps the assignment, and the group does not rebalance.
  auto again = c.request<JoinGroupApi>(join_request("g", "", "instance-1"), 9);
  EXPECT_EQ(again.error_code, ErrorCode::None);
  EXPECT_EQ(again.generation_id, joined.generation_id);
  EXPECT_NE(again.member_id, joined.member_id);
  HeartbeatRequest hb;
  hb.group_id = "g";
  hb.generation_id = joined.generation_id;
  hb.member_id = joined.member_id;
  hb.group_instance_id = "instance-1";
  EXPECT_EQ(c.request<HeartbeatApi>(hb, 4).error_code, ErrorCode::FencedInstanceId);
  hb.member_id = again.member_id;
  EXPECT_EQ(c.request<HeartbeatApi>(hb, 4).error_code, ErrorCode::None);
  DescribeGroupsRequest describe;
  describe.groups = {"g"};
  auto described = c.request<DescribeGroupsApi>(describe, 5).groups.at(0);
  EXPECT_EQ(described.group_state, "Stable");
  ASSERT_EQ(described.members.size(), 1u);
  EXPECT_EQ(described.members[0].member_assignment, (wire::Bytes{5}));
}

class SmallGroupTest : public GroupTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"", {{"group.initial.rebalance.delay.ms", "0"}, {"group.max.size", "1"}}};
  }
};

TEST_F(SmallGroupTest, GroupMaxSizeReached) {
  auto a = connect();
  join_alone(a, "g");
  auto b = connect();
  const std::string b_id = b.request<JoinGroupApi>(join_request("g", ""), 9).member_id;
  auto refused = b.request<JoinGroupApi>(join_request("g", b_id), 9);
  EXPECT_EQ(refused.error_code, ErrorCode::GroupMaxSizeReached);
  EXPECT_EQ(refused.member_id, "");
}

}  // namespace
}  // namespace kafkalite::testing

namespace kafkalite::testing {
namespace {

class SlowInitialRebalance : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"group.initial.rebalance.delay.ms", "60000"}}}; }
};

// A JoinGroup replaced by a newer one from the same member is never answered
// by Kafka; kafkalite closes its connection rather than answer it with an
// empty success.
TEST_F(SlowInitialRebalance, AReplacedJoinIsNotAnsweredWithAnEmptySuccess) {
  auto first = connect();
  auto required = first.request<JoinGroupApi>(join_request("g", ""), 9);
  ASSERT_EQ(required.error_code, ErrorCode::MemberIdRequired);
  first.send_frame(encode_request_frame<JoinGroupApi>(join_request("g", required.member_id), 9, 50, "c"));
  ASSERT_FALSE(first.readable_within(std::chrono::milliseconds(200))) << "parked for the initial delay";
  auto second = connect();
  second.send_frame(encode_request_frame<JoinGroupApi>(join_request("g", required.member_id), 9, 51, "c"));
  EXPECT_TRUE(first.closed_by_peer(std::chrono::seconds(20)))
      << "the replaced JoinGroup got an answer instead of none";
}

// Two timers due together, each cancelling the other when it fires: only one
// may fire, though Asio had queued both (cancel() cannot recall a queued handler).
TEST(GuardedTimer, ACancelledTimerNeverFiresEvenIfAlreadyQueued) {
  boost::asio::io_context io;
  broker::group::GuardedTimer a(io.get_executor()), b(io.get_executor());
  int fired = 0;
  a.schedule(std::chrono::milliseconds(0), [&] { ++fired; b.cancel(); });
  b.schedule(std::chrono::milliseconds(0), [&] { ++fired; a.cancel(); });
  io.run();
  EXPECT_EQ(fired, 1);
}

}  // namespace
}  // namespace kafkalite::testing
