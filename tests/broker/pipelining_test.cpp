// Pipelined requests on one connection: answered in request order, each
// whole, also when the answers carry record batches sent from the log
// rather than copied (scatter-gather writes) and pile up behind a client
// that has not read yet.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

class PipeliningTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("t", 1);
  }
};

FetchRequest fetch_from(int64_t offset) {
  FetchRequest request = fetch_request("t", 0, offset);
  request.topics[0].partitions[0].partition_max_bytes = 10 * 1048576;
  return request;
}

// Decodes an answer, checking its correlation id.
template <typename Api>
typename Api::Response answer(client::Connection& c, int16_t version, int32_t correlation_id) {
  const wire::Bytes frame = c.receive_frame();
  ResponseHeader header;
  typename Api::Response response;
  std::string error;
  EXPECT_TRUE(decode_response_frame<Api>(frame, version, header, response, error)) << error;
  EXPECT_EQ(header.correlation_id, correlation_id);
  return response;
}

TEST_F(PipeliningTest, AnswersComeInRequestOrderAndWhole) {
  auto c = connect();
  // Three batches of 5000 records each (well over the size that is sent
  // without copying).
  std::vector<int64_t> bases;
  for (int i = 0; i < 3; ++i) bases.push_back(produce(c, "t", 0, make_batch(5000)).base_offset);
  const auto whole = fetch(c, "t", 0, 0).records.data;
  ASSERT_TRUE(whole.has_value());
  ASSERT_GT(whole->size(), 3u * 16 * 1024);

  // Twelve fetches from each batch in turn, then an ApiVersions, all sent
  // before any answer is read.
  constexpr int kFetches = 12;
  for (int i = 0; i < kFetches; ++i) c.send_only<FetchApi>(fetch_from(bases[i % 3]), 12);
  c.send_only<ApiVersionsApi>(api_versions_request(), 3);

  const int32_t first = 5;  // correlation ids so far: 3 produces and a fetch, from 1
  for (int i = 0; i < kFetches; ++i) {
    const auto response = answer<FetchApi>(c, 12, first + i);
    const auto& data = response.responses.at(0).partitions.at(0).records.data;
    ASSERT_TRUE(data.has_value());
    // From the requested batch to the end of the log: a suffix of `whole`.
    const size_t skipped = static_cast<size_t>(i % 3) * (whole->size() / 3);
    ASSERT_EQ(data->size(), whole->size() - skipped) << "fetch " << i;
    EXPECT_TRUE(std::equal(data->begin(), data->end(), whole->begin() + static_cast<std::ptrdiff_t>(skipped)))
        << "fetch " << i;
  }
  const auto versions = answer<ApiVersionsApi>(c, 3, first + kFetches);
  EXPECT_EQ(versions.error_code, ErrorCode::None);
}

// Produces of many sizes sent back to back: the broker's reads end in the
// middle of frames, which it reads on where they lie or moves to make room;
// each request is taken whole and in order.
TEST_F(PipeliningTest, ProducesSentBackToBackAreEachTakenWhole) {
  auto c = connect();
  constexpr int kProduces = 30;
  std::vector<int> counts;
  for (int i = 0; i < kProduces; ++i) counts.push_back(200 + (i * 3709) % 9000);  // about 3 KB to 150 KB
  for (int i = 0; i < kProduces; ++i) {
    ProduceRequest request;
    request.acks = -1;
    request.timeout_ms = 30000;
    auto& p = request.topic_data.emplace_back().partition_data.emplace_back();
    request.topic_data[0].name = TopicName("t");
    p.index = 0;
    p.records.data = make_batch(counts[static_cast<size_t>(i)]);
    c.send_only<ProduceApi>(request, 9);
  }
  int64_t next = 0;
  for (int i = 0; i < kProduces; ++i) {
    const auto response = answer<ProduceApi>(c, 9, 1 + i);
    const auto& p = response.responses.at(0).partition_responses.at(0);
    EXPECT_EQ(p.error_code, ErrorCode::None) << "produce " << i;
    EXPECT_EQ(p.base_offset, next) << "produce " << i;
    next += counts[static_cast<size_t>(i)];
  }
  const auto fetched = fetch(c, "t", 0, 0);
  EXPECT_EQ(fetched.high_watermark, next);
}

}  // namespace
}  // namespace kafkalite::testing
