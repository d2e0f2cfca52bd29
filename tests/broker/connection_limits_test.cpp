// Kafka's connection and request limits: max.connections.per.ip closes the
// connection at once; max.connections makes new clients wait in the backlog;
// queued.max.requests and queued.max.request.bytes make a connection wait
// before its request is read or handled.
#include "tests/broker/group_fixture.h"

namespace kafkalite::testing {
namespace {

wire::Bytes api_versions_frame(int32_t correlation_id) {
  return encode_request_frame<ApiVersionsApi>(api_versions_request(), 3, correlation_id, "limits");
}

class PerIpLimit : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"max.connections.per.ip", "2"}}}; }
};

TEST_F(PerIpLimit, TheConnectionOverTheLimitIsClosed) {
  auto a = std::make_unique<client::Connection>(broker_->bootstrap());
  auto b = connect();
  EXPECT_EQ(a->request<ApiVersionsApi>(api_versions_request(), 3).error_code, ErrorCode::None);
  EXPECT_EQ(b.request<ApiVersionsApi>(api_versions_request(), 3).error_code, ErrorCode::None);
  auto c = connect();
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(20)));
  a.reset();
  // A slot is free again once the broker has seen the close.
  bool served = false;
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    auto d = connect();
    try {
      d.send_frame(api_versions_frame(7));
      served = !d.receive_frame().empty();
    } catch (const std::exception&) {  // rejected: the broker has not seen the close yet
    }
  }
  EXPECT_TRUE(served);
}

class MaxConnections : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"max.connections", "2"}}}; }
};

TEST_F(MaxConnections, NewClientsWaitUntilAConnectionCloses) {
  auto a = std::make_unique<client::Connection>(broker_->bootstrap());
  auto b = connect();
  EXPECT_EQ(a->request<ApiVersionsApi>(api_versions_request(), 3).error_code, ErrorCode::None);
  auto c = connect();  // the kernel completes the handshake; the broker does not accept yet
  c.send_frame(api_versions_frame(9));
  EXPECT_FALSE(c.readable_within(std::chrono::milliseconds(300))) << "served beyond max.connections";
  a.reset();
  EXPECT_TRUE(c.readable_within(std::chrono::seconds(20)));
  EXPECT_FALSE(c.receive_frame().empty());
}

class QueuedMaxRequests : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"", {{"queued.max.requests", "1"}, {"group.initial.rebalance.delay.ms", "1500"}}};
  }
};

TEST_F(QueuedMaxRequests, ARequestWaitsWhileTheQueueIsFull) {
  auto member = connect();
  auto required = member.request<JoinGroupApi>(join_request("g", ""), 9);
  member.send_frame(encode_request_frame<JoinGroupApi>(join_request("g", required.member_id), 9, 2, "m"));
  auto other = connect();
  other.send_frame(api_versions_frame(3));
  EXPECT_FALSE(other.readable_within(std::chrono::milliseconds(300))) << "the join holds the only slot";
  EXPECT_TRUE(member.readable_within(std::chrono::seconds(20)));
  EXPECT_TRUE(other.readable_within(std::chrono::seconds(20)));
}

class QueuedMaxRequestBytes : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"queued.max.request.bytes", "1000"}}}; }
};

TEST_F(QueuedMaxRequestBytes, ARequestWaitsForMemory) {
  auto big = connect();
  // A 10 kB frame, half sent: its bytes are spoken for while it arrives.
  wire::Bytes frame = api_versions_frame(4);
  wire::Bytes padded(frame.begin(), frame.end());
  padded.resize(4 + 10000, 0);
  const uint32_t size = 10000;
  padded[0] = static_cast<uint8_t>(size >> 24);
  padded[1] = static_cast<uint8_t>(size >> 16);
  padded[2] = static_cast<uint8_t>(size >> 8);
  padded[3] = static_cast<uint8_t>(size);
  big.send_frame(wire::Bytes(padded.begin(), padded.begin() + 5004));
  ASSERT_FALSE(big.readable_within(std::chrono::milliseconds(100)));
  auto small = connect();
  small.send_frame(api_versions_frame(5));
  EXPECT_FALSE(small.readable_within(std::chrono::milliseconds(300))) << "queued.max.request.bytes not applied";
  big.send_frame(wire::Bytes(padded.begin() + 5004, padded.end()));  // the rest: answered (trailing bytes ignored)
  EXPECT_TRUE(big.readable_within(std::chrono::seconds(20)));
  EXPECT_TRUE(small.readable_within(std::chrono::seconds(20)));
}

}  // namespace
}  // namespace kafkalite::testing
