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

FetchRequest fetch_request(int64_t offset) {
  FetchRequest request;
  request.max_wait_ms = 0;
  request.min_bytes = 1;
  request.max_bytes = 52428800;
  request.session_epoch = -1;
  auto& t = request.topics.emplace_back();
  t.topic = TopicName("t");
  auto& p = t.partitions.emplace_back();
  p.partition = 0;
  p.fetch_offset = offset;
  p.partition_max_bytes = 10 * 1048576;
  return request;
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
  for (int i = 0; i < kFetches; ++i) c.send_only<FetchApi>(fetch_request(bases[i % 3]), 12);
  c.send_only<ApiVersionsApi>(ApiVersionsRequest{}, 3);

  const int32_t first = 5;  // correlation ids so far: 3 produces and a fetch, from 1
  for (int i = 0; i < kFetches; ++i) {
    const wire::Bytes frame = c.receive_frame();
    ResponseHeader header;
    FetchResponse response;
    std::string error;
    ASSERT_TRUE(decode_response_frame<FetchApi>(frame, 12, header, response, error)) << error;
    EXPECT_EQ(header.correlation_id, first + i);
    const auto& data = response.responses.at(0).partitions.at(0).records.data;
    ASSERT_TRUE(data.has_value());
    // From the requested batch to the end of the log: a suffix of `whole`.
    const size_t skipped = static_cast<size_t>(i % 3) * (whole->size() / 3);
    ASSERT_EQ(data->size(), whole->size() - skipped) << "fetch " << i;
    EXPECT_TRUE(std::equal(data->begin(), data->end(), whole->begin() + static_cast<std::ptrdiff_t>(skipped)))
        << "fetch " << i;
  }
  const wire::Bytes last = c.receive_frame();
  ResponseHeader header;
  ApiVersionsResponse versions;
  std::string error;
  ASSERT_TRUE(decode_response_frame<ApiVersionsApi>(last, 3, header, versions, error)) << error;
  EXPECT_EQ(header.correlation_id, first + kFetches);
  EXPECT_EQ(versions.error_code, ErrorCode::None);
}

}  // namespace
}  // namespace kafkalite::testing
