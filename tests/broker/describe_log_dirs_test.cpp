// DescribeLogDirs: one log dir with each partition's size.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

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

}  // namespace
}  // namespace kafkalite::testing
