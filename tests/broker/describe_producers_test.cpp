// DescribeProducers: the idempotent producers a partition remembers.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, DescribeProducersListsIdempotentProducers) {
  broker_->create_topic("p");
  auto c = connect();
  const auto pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4);
  produce(c, "p", 0, make_batch(3, {}, pid.producer_id.value(), 0, 0));
  produce(c, "p", 0, make_batch(2, {}, pid.producer_id.value(), 0, 3));
  DescribeProducersRequest request;
  request.topics.push_back({"p", {0, 5}, {}});
  auto response = c.request<DescribeProducersApi>(request, 0);
  const auto& partitions = response.topics.at(0).partitions;
  ASSERT_EQ(partitions.size(), 2u);
  ASSERT_EQ(partitions[0].active_producers.size(), 1u);
  EXPECT_EQ(partitions[0].active_producers[0].producer_id, pid.producer_id);
  EXPECT_EQ(partitions[0].active_producers[0].last_sequence, 4);
  EXPECT_EQ(partitions[1].error_code, ErrorCode::UnknownTopicOrPartition);
}

}  // namespace
}  // namespace kafkalite::testing
