// The log by Kafka's rules: records without timestamps are kept for
// retention.ms; MAX_TIMESTAMP stays right after retention; timestamp lookups
// go through the index blocks; an unknown producer may start at any
// sequence; idle producers' state expires after producer.id.expiration.ms.
#include "broker/log/partition_log.h"
#include "common/clock.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, RecordsWithoutTimestampsAreKeptForRetentionMs) {
  broker_->create_topic("untimed", 1, {{"retention.ms", "60000"}});
  auto c = connect();
  for (int i = 0; i < 10; ++i) ASSERT_EQ(produce(c, "untimed", 0, batch_at({-1, -1})).error_code, ErrorCode::None);
  broker_->enforce_retention();
  EXPECT_EQ(list_offset(c, "untimed", -2).offset, 0) << "records with timestamp -1 deleted at once";
  EXPECT_EQ(records_of(fetch(c, "untimed", 0, 0).records).size(), 20u);
}

TEST_F(BrokerTest, MaxTimestampStaysRightAfterRetention) {
  broker_->create_topic("t", 1, {{"retention.ms", "60000"}});
  auto c = connect();
  const int64_t now = kafkalite::now_ms();
  ASSERT_EQ(produce(c, "t", 0, batch_at({1000, 5000})).error_code, ErrorCode::None);  // ancient, holds the old maximum
  ASSERT_EQ(produce(c, "t", 0, batch_at({now - 10, now - 30})).error_code, ErrorCode::None);
  ASSERT_EQ(produce(c, "t", 0, batch_at({now - 20})).error_code, ErrorCode::None);
  EXPECT_EQ(list_offset(c, "t", -3).offset, 2);
  broker_->enforce_retention();
  ASSERT_EQ(list_offset(c, "t", -2).offset, 2);
  auto max = list_offset(c, "t", -3);
  EXPECT_EQ(max.offset, 2) << "the largest timestamp left is now - 10 at offset 2";
  EXPECT_EQ(max.timestamp, now - 10);
}

TEST_F(BrokerTest, AnUnknownProducerMayStartAtAnySequence) {
  broker_->create_topic("t", 1);
  auto c = connect();
  const int64_t pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4).producer_id.value();
  auto first = produce(c, "t", 0, make_batch(2, {}, pid, 0, 7));
  EXPECT_EQ(first.error_code, ErrorCode::None) << "Kafka 4.x accepts a producer it has no state for at any sequence";
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid, 0, 9)).error_code, ErrorCode::None);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid, 0, 11)).error_code,
            ErrorCode::OutOfOrderSequenceNumber);
  EXPECT_EQ(produce(c, "t", 0, make_batch(1, {}, pid, 1, 4)).error_code,
            ErrorCode::OutOfOrderSequenceNumber)
      << "a new epoch starts at 0";
}

class ProducerExpiry : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"producer.id.expiration.ms", "60000"}}}; }
};

TEST_F(ProducerExpiry, IdleProducersExpire) {
  broker_->create_topic("t", 1);
  auto c = connect();
  const int64_t now = kafkalite::now_ms();
  records::BatchBuilder idle;
  idle.producer_id = c.request<InitProducerIdApi>(idempotent_init_request(), 4).producer_id.value();
  idle.producer_epoch = 0;
  idle.base_sequence = 0;
  idle.add(now - 120000, std::nullopt, wire::Bytes{'i'});  // its last batch is two minutes old
  ASSERT_EQ(produce(c, "t", 0, idle.build()).error_code, ErrorCode::None);
  const int64_t active = c.request<InitProducerIdApi>(idempotent_init_request(), 4).producer_id.value();
  ASSERT_EQ(produce(c, "t", 0, make_batch(1, {}, active, 0, 0)).error_code, ErrorCode::None);
  auto producers = [&] {
    DescribeProducersRequest r;
    r.topics.push_back({"t", {0}, {}});
    const auto response = c.request<DescribeProducersApi>(r, 0);
    std::vector<int64_t> ids;
    for (const auto& p : response.topics.at(0).partitions.at(0).active_producers) ids.push_back(p.producer_id.value());
    return ids;
  };
  EXPECT_EQ(producers().size(), 2u);
  broker_->expire_producers();
  EXPECT_EQ(producers(), std::vector<int64_t>{active});
}

// Lookups by time through the index: the same answers as a scan of every
// record, over a log of many blocks with timestamps out of order.
TEST(PartitionIndex, TimestampLookupsMatchAFullScan) {
  auto store = storage::open_memory_store();
  wire::Uuid id;
  id.bytes[0] = 9;
  log::PartitionLog log(*store, id, 0);
  std::vector<int64_t> timestamps;  // by offset
  const std::string big(4000, 'x');
  for (int i = 0; i < 1200; ++i) {
    records::BatchBuilder b;
    const int64_t ts = 1'000'000 + (i * 7919) % 5000;  // wanders up and down
    b.add(ts, std::nullopt, wire::Bytes(big.begin(), big.end()));
    b.add(ts + 3, std::nullopt, wire::Bytes{'y'});
    const wire::Bytes batch = b.build();
    records::RecordsError error;
    ASSERT_EQ(log.append(batch, *records::peek_batch_header(batch, error), -1, 0, 1).error, ErrorCode::None);
    timestamps.push_back(ts);
    timestamps.push_back(ts + 3);
  }
  ASSERT_GT(log.size_bytes(), 3 * log::PartitionLog::kIndexBlockBytes) << "several index blocks";
  ASSERT_FALSE(log.delete_records_before(301));
  auto scan = [&](int64_t target) -> std::pair<int64_t, int64_t> {
    for (size_t o = 301; o < timestamps.size(); ++o) {
      if (timestamps[o] >= target) return {timestamps[o], static_cast<int64_t>(o)};
    }
    return {-1, -1};
  };
  for (int64_t target : {0L, 1'000'000L, 1'002'500L, 1'004'990L, 1'004'999L, 1'005'002L, 1'005'003L, 2'000'000L}) {
    auto found = log.offset_for_timestamp(target);
    EXPECT_EQ(std::make_pair(found.timestamp, found.offset), scan(target)) << "target " << target;
  }
  // The largest timestamp of the segments, records below the log start
  // included (Kafka's segments keep their figures until retention removes
  // them whole).
  int64_t best = -1, at = -1;
  for (size_t o = 0; o < timestamps.size(); ++o) {
    if (timestamps[o] > best) best = timestamps[o], at = static_cast<int64_t>(o);
  }
  EXPECT_EQ(log.max_timestamp().timestamp, best);
  EXPECT_EQ(log.max_timestamp().offset, at);
}

}  // namespace
}  // namespace kafkalite::testing
