// Bad frames: each gets Kafka's answer (a closed connection), and the broker
// keeps serving every other connection with nothing acknowledged lost.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

class BadInput : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("kept");
    auto c = connect();
    ASSERT_EQ(produce(c, "kept", 0, make_batch(3)).error_code, ErrorCode::None);
  }
  // After the bad input: a fresh connection still reads all 3 records.
  void expect_broker_healthy() {
    auto c = connect();
    EXPECT_EQ(records_of(fetch(c, "kept", 0, 0).records).size(), 3u);
  }
  void send_raw(const wire::Bytes& bytes, bool expect_close = true) {
    auto c = connect();
    c.send_frame(bytes);
    EXPECT_EQ(c.closed_by_peer(std::chrono::seconds(10)), expect_close);
  }
};

TEST_F(BadInput, NegativeFrameSize) {
  send_raw({0xff, 0xff, 0xff, 0xf0});
  expect_broker_healthy();
}

TEST_F(BadInput, FrameOverSocketRequestMaxBytes) {
  send_raw({0x06, 0x40, 0x00, 0x01});  // 104857601 > 104857600
  expect_broker_healthy();
}

TEST_F(BadInput, TruncatedRequestBody) {
  MetadataRequest request;
  request.topics.emplace().push_back({wire::Uuid{}, TopicName("kept"), {}});
  auto frame = encode_request_frame<MetadataApi>(request, 12, 1, "x");
  frame.resize(frame.size() - 3);
  frame[3] = static_cast<uint8_t>(frame.size() - 4);  // a consistent size for a short body
  send_raw(frame);
  expect_broker_healthy();
}

TEST_F(BadInput, GarbageHeader) {
  send_raw({0x00, 0x00, 0x00, 0x03, 0x00, 0x12, 0x00});
  expect_broker_healthy();
}

}  // namespace
}  // namespace kafkalite::testing
