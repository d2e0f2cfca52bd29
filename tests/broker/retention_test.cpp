// Retention: retention.bytes and retention.ms delete the oldest batches and move
// the log start offset, as Kafka deletes old segments.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, RetentionBytesAndMsMoveTheLogStart) {
  const auto batch_size = make_batch(1).size();
  broker_->create_topic("by-size", 1, {{"retention.bytes", std::to_string(batch_size)}});
  broker_->create_topic("by-time", 1, {{"retention.ms", "60000"}});
  broker_->create_topic("kept-forever", 1, {{"retention.ms", "-1"}});
  auto c = connect();
  for (int i = 0; i < 4; ++i) produce(c, "by-size", 0, make_batch(1));
  const int64_t old = 1000;  // long before now - retention.ms
  records::BatchBuilder ancient;
  ancient.add(old, std::nullopt, wire::Bytes{'o'});
  produce(c, "by-time", 0, ancient.build());
  produce(c, "by-time", 0, make_batch(1));
  produce(c, "kept-forever", 0, ancient.build());

  broker_->enforce_retention();
  EXPECT_EQ(list_offset(c, "by-size", -2).offset, 3) << "only the newest batch fits in retention.bytes";
  EXPECT_EQ(list_offset(c, "by-size", -1).offset, 4);
  EXPECT_EQ(list_offset(c, "by-time", -2).offset, 1) << "the old batch is gone, the new one stays";
  EXPECT_EQ(list_offset(c, "kept-forever", -2).offset, 0);
  EXPECT_EQ(fetch(c, "by-size", 0, 0).error_code, ErrorCode::OffsetOutOfRange);
}

}  // namespace
}  // namespace kafkalite::testing
