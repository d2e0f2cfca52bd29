// The cluster view's async core under its blocking facade: a broker that
// accepts and never answers costs the request timeout and a clear error, and
// an address nobody listens on names itself.
#include <gtest/gtest.h>

#include "client/cluster.h"

namespace kafkalite::client {
namespace {

TEST(Cluster, ABrokerThatNeverAnswersTimesOut) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  ClientConfig config;
  config.bootstrap_servers = "127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  config.request_timeout = std::chrono::milliseconds(300);
  const auto started = std::chrono::steady_clock::now();
  auto cluster = Cluster::connect(config);  // the kernel completes the handshake; nothing answers
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(cluster);
  EXPECT_EQ(cluster.error().code, ErrorCode::NetworkException);
  EXPECT_NE(cluster.error().message.find("ApiVersions got no response within 300 ms"), std::string::npos)
      << cluster.error().message;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(Cluster, RefusedConnectionsNameTheAddress) {
  ClientConfig config;
  config.bootstrap_servers = "127.0.0.1:1, 127.0.0.1:2";
  auto cluster = Cluster::connect(config);
  ASSERT_FALSE(cluster);
  EXPECT_EQ(cluster.error().message,
            "cannot connect to the broker at 127.0.0.1:1 (Connection refused); 127.0.0.1:2 (Connection refused)");
}

TEST(Cluster, AnAddressWithoutAPortIsRefusedBeforeConnecting) {
  ClientConfig config;
  config.bootstrap_servers = "localhost";
  auto cluster = Cluster::connect(config);
  ASSERT_FALSE(cluster);
  EXPECT_EQ(cluster.error().message, "bootstrap server 'localhost' has no port (host:port)");
}

}  // namespace
}  // namespace kafkalite::client
