// Metadata: the single node, auto-creation as in KRaft, errors.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, MetadataAutoCreatesAnsweringUnknownTopicFirst) {
  auto c = connect();
  auto first = metadata(c, {"auto"});
  ASSERT_EQ(first.topics.size(), 1u);
  // What a real Kafka 4.1.1 (KRaft) answers while it creates the topic.
  EXPECT_EQ(first.topics[0].error_code, ErrorCode::UnknownTopicOrPartition);
  EXPECT_TRUE(first.topics[0].topic_id.is_zero());
  EXPECT_TRUE(first.topics[0].partitions.empty());
  auto second = metadata(c, {"auto"});
  EXPECT_EQ(second.topics[0].error_code, ErrorCode::None);
  ASSERT_EQ(second.topics[0].partitions.size(), 1u) << "num.partitions defaults to 1";
  const auto& p = second.topics[0].partitions[0];
  EXPECT_EQ(p.leader_id, 1);
  EXPECT_EQ(p.replica_nodes, std::vector<BrokerId>{BrokerId(1)});
  EXPECT_EQ(p.isr_nodes, std::vector<BrokerId>{BrokerId(1)});
  ASSERT_EQ(second.brokers.size(), 1u);
  EXPECT_EQ(second.brokers[0].node_id, 1);
  EXPECT_EQ(second.brokers[0].port, broker_->port());
  EXPECT_EQ(second.controller_id, 1);
  EXPECT_TRUE(second.cluster_id.has_value());
}

TEST_F(BrokerTest, MetadataErrors) {
  auto c = connect();
  EXPECT_EQ(metadata(c, {"no_auto"}, false).topics[0].error_code,
            ErrorCode::UnknownTopicOrPartition);
  EXPECT_EQ(metadata(c, {"bad/name"}).topics[0].error_code,
            ErrorCode::InvalidTopicException);
  MetadataRequest by_id;
  by_id.topics.emplace().push_back({wire::Uuid{{9, 9, 9}}, std::nullopt, {}});
  EXPECT_EQ(c.request<MetadataApi>(by_id, 12).topics[0].error_code,
            ErrorCode::UnknownTopicId);
}

TEST_F(BrokerTest, MetadataNullTopicsListsAll) {
  broker_->create_topic("one");
  broker_->create_topic("two", 2);
  auto c = connect();
  MetadataRequest all;
  all.topics = std::nullopt;
  auto response = c.request<MetadataApi>(all, 12);
  EXPECT_EQ(response.topics.size(), 2u);
}

}  // namespace
}  // namespace kafkalite::testing
