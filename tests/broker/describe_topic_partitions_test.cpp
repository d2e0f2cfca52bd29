// DescribeTopicPartitions: sorted topics, paging with a cursor, unknown topics.
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
            ErrorCode::UnknownTopicOrPartition);
}

}  // namespace
}  // namespace kafkalite::testing
