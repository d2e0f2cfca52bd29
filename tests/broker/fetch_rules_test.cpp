// Fetch and produce by Kafka's rules: fetch.max.bytes caps every fetch,
// min_bytes is capped at max_bytes, a raw slice of the log at the byte
// limit, partitions that returned data move to the end of an incremental
// session so none starves, partitions refused before reading come last, an
// append wakes only the fetches waiting on its partition, and an acks=0
// produce that fails closes the connection.
#include "broker/fetch/partition_waiters.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

FetchRequest fetch_of(const std::string& topic, std::vector<int32_t> partitions, int32_t max_bytes,
                      int32_t partition_max_bytes, int32_t session_epoch = -1, int32_t session_id = 0) {
  FetchRequest r;
  r.max_wait_ms = 0;
  r.min_bytes = 1;
  r.max_bytes = max_bytes;
  r.session_id = session_id;
  r.session_epoch = session_epoch;
  auto& t = r.topics.emplace_back();
  t.topic = TopicName(topic);
  for (int32_t index : partitions) {
    auto& p = t.partitions.emplace_back();
    p.partition = index;
    p.fetch_offset = 0;
    p.partition_max_bytes = partition_max_bytes;
  }
  return r;
}

size_t bytes_in(const FetchResponse& r) {
  size_t n = 0;
  for (const auto& t : r.responses) {
    for (const auto& p : t.partitions) n += p.records.data ? p.records.data->size() : 0;
  }
  return n;
}

class FetchMaxBytes : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"fetch.max.bytes", "1024"}}}; }
};

TEST_F(FetchMaxBytes, TheBrokersLimitCapsTheRequest) {
  broker_->create_topic("t", 2);
  auto c = connect();
  for (int i = 0; i < 4; ++i) ASSERT_EQ(produce(c, "t", i % 2, make_batch(40)).error_code, ErrorCode::None);
  const size_t batch = make_batch(40).size();
  ASSERT_GT(2 * batch, 1024u);
  auto response = c.request<FetchApi>(fetch_of("t", {0, 1}, 50 << 20, 1 << 20), 12);
  EXPECT_EQ(bytes_in(response), 1024u) << "the client's 50 MiB is capped at fetch.max.bytes";
}

TEST_F(FetchMaxBytes, MinBytesIsCappedAtMaxBytes) {
  broker_->create_topic("t", 1);
  auto c = connect();
  ASSERT_EQ(produce(c, "t", 0, make_batch(40)).error_code, ErrorCode::None);
  ASSERT_EQ(produce(c, "t", 0, make_batch(40)).error_code, ErrorCode::None);  // more than 1024 bytes in all
  auto request = fetch_of("t", {0}, 50 << 20, 1 << 20);
  request.min_bytes = 10 << 20;  // more than fetch.max.bytes allows: capped at 1024
  request.max_wait_ms = 60000;
  c.send_frame(encode_request_frame<FetchApi>(request, 12, 1, "t"));
  ASSERT_TRUE(c.readable_within(std::chrono::seconds(20)))
      << "the fetch waited for min_bytes it could never return";
}

TEST_F(BrokerTest, ALaterPartitionGetsARawSliceUpToItsLimit) {
  broker_->create_topic("t", 3);
  auto c = connect();
  for (int32_t p = 0; p < 3; ++p) {
    ASSERT_EQ(produce(c, "t", p, make_batch(5)).error_code, ErrorCode::None);
    ASSERT_EQ(produce(c, "t", p, make_batch(5)).error_code, ErrorCode::None);
  }
  const int32_t batch = static_cast<int32_t>(make_batch(5).size());
  // The first partition gets its whole batch though it is over its limit
  // (KIP-74). The next ones get a raw slice of their limit — cut mid-batch
  // after a whole first batch, and nothing when the first batch does not
  // fit, as Kafka drops an incomplete first batch.
  auto response = c.request<FetchApi>(fetch_of("t", {0, 1}, 1 << 20, batch + 10), 12);
  ASSERT_EQ(response.responses.size(), 1u);
  EXPECT_EQ(response.responses[0].partitions[0].records.data->size(), static_cast<size_t>(batch + 10));
  EXPECT_EQ(response.responses[0].partitions[1].records.data->size(), static_cast<size_t>(batch + 10));
  response = c.request<FetchApi>(fetch_of("t", {0, 1, 2}, 1 << 20, 10), 12);
  EXPECT_EQ(response.responses[0].partitions[0].records.data->size(), static_cast<size_t>(batch));
  EXPECT_TRUE(response.responses[0].partitions[1].records.data->empty());
  EXPECT_TRUE(response.responses[0].partitions[2].records.data->empty());
}

