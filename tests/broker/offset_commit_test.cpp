// OffsetCommit, OffsetFetch, OffsetDelete and DeleteGroups: committed offsets,
// simple groups, and offsets that go with their topic, group or restart.
#include <filesystem>

#include "tests/broker/group_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(GroupTest, SimpleGroupCommitsFetchAndDelete) {
  broker_->create_topic("t", 2);
  auto c = connect();
  EXPECT_EQ(committed_offset(c, "simple", "t"), -1) << "an unknown group has no offsets, and no error";
  EXPECT_EQ(commit(c, "simple", 3, "m", "t", 4), ErrorCode::GroupIdNotFound);
  EXPECT_EQ(commit(c, "simple", 3, "m", "t", 4, 8), ErrorCode::IllegalGeneration);
  EXPECT_EQ(commit(c, "simple", -1, "", "t", 4), ErrorCode::None) << "generation -1 makes a simple group";
  EXPECT_EQ(committed_offset(c, "simple", "t"), 4);
  DeleteGroupsRequest del;
  del.groups_names = {"simple", "never", "simple"};
  auto deleted = c.request<DeleteGroupsApi>(del, 2);
  ASSERT_EQ(deleted.results.size(), 2u) << "a repeated name is answered once";
  EXPECT_EQ(deleted.results[0].error_code, ErrorCode::None);
  EXPECT_EQ(deleted.results[1].error_code, ErrorCode::GroupIdNotFound);
  EXPECT_EQ(committed_offset(c, "simple", "t"), -1);
}

TEST_F(GroupTest, NonEmptyGroupCannotBeDeletedAndDeletedTopicsTakeTheirOffsets) {
  broker_->create_topic("t");
  auto c = connect();
  auto joined = join_alone(c, "g");
  EXPECT_EQ(commit(c, "g", joined.generation_id, joined.member_id, "t", 9), ErrorCode::None);
  DeleteGroupsRequest del;
  del.groups_names = {"g"};
  EXPECT_EQ(c.request<DeleteGroupsApi>(del, 2).results.at(0).error_code, ErrorCode::NonEmptyGroup);
  OffsetDeleteRequest offsets;
  offsets.group_id = "g";
  offsets.topics.push_back({"t", {{0, {}}}, {}});
  EXPECT_EQ(c.request<OffsetDeleteApi>(offsets, 0).topics.at(0).partitions.at(0).error_code,
            ErrorCode::GroupSubscribedToTopic)
      << "a consumer group whose subscriptions cannot be read counts as subscribed, as in Kafka";
  EXPECT_EQ(committed_offset(c, "g", "t"), 9);
  LeaveGroupRequest leave;
  leave.group_id = "g";
  leave.members.push_back({joined.member_id, std::nullopt, std::nullopt, {}});
  ASSERT_EQ(c.request<LeaveGroupApi>(leave, 5).members.at(0).error_code, ErrorCode::None);
  EXPECT_EQ(c.request<OffsetDeleteApi>(offsets, 0).topics.at(0).partitions.at(0).error_code, ErrorCode::None)
      << "an empty group is subscribed to nothing";
  EXPECT_EQ(committed_offset(c, "g", "t"), -1);
  EXPECT_EQ(c.request<DeleteGroupsApi>(del, 2).results.at(0).error_code, ErrorCode::None);
  joined = join_alone(c, "g");
  EXPECT_EQ(commit(c, "g", joined.generation_id, joined.member_id, "t", 10), ErrorCode::None);
  DeleteTopicsRequest drop;
  drop.timeout_ms = 1000;
  drop.topics.push_back({TopicName("t"), {}, {}});
  ASSERT_EQ(c.request<DeleteTopicsApi>(drop, 6).responses.at(0).error_code, ErrorCode::None);
  broker_->create_topic("t");
  EXPECT_EQ(committed_offset(c, "g", "t"), -1) << "offsets went with the deleted topic";
}

// After a restart a group is back as Kafka reloads it: Stable, with its
// members, whose heartbeats and commits carry on without a rejoin.
TEST(GroupPersistence, GroupsComeBackWithTheirMembers) {
  const auto dir = std::filesystem::temp_directory_path() / ("kafkalite-groups-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  JoinGroupResponse joined;
  {
    auto broker = EmbeddedBroker::start({dir.string(), {{"group.initial.rebalance.delay.ms", "0"}}});
    broker->create_topic("t");
    client::Connection c(broker->bootstrap());
    joined = join_alone(c, "g");
    ASSERT_EQ(commit(c, "g", joined.generation_id, joined.member_id, "t", 42), ErrorCode::None);
  }
  auto broker = EmbeddedBroker::start({dir.string(), {}});
  client::Connection c(broker->bootstrap());
  EXPECT_EQ(committed_offset(c, "g", "t"), 42);
  auto groups = c.request<ListGroupsApi>(ListGroupsRequest{}, 5).groups;
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].group_id, "g");
  EXPECT_EQ(groups[0].protocol_type, "consumer");
  EXPECT_EQ(groups[0].group_state, "Stable");
  HeartbeatRequest beat;
  beat.group_id = "g";
  beat.generation_id = joined.generation_id;
  beat.member_id = joined.member_id;
  EXPECT_EQ(c.request<HeartbeatApi>(beat, 4).error_code, ErrorCode::None);
  EXPECT_EQ(commit(c, "g", joined.generation_id, joined.member_id, "t", 43), ErrorCode::None);
  DescribeGroupsRequest describe;
  describe.groups = {"g"};
  auto described = c.request<DescribeGroupsApi>(describe, 5).groups.at(0);
  ASSERT_EQ(described.members.size(), 1u);
  EXPECT_EQ(described.members[0].member_id, joined.member_id);
  EXPECT_EQ(described.members[0].member_assignment, wire::Bytes{7});
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kafkalite::testing
