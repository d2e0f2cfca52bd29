// Fetch: reading back, limits, out-of-range offsets, long polling.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

class FetchTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("t", 1);
  }
};

TEST_F(FetchTest, ReturnsRecordsWithOffsetsAndWatermarks) {
  auto c = connect();
  produce(c, "t", 0, make_batch(3));
  produce(c, "t", 0, make_batch(2, records::Compression::kGzip));
  auto data = fetch(c, "t", 0, 1);
  EXPECT_EQ(data.error_code, ErrorCode::None);
  EXPECT_EQ(data.high_watermark, 5);
  EXPECT_EQ(data.last_stable_offset, 5);
  EXPECT_EQ(data.log_start_offset, 0);
  auto records = records_of(data.records);
  ASSERT_EQ(records.size(), 5u) << "the whole batch holding offset 1 comes back, as in Kafka";
  EXPECT_EQ(records[4].first, 4);
  EXPECT_EQ(records[4].second.value, (wire::Bytes{'v', '1'}));
}

TEST_F(FetchTest, AtEndReturnsNothing) {
  auto c = connect();
  produce(c, "t", 0, make_batch(2));
  auto data = fetch(c, "t", 0, 2);
  EXPECT_EQ(data.error_code, ErrorCode::None);
  EXPECT_TRUE(records_of(data.records).empty());
}

TEST_F(FetchTest, BeyondEndOrBeforeStartIsOffsetOutOfRange) {
  auto c = connect();
  produce(c, "t", 0, make_batch(2));
  auto beyond = fetch(c, "t", 0, 3);
  EXPECT_EQ(beyond.error_code, ErrorCode::OffsetOutOfRange);
  EXPECT_EQ(beyond.high_watermark, -1);
  DeleteRecordsRequest del;
  del.topics.push_back({"t", {{0, 1, {}}}, {}});
  EXPECT_EQ(c.request<DeleteRecordsApi>(del, 2).topics[0].partitions[0].low_watermark, 1);
  EXPECT_EQ(fetch(c, "t", 0, 0).error_code, ErrorCode::OffsetOutOfRange);
}

TEST_F(FetchTest, UnknownTopicIdIsUnknownTopicId) {
  auto c = connect();
  FetchRequest request;
  request.max_bytes = 1000;
  auto& t = request.topics.emplace_back();
  t.topic_id = wire::Uuid{{1, 2, 3}};
  t.partitions.push_back({});
  auto response = c.request<FetchApi>(request, 13);
  EXPECT_EQ(response.responses.at(0).partitions.at(0).error_code,
            ErrorCode::UnknownTopicId);
}

TEST_F(FetchTest, PartitionMaxBytesStillReturnsOneBatch) {
  auto c = connect();
  produce(c, "t", 0, make_batch(50));
  produce(c, "t", 0, make_batch(50));
  FetchRequest request;
  request.max_bytes = 10;
  auto& t = request.topics.emplace_back();
  t.topic = "t";
  auto& p = t.partitions.emplace_back();
  p.partition_max_bytes = 10;
  auto response = c.request<FetchApi>(request, 12);
  EXPECT_EQ(records_of(response.responses[0].partitions[0].records).size(), 50u)
      << "one batch over the limit is returned so the consumer can progress (KIP-74)";
}

TEST_F(FetchTest, LongPollIsWokenByProduce) {
  auto consumer = connect();
  auto producer = connect();
  // The fetch (willing to wait 60 s) is on the wire before the produce is
  // sent; it must come back with the record, well before its deadline.
  FetchRequest request;
  request.max_wait_ms = 60000;
  request.min_bytes = 1;
  request.max_bytes = 1 << 20;
  auto& t = request.topics.emplace_back();
  t.topic = "t";
  t.partitions.emplace_back().partition_max_bytes = 1 << 20;
  const auto start = std::chrono::steady_clock::now();
  consumer.send_frame(encode_request_frame<FetchApi>(request, 12, 99, "long-poller"));
  produce(producer, "t", 0, make_batch(1));
  const auto frame = consumer.receive_frame();
  const auto waited = std::chrono::steady_clock::now() - start;
  FetchResponse response;
  ResponseHeader header;
  std::string error;
  ASSERT_TRUE(decode_response_frame<FetchApi>(frame, 12, header, response, error)) << error;
  EXPECT_EQ(records_of(response.responses[0].partitions[0].records).size(), 1u);
  EXPECT_LT(waited, std::chrono::seconds(30));
}

TEST_F(FetchTest, IncrementalSessionRequestIsSessionNotFound) {
  auto c = connect();
  FetchRequest request;
  request.session_id = 12345;
  request.session_epoch = 1;
  EXPECT_EQ(c.request<FetchApi>(request, 12).error_code,
            ErrorCode::FetchSessionIdNotFound);
}

}  // namespace
}  // namespace kafkalite::testing
