// DescribeTopicPartitions (with paging), DescribeLogDirs and DescribeProducers.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, DescribeTopicPartitionsPagesWithACursor) {
  broker_->create_topic("b", 3);
  broker_->create_topic("a", 2);
  auto c = connect();
  DescribeTopicPartitionsRequest request;
  request.response_partition_limit = 3;
  auto first = c.request<DescribeTopicPartitionsApi>(request, 0);
  ASSERT_EQ(first.topics.size(), 2u);
  EXPECT_EQ(first.topics[0].name, "a");
  EXPECT_EQ(first.topics[0].partitions.size(), 2u);
  EXPECT_EQ(first.topics[1].partitions.size(), 1u);
  EXPECT_EQ(first.topics[1].topic_authorized_operations, 3576);
  ASSERT_TRUE(first.next_cursor);
  EXPECT_EQ(first.next_cursor->topic_name, "b");
  EXPECT_EQ(first.next_cursor->partition_index, 1);
  request.cursor.emplace();
  request.cursor->topic_name = "b";
  request.cursor->partition_index = 1;
  auto second = c.request<DescribeTopicPartitionsApi>(request, 0);
  ASSERT_EQ(second.topics.size(), 1u);
  ASSERT_EQ(second.topics[0].partitions.size(), 2u);
  EXPECT_EQ(second.topics[0].partitions[0].partition_index, 1);
  EXPECT_FALSE(second.next_cursor);

  DescribeTopicPartitionsRequest missing;
  missing.topics.push_back({"nope", {}});
  EXPECT_EQ(c.request<DescribeTopicPartitionsApi>(missing, 0).topics.at(0).error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(BrokerTest, DescribeLogDirsReportsPartitionSizes) {
  broker_->create_topic("sized", 2);
  auto c = connect();
  const auto batch = make_batch(5);
  produce(c, "sized", 1, batch);
  DescribeLogDirsRequest request;
  request.topics = std::nullopt;
  auto response = c.request<DescribeLogDirsApi>(request, 4);
  ASSERT_EQ(response.results.size(), 1u);
  ASSERT_EQ(response.results[0].topics.size(), 1u);
  const auto& partitions = response.results[0].topics[0].partitions;
  ASSERT_EQ(partitions.size(), 2u);
  EXPECT_EQ(partitions[0].partition_size, 0);
  EXPECT_EQ(partitions[1].partition_size, static_cast<int64_t>(batch.size()));
}

TEST_F(BrokerTest, DescribeProducersListsIdempotentProducers) {
  broker_->create_topic("p");
  auto c = connect();
  const auto pid = c.request<InitProducerIdApi>(InitProducerIdRequest{}, 4);
  produce(c, "p", 0, make_batch(3, {}, pid.producer_id, 0, 0));
  produce(c, "p", 0, make_batch(2, {}, pid.producer_id, 0, 3));
  DescribeProducersRequest request;
  request.topics.push_back({"p", {0, 5}, {}});
  auto response = c.request<DescribeProducersApi>(request, 0);
  const auto& partitions = response.topics.at(0).partitions;
  ASSERT_EQ(partitions.size(), 2u);
  ASSERT_EQ(partitions[0].active_producers.size(), 1u);
  EXPECT_EQ(partitions[0].active_producers[0].producer_id, pid.producer_id);
  EXPECT_EQ(partitions[0].active_producers[0].last_sequence, 4);
  EXPECT_EQ(partitions[1].error_code, static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

}  // namespace
}  // namespace kafkalite::testing
