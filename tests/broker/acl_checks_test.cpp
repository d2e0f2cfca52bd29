// The ACL checks on the wire (broker/api/access.h): an ACL's host is
// compared with the client's IP as Java prints it, and each decision is
// logged in the words of Kafka's kafka.authorizer.logger. What each API
// checks is cross-checked against Kafka in tests/crosscheck (acls.cpp).
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "broker/security/authorizer.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST(JavaHostAddress, AsInetAddressGetHostAddressPrintsIt) {
  EXPECT_EQ(security::java_host_address("127.0.0.1:5000"), "127.0.0.1");
  EXPECT_EQ(security::java_host_address("::1:5000"), "0:0:0:0:0:0:0:1");
  EXPECT_EQ(security::java_host_address("[::1]:5000"), "0:0:0:0:0:0:0:1");
  EXPECT_EQ(security::java_host_address("2001:db8::ff00:42:8329:9092"), "2001:db8:0:0:0:ff00:42:8329");
  // Java turns an IPv4-mapped IPv6 address into the IPv4 one.
  EXPECT_EQ(security::java_host_address("::ffff:10.1.2.3:9092"), "10.1.2.3");
}

// Captures the default logger's lines while alive.
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_)) {
    spdlog::default_logger()->sinks().push_back(sink_);
    level_ = spdlog::get_level();
    spdlog::set_level(spdlog::level::debug);
  }
  ~LogCapture() {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    spdlog::set_level(level_);
  }
  std::string text() const { return lines_.str(); }

 private:
  std::ostringstream lines_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
  spdlog::level::level_enum level_;
};

class AclChecks : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"", {{"authorizer.class.name", security::kStandardAuthorizer}, {"allow.everyone.if.no.acl.found", "true"}}};
  }
  void add(client::Connection& c, const std::string& host, int8_t operation, int8_t permission) {
    CreateAclsRequest create;
    create.creations.push_back({2, "secret", 3, "User:ANONYMOUS", host, operation, permission, {}});
    ASSERT_EQ(c.request<CreateAclsApi>(create, 3).results.at(0).error_code, ErrorCode::None);
  }
};

TEST_F(AclChecks, HostsAreTheClientsIpAndDecisionsAreLoggedAsKafkas) {
  broker_->create_topic("secret");
  auto c = connect();
  // No ACL names the topic yet: allowed (allow.everyone.if.no.acl.found).
  EXPECT_EQ(produce(c, "secret", 0, make_batch(1)).error_code, ErrorCode::None);
  // An ALLOW from another host: the topic now has an ACL, and none allows
  // this client, so it is refused.
  add(c, "10.0.0.1", 4, 3);  // WRITE, ALLOW
  EXPECT_EQ(produce(c, "secret", 0, make_batch(1)).error_code, ErrorCode::TopicAuthorizationFailed);
  add(c, "127.0.0.1", 4, 3);
  EXPECT_EQ(produce(c, "secret", 0, make_batch(1)).error_code, ErrorCode::None);
  // A DENY of READ from this host; WRITE still allowed.
  add(c, "127.0.0.1", 3, 2);  // READ, DENY
  LogCapture log;
  EXPECT_EQ(fetch(c, "secret", 0, 0).error_code, ErrorCode::TopicAuthorizationFailed);
  EXPECT_NE(log.text().find("Principal = User:ANONYMOUS is Denied operation = READ from host = 127.0.0.1 on "
                            "resource = Topic:LITERAL:secret for request = Fetch with resourceRefCount = 1 based on "
                            "rule MatchingAcl(acl=StandardAcl(resourceType=TOPIC, resourceName=secret, "
                            "patternType=LITERAL, principal=User:ANONYMOUS, host=127.0.0.1, operation=READ, "
                            "permissionType=DENY))"),
            std::string::npos)
      << log.text();
  EXPECT_EQ(produce(c, "secret", 0, make_batch(1)).error_code, ErrorCode::None);
  EXPECT_NE(log.text().find("Principal = User:ANONYMOUS is Allowed operation = WRITE from host = 127.0.0.1"),
            std::string::npos)
      << log.text();
  // Metadata's authorized operations: WRITE and the DESCRIBE it implies.
  MetadataRequest request;
  request.topics.emplace().emplace_back().name = TopicName("secret");
  request.include_topic_authorized_operations = true;
  EXPECT_EQ(c.request<MetadataApi>(request, 12).topics.at(0).topic_authorized_operations, (1 << 4) | (1 << 8));
}

// Without an authorizer every operation a resource supports is reported,
// as Kafka reports them (checked against the real broker).
TEST_F(BrokerTest, WithoutAnAuthorizerEveryOperationIsAuthorized) {
  broker_->create_topic("t");
  auto c = connect();
  MetadataRequest request;
  request.topics.emplace().emplace_back().name = TopicName("t");
  request.include_topic_authorized_operations = true;
  EXPECT_EQ(c.request<MetadataApi>(request, 12).topics.at(0).topic_authorized_operations, 3576);
  DescribeClusterRequest cluster;
  cluster.include_cluster_authorized_operations = true;
  EXPECT_EQ(c.request<DescribeClusterApi>(cluster, 1).cluster_authorized_operations, 8096);
}

}  // namespace
}  // namespace kafkalite::testing
