// CreatePartitions: growing only, with Kafka's errors.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, CreatePartitionsGrowsOnly) {
  broker_->create_topic("grow", 2);
  auto c = connect();
  auto result = [&](int32_t count) {
    CreatePartitionsRequest request;
    request.topics.push_back({"grow", count, std::nullopt, {}});
    return c.request<CreatePartitionsApi>(request, 3).results.at(0).error_code;
  };
  EXPECT_EQ(result(1), ErrorCode::InvalidPartitions);
  EXPECT_EQ(result(2), ErrorCode::InvalidPartitions);
  EXPECT_EQ(result(2000000000), ErrorCode::UnknownServerError)
      << "over 10000 new partitions is refused, as Kafka's controller refuses it";
  EXPECT_EQ(result(4), ErrorCode::None);
  EXPECT_EQ(metadata(c, {"grow"}).topics[0].partitions.size(), 4u);
  EXPECT_EQ(produce(c, "grow", 3, make_batch(1)).error_code, ErrorCode::None);
  CreatePartitionsRequest missing;
  missing.topics.push_back({"nope", 3, std::nullopt, {}});
  EXPECT_EQ(c.request<CreatePartitionsApi>(missing, 3).results.at(0).error_code,
            ErrorCode::UnknownTopicOrPartition);
}

}  // namespace
}  // namespace kafkalite::testing
