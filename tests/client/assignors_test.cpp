// The classic assignors as Kafka's RangeAssignor and RoundRobinAssignor
// assign (cases from their documented examples).
#include <gtest/gtest.h>

#include "client/assignors.h"

namespace kafkalite::client {
namespace {

std::vector<TopicPartition> tps(std::initializer_list<std::pair<const char*, int32_t>> list) {
  std::vector<TopicPartition> out;
  for (const auto& [t, p] : list) out.push_back({t, p});
  return out;
}

TEST(RangeAssignor, ConsecutiveRangesPerTopicFirstMembersGetMore) {
  // Two consumers, two topics of three partitions each (Kafka's javadoc).
  const std::vector<GroupMember> members = {{"C1", std::nullopt, {"t0", "t1"}}, {"C0", std::nullopt, {"t0", "t1"}}};
  const auto a = assign_range(members, {{"t0", 3}, {"t1", 3}});
  EXPECT_EQ(a.at("C0"), tps({{"t0", 0}, {"t0", 1}, {"t1", 0}, {"t1", 1}}));
  EXPECT_EQ(a.at("C1"), tps({{"t0", 2}, {"t1", 2}}));
}

TEST(RangeAssignor, StaticMembersOrderByInstanceId) {
  const std::vector<GroupMember> members = {{"a", "z", {"t"}}, {"b", "y", {"t"}}};
  const auto a = assign_range(members, {{"t", 2}});
  EXPECT_EQ(a.at("b"), tps({{"t", 0}}));
  EXPECT_EQ(a.at("a"), tps({{"t", 1}}));
}

TEST(RoundRobinAssignor, DealsEveryPartitionInTurnSkippingUnsubscribed) {
  // Kafka's javadoc: C0 on t0; C1 on t0, t1; C2 on t0, t1, t2; t0 has 1
  // partition, t1 2, t2 3.
  const std::vector<GroupMember> members = {
      {"C0", std::nullopt, {"t0"}}, {"C1", std::nullopt, {"t0", "t1"}}, {"C2", std::nullopt, {"t0", "t1", "t2"}}};
  const auto a = assign_roundrobin(members, {{"t0", 1}, {"t1", 2}, {"t2", 3}});
  EXPECT_EQ(a.at("C0"), tps({{"t0", 0}}));
  EXPECT_EQ(a.at("C1"), tps({{"t1", 0}}));
  EXPECT_EQ(a.at("C2"), tps({{"t1", 1}, {"t2", 0}, {"t2", 1}, {"t2", 2}}));
}

TEST(ConsumerProtocol, AssignmentRoundTrips) {
  const auto assigned = tps({{"a", 0}, {"a", 2}, {"b", 1}});
  EXPECT_EQ(decode_consumer_assignment(encode_assignment(assigned)), assigned);
  EXPECT_EQ(decode_subscription(encode_subscription({"x", "y"})), (std::vector<std::string>{"x", "y"}));
}

}  // namespace
}  // namespace kafkalite::client
