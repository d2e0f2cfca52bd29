// Retention: retention.bytes and retention.ms delete the oldest whole
// segments and move the log start offset, as Kafka's; segments roll by
// segment.bytes and by record timestamps against segment.ms.
#include "common/clock.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

// A compacted topic takes keyed records only.
wire::Bytes keyed_at(int64_t timestamp) {
  records::BatchBuilder b;
  b.add(timestamp, wire::Bytes{'k'}, wire::Bytes{'v'});
  return b.build();
}

TEST_F(BrokerTest, RetentionDeletesWholeSegments) {
  const int64_t now = now_ms();
  const auto batch_size = batch_at({now}).size();
  // segment.ms=1: each batch, a millisecond or more after the last, rolls a segment.
  broker_->create_topic("by-size", 1, {{"retention.bytes", std::to_string(batch_size)}, {"segment.ms", "1"}});
  broker_->create_topic("by-time", 1, {{"retention.ms", "60000"}});
  broker_->create_topic("one-segment", 1, {{"retention.ms", "60000"}});
  broker_->create_topic("all-old", 1, {{"retention.ms", "60000"}});
  broker_->create_topic("kept-forever", 1, {{"retention.ms", "-1"}});
  broker_->create_topic("compacted", 1, {{"retention.ms", "60000"}, {"cleanup.policy", "compact"}});
  auto c = connect();
  for (int i = 0; i < 4; ++i) produce(c, "by-size", 0, batch_at({now + 10 * i}));
  const int64_t ancient = 1000;  // more than segment.ms (7 days) before now: the next batch rolls
  produce(c, "by-time", 0, batch_at({ancient}));
  produce(c, "by-time", 0, batch_at({now}));
  produce(c, "one-segment", 0, batch_at({now - 7200000}));  // two hours: the same segment as the next
  produce(c, "one-segment", 0, batch_at({now}));
  produce(c, "all-old", 0, batch_at({ancient}));
  produce(c, "all-old", 0, batch_at({ancient + 1}));
  produce(c, "kept-forever", 0, batch_at({ancient}));
  ASSERT_EQ(produce(c, "compacted", 0, keyed_at(ancient)).error_code, ErrorCode::None);
  ASSERT_EQ(produce(c, "compacted", 0, keyed_at(now)).error_code, ErrorCode::None);

  broker_->enforce_retention();
  EXPECT_EQ(list_offset(c, "by-size", -2).offset, 3) << "only the newest segment fits in retention.bytes";
  EXPECT_EQ(list_offset(c, "by-size", -1).offset, 4);
  EXPECT_EQ(fetch(c, "by-size", 0, 0).error_code, ErrorCode::OffsetOutOfRange);
  EXPECT_EQ(list_offset(c, "by-time", -2).offset, 1) << "the old segment is gone, the new one stays";
  EXPECT_EQ(list_offset(c, "one-segment", -2).offset, 0) << "a segment goes whole, by its newest record";
  EXPECT_EQ(list_offset(c, "all-old", -2).offset, 2) << "every segment old: the log starts again at its end";
  EXPECT_EQ(list_offset(c, "kept-forever", -2).offset, 0);
  EXPECT_EQ(list_offset(c, "compacted", -2).offset, 0) << "retention.ms needs cleanup.policy delete";
  EXPECT_EQ(list_offset(c, "compacted", -1).offset, 2);
  // The emptied log takes new records from its end.
  EXPECT_EQ(produce(c, "all-old", 0, batch_at({now})).base_offset, 2);
  EXPECT_EQ(list_offset(c, "all-old", -2).offset, 2);
}

}  // namespace
}  // namespace kafkalite::testing