TEST_F(BrokerTest, IncrementalSessionsMovePartitionsThatReturnedDataToTheEnd) {
  broker_->create_topic("t", 2);
  auto c = connect();
  ASSERT_EQ(produce(c, "t", 0, make_batch(5)).error_code, ErrorCode::None);
  ASSERT_EQ(produce(c, "t", 1, make_batch(5)).error_code, ErrorCode::None);
  const int32_t batch = static_cast<int32_t>(make_batch(5).size());
  // max_bytes fits one batch: whoever is read first takes the budget.
  auto full = c.request<FetchApi>(fetch_of("t", {0, 1}, batch, 1 << 20, 0), 12);
  ASSERT_NE(full.session_id, 0);
  EXPECT_FALSE(full.responses[0].partitions[0].records.data->empty());
  EXPECT_TRUE(full.responses[0].partitions[1].records.data->empty());
  // Nothing changes in the request. The fetch that opened the session
  // leaves its order alone (as Kafka's does); from then on a partition that
  // returned data goes to the back.
  FetchRequest next = fetch_of("t", {}, batch, 1 << 20, 1, full.session_id);
  next.topics.clear();
  auto first_incremental = c.request<FetchApi>(next, 12);
  ASSERT_EQ(first_incremental.responses.at(0).partitions.at(0).partition_index, 0);
  next.session_epoch = 2;
  auto second = c.request<FetchApi>(next, 12);
  ASSERT_EQ(second.responses.size(), 1u);
  ASSERT_FALSE(second.responses[0].partitions.empty());
  EXPECT_EQ(second.responses[0].partitions[0].partition_index, 1);
  EXPECT_FALSE(second.responses[0].partitions[0].records.data->empty()) << "partition 1 starved";
}

TEST_F(BrokerTest, PartitionsRefusedBeforeReadingComeLast) {
  broker_->create_topic("t", 1);
  auto c = connect();
  FetchRequest r = fetch_of("nope", {0}, 1 << 20, 1 << 20);
  r.topics.push_back(fetch_of("t", {5, 0}, 1 << 20, 1 << 20).topics[0]);
  auto response = c.request<FetchApi>(r, 12);
  ASSERT_EQ(response.responses.size(), 3u);
  EXPECT_EQ(response.responses[0].topic, "t");
  EXPECT_EQ(response.responses[0].partitions.at(0).partition_index, 0);
  EXPECT_EQ(response.responses[0].partitions.at(0).error_code, ErrorCode::None);
  EXPECT_EQ(response.responses[1].topic, "nope");
  EXPECT_EQ(response.responses[2].topic, "t");
  EXPECT_EQ(response.responses[2].partitions.at(0).partition_index, 5);
}

TEST(PartitionWaiters, AnAppendWakesOnlyTheFetchesOnItsPartition) {
  boost::asio::io_context io;
  fetch::PartitionWaiters waiters;
  wire::Uuid a, b;
  a.bytes[0] = 1;
  b.bytes[0] = 2;
  boost::asio::steady_timer on_a(io, std::chrono::hours(1)), on_b(io, std::chrono::hours(1));
  bool a_woken = false, b_woken = false;
  on_a.async_wait([&](auto ec) { a_woken = ec == boost::asio::error::operation_aborted; });
  on_b.async_wait([&](auto ec) { b_woken = ec == boost::asio::error::operation_aborted; });
  waiters.add(&on_a, {{a, 0}});
  waiters.add(&on_b, {{b, 0}, {a, 1}});
  waiters.notify({a, 1});
  waiters.notify({b, 3});
  io.poll();
  EXPECT_FALSE(a_woken);
  EXPECT_TRUE(b_woken);
  waiters.remove(&on_a);
  waiters.remove(&on_b);
  EXPECT_EQ(waiters.waiting(), 0u);
}

TEST_F(BrokerTest, AFailedAcksZeroProduceClosesTheConnection) {
  broker_->create_topic("t", 1);
  auto c = connect();
  ProduceRequest ok;
  ok.acks = 0;
  ok.timeout_ms = 1000;
  auto& t = ok.topic_data.emplace_back();
  t.name = "t";
  t.partition_data.push_back({0, {make_batch(1), {}}, {}});
  c.send_only<ProduceApi>(ok, 9);
  EXPECT_FALSE(c.readable_within(std::chrono::milliseconds(300))) << "acks=0: no answer, connection open";
  ProduceRequest bad = ok;
  bad.topic_data[0].name = "no-such-topic";
  c.send_only<ProduceApi>(bad, 9);
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(20)));
  auto other = connect();
  EXPECT_EQ(fetch(other, "t", 0, 0).high_watermark, 1) << "the good one was appended";
}

}  // namespace
}  // namespace kafkalite::testing
