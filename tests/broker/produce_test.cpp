// Produce: offsets, acks, validation errors, idempotent producers.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

constexpr ErrorCode kNone = ErrorCode::None;

class ProduceTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("t", 2);
  }
};

TEST_F(ProduceTest, AssignsConsecutiveOffsetsPerPartition) {
  auto c = connect();
  EXPECT_EQ(produce(c, "t", 0, make_batch(3)).base_offset, 0);
  EXPECT_EQ(produce(c, "t", 0, make_batch(2, records::Compression::kZstd)).base_offset, 3);
  EXPECT_EQ(produce(c, "t", 1, make_batch(1, records::Compression::kSnappy)).base_offset, 0);
  auto out = produce(c, "t", 0, make_batch(1, records::Compression::kLz4));
  EXPECT_EQ(out.error_code, kNone);
  EXPECT_EQ(out.base_offset, 5);
  EXPECT_EQ(out.log_append_time_ms, -1);
  EXPECT_EQ(out.log_start_offset, 0);
  const auto records = records_of(fetch(c, "t", 0, 0).records);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[3].first, 3);
  EXPECT_EQ(records[5].first, 5);
}

TEST_F(ProduceTest, LogAppendTimeTopicStampsTheBatch) {
  broker_->create_topic("stamped", 1, {{"message.timestamp.type", "LogAppendTime"}});
  auto c = connect();
  auto out = produce(c, "stamped", 0, make_batch(2));
  EXPECT_EQ(out.error_code, kNone);
  EXPECT_GT(out.log_append_time_ms, 0);
  auto data = fetch(c, "stamped", 0, 0);
  records::RecordsError error;
  auto batches = records::split_batches(*data.records.data, error);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].header.timestamp_type(), records::TimestampType::kLogAppendTime);
  EXPECT_EQ(batches[0].header.max_timestamp, out.log_append_time_ms);
  EXPECT_FALSE(records::validate_batch(batches[0]));
}

TEST_F(ProduceTest, UnknownTopicAndPartition) {
  auto c = connect();
  EXPECT_EQ(produce(c, "missing", 0, make_batch(1)).error_code,
            ErrorCode::UnknownTopicOrPartition);
  EXPECT_EQ(produce(c, "t", 2, make_batch(1)).error_code,
            ErrorCode::UnknownTopicOrPartition);
}

TEST_F(ProduceTest, CorruptCrcIsCorruptMessage) {
  auto c = connect();
  auto batch = make_batch(2);
  batch.back() ^= 0x5a;
  EXPECT_EQ(produce(c, "t", 0, batch).error_code, ErrorCode::CorruptMessage);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1)).base_offset, 0) << "nothing was appended";
}

TEST_F(ProduceTest, BatchOverMaxMessageBytesIsMessageTooLarge) {
  broker_->create_topic("small", 1, {{"max.message.bytes", "200"}});
  auto c = connect();
  EXPECT_EQ(produce(c, "small", 0, make_batch(20)).error_code,
            ErrorCode::MessageTooLarge);
  EXPECT_EQ(produce(c, "small", 0, make_batch(1)).error_code, kNone);
}

TEST_F(ProduceTest, OldMagicIsInvalidRecord) {
  auto c = connect();
  auto batch = make_batch(1);
  batch[16] = 1;
  EXPECT_EQ(produce(c, "t", 0, batch).error_code, ErrorCode::InvalidRecord);
}

TEST_F(ProduceTest, TwoBatchesOrNoneAreInvalidRecord) {
  auto c = connect();
  auto two = make_batch(1);
  auto second = make_batch(1);
  two.insert(two.end(), second.begin(), second.end());
  EXPECT_EQ(produce(c, "t", 0, two).error_code, ErrorCode::InvalidRecord);
  EXPECT_EQ(produce(c, "t", 0, {}).error_code, ErrorCode::InvalidRecord);
}

TEST_F(ProduceTest, AcksOneIsAnsweredLikeAcksAll) {
  auto c = connect();
  auto one = produce(c, "t", 0, make_batch(2), 1);
  EXPECT_EQ(one.error_code, kNone);
  EXPECT_EQ(one.base_offset, 0);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1), 1).base_offset, 2);
}

TEST_F(ProduceTest, InvalidAcks) {
  auto c = connect();
  EXPECT_EQ(produce(c, "t", 0, make_batch(1), 2).error_code,
            ErrorCode::InvalidRequiredAcks);
}

TEST_F(ProduceTest, AcksZeroGetsNoResponseButIsWritten) {
  auto c = connect();
  ProduceRequest request;
  request.acks = 0;
  auto& topic = request.topic_data.emplace_back();
  topic.name = "t";
  topic.partition_data.push_back({0, wire::Records{make_batch(4), {}}, {}});
  c.send_only<ProduceApi>(request, 9);
  // The next response on this connection is the fetch's: acks=0 sent none.
  EXPECT_EQ(records_of(fetch(c, "t", 0, 0).records).size(), 4u);
}

TEST_F(ProduceTest, IdempotentDuplicateGetsOriginalOffset) {
  auto c = connect();
  const auto pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4);
  ASSERT_EQ(pid.error_code, kNone);
  auto first = produce(c, "t", 0, make_batch(2, {}, pid.producer_id.value(), pid.producer_epoch, 0));
  auto second = produce(c, "t", 0, make_batch(3, {}, pid.producer_id.value(), pid.producer_epoch, 2));
  auto retry = produce(c, "t", 0, make_batch(2, {}, pid.producer_id.value(), pid.producer_epoch, 0));
  EXPECT_EQ(first.base_offset, 0);
  EXPECT_EQ(second.base_offset, 2);
  EXPECT_EQ(retry.error_code, kNone);
  EXPECT_EQ(retry.base_offset, 0);
  EXPECT_EQ(records_of(fetch(c, "t", 0, 0).records).size(), 5u) << "the retry was not appended";
}

TEST_F(ProduceTest, IdempotentGapIsOutOfOrderSequence) {
  auto c = connect();
  const auto pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 0, 0)).error_code, kNone);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 0, 5)).error_code,
            ErrorCode::OutOfOrderSequenceNumber);
  EXPECT_EQ(produce(c, "t", 1, make_batch(1, {}, pid.producer_id.value(), 0, 3)).error_code, kNone)
      << "Kafka 4.x takes a producer it has no state for at any sequence";
}

TEST_F(ProduceTest, IdempotentOldEpochIsFenced) {
  auto c = connect();
  const auto pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 3, 0)).error_code, kNone);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 2, 1)).error_code,
            ErrorCode::InvalidProducerEpoch);
}

TEST_F(ProduceTest, IdempotentWindowIsFiveBatches) {
  auto c = connect();
  const auto pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4);
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 0, i)).base_offset, i);
  }
  // Sequence 1 is within the last five: a duplicate. Sequence 0 fell out of the window.
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 0, 1)).base_offset, 1);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid.producer_id.value(), 0, 0)).error_code,
            ErrorCode::OutOfOrderSequenceNumber);
}


}  // namespace
}  // namespace kafkalite::testing
