// Configuration: Kafka property names from a file, the apache/kafka image's
// KAFKA_* variables (the lab's docker-compose settings), and listeners.
#include <gtest/gtest.h>

#include <time.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "broker/config/broker_config.h"
#include "broker/config/topic_config.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST(BrokerConfig, DefaultsListenWhereTheLabLooks) {
  config::BrokerConfig config;
  auto listeners = config.listeners();
  ASSERT_EQ(listeners.size(), 2u);
  EXPECT_EQ(listeners[0].port, 9092);
  EXPECT_EQ(listeners[1].name, "EXTERNAL");
  EXPECT_EQ(listeners[1].port, 19092);
  EXPECT_EQ(config.node_id(), 1);
}

TEST(BrokerConfig, TheLabsDockerComposeEnvironmentCarriesOver) {
  std::vector<std::string> env = {
      "KAFKA_NODE_ID=1",
      "KAFKA_PROCESS_ROLES=broker,controller",
      "KAFKA_LISTENERS=PLAINTEXT://0.0.0.0:9092,EXTERNAL://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093",
      "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:9092,EXTERNAL://localhost:19092",
      "KAFKA_CONTROLLER_LISTENER_NAMES=CONTROLLER",
      "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT",
      "KAFKA_LOG_DIRS=/var/lib/kafka/data",
      "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1",
      "KAFKA_HEAP_OPTS=-Xmx1G",
      "HOME=/root"};
  std::vector<char*> environ;
  for (auto& e : env) environ.push_back(e.data());
  environ.push_back(nullptr);
  config::BrokerConfig config;
  config.load_environment(environ.data());
  EXPECT_EQ(config.get("offsets.topic.replication.factor"), "1");
  EXPECT_EQ(config.log_dir(), "/var/lib/kafka/data");
  EXPECT_FALSE(config.get("heap.opts")) << "the image's JVM settings are not broker configs";
  auto listeners = config.listeners();
  ASSERT_EQ(listeners.size(), 2u) << "the controller listener is not a client listener";
  EXPECT_EQ(listeners[0].host, "0.0.0.0");
  auto advertised = config.advertised_listeners();
  ASSERT_EQ(advertised.size(), 2u);
  EXPECT_EQ(advertised[1].name, "EXTERNAL");
  EXPECT_EQ(advertised[1].host, "localhost");
}

TEST(BrokerConfig, PropertiesFile) {
  const std::string path = ::testing::TempDir() + "/server.properties";
  std::ofstream(path) << "# a comment\nnum.partitions=4\nlog.dirs = /tmp/x,/tmp/y\n! another\nnode.id: 7\n";
  config::BrokerConfig config;
  std::string error;
  ASSERT_TRUE(config.load_properties_file(path, error)) << error;
  EXPECT_EQ(config.get_int("num.partitions", 0), 4);
  EXPECT_EQ(config.log_dir(), "/tmp/x");
  EXPECT_EQ(config.node_id(), 7);
  std::remove(path.c_str());
}

// As Java's Properties.load: continued lines (how Kafka's docs write JAAS
// entries), escapes, and a key ended by whitespace.
TEST(BrokerConfig, PropertiesFileAsJavaReadsIt) {
  const std::string path = ::testing::TempDir() + "/server-java.properties";
  std::ofstream(path) << "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain"
                         ".PlainLoginModule required \\\n    username=\"admin\" \\\r\n\tpassword=\"a\\\\b\";\n"
                         "ssl.keystore.key=-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\n"
                         "key\\ with\\ spaces value\n"
                         "  # an indented comment \\\n"
                         "unicode=\\u0041\\u00e9\n";
  config::BrokerConfig config;
  std::string error;
  ASSERT_TRUE(config.load_properties_file(path, error)) << error;
  EXPECT_EQ(config.get_or("listener.name.sasl_plaintext.plain.sasl.jaas.config", ""),
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"a\\b\";");
  EXPECT_EQ(config.get_or("ssl.keystore.key", ""), "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");
  EXPECT_EQ(config.get_or("key with spaces", ""), "value");
  EXPECT_EQ(config.get_or("unicode", ""), "A\u00e9");
  for (const auto& [key, value] : config.values()) {  // the comment's backslash continues nothing
    EXPECT_EQ(key.find("comment"), std::string::npos) << key;
    EXPECT_EQ(value.find("comment"), std::string::npos) << key;
  }
  std::remove(path.c_str());
}

// The produce path reads a topic's settings from a cache: every way they
// can change (its overrides, this broker's dynamic config, the cluster's
// dynamic defaults, the static config) is seen at once.
TEST(TopicConfigCache, SeesEveryChangeAtOnce) {
  config::BrokerConfig broker;
  config::TopicOverrides overrides;
  config::TopicConfigCache cache;
  EXPECT_EQ(cache.get(broker, overrides).max_message_bytes, 1048588);
  overrides["max.message.bytes"] = "1000";
  EXPECT_EQ(cache.get(broker, overrides).max_message_bytes, 1000);
  overrides.clear();
  broker.set_dynamic(/*cluster_default=*/false, {{"message.max.bytes", "2000"}});
  EXPECT_EQ(cache.get(broker, overrides).max_message_bytes, 2000);
  broker.set_dynamic(/*cluster_default=*/true, {{"log.retention.hours", "1"}});
  EXPECT_EQ(cache.get(broker, overrides).retention_ms, 3600000);
  broker.set("log.cleanup.policy", "compact");
  EXPECT_TRUE(cache.get(broker, overrides).compact_policy);
  overrides["cleanup.policy"] = "delete";
  EXPECT_FALSE(cache.get(broker, overrides).compact_policy);
  EXPECT_EQ(cache.get(broker, overrides).max_message_bytes, 2000);
}

TEST(BrokerConfig, ListenerParsing) {
  std::string error;
  EXPECT_TRUE(config::parse_listeners("PLAINTEXT://[::1]:9092", error));
  EXPECT_FALSE(config::parse_listeners("localhost:9092", error));
  EXPECT_FALSE(config::parse_listeners("PLAINTEXT://host:99999", error));
}

class IdleConnections : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override { return {"", {{"connections.max.idle.ms", "300"}}}; }
};

TEST_F(IdleConnections, IdleConnectionIsClosedAfterConnectionsMaxIdleMs) {
  auto c = connect();
  EXPECT_EQ(c.request<ApiVersionsApi>(api_versions_request(), 3).error_code, ErrorCode::None);
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(20)));
}

// CPU seconds this process (the in-process broker included) has used.
double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// A request longer than connections.max.idle.ms (a JoinGroup parked for the
// initial rebalance delay) must neither close the connection nor make its
// idle watchdog spin: it once re-armed at a deadline already past, at 100 %
// CPU, for as long as the request was in hand.
class IdleWatchdogDuringALongRequest : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"", {{"connections.max.idle.ms", "300"}, {"group.initial.rebalance.delay.ms", "2000"}}};
  }
};

TEST_F(IdleWatchdogDuringALongRequest, DoesNotSpin) {
  auto c = connect();
  JoinGroupRequest join;
  join.group_id = "slow";
  join.session_timeout_ms = 10000;
  join.rebalance_timeout_ms = 10000;
  join.protocol_type = "consumer";
  join.protocols.push_back({"range", {0, 1}, {}});
  auto first = c.request<JoinGroupApi>(join, 9);
  ASSERT_EQ(first.error_code, ErrorCode::MemberIdRequired);
  join.member_id = first.member_id;
  const double cpu_before = process_cpu_seconds();
  auto joined = c.request<JoinGroupApi>(join, 9);  // answered after the 2 s delay
  const double cpu_used = process_cpu_seconds() - cpu_before;
  EXPECT_EQ(joined.error_code, ErrorCode::None);
  // Idle, this wait costs milliseconds of CPU; a spinning watchdog burns ~2 s.
  EXPECT_LT(cpu_used, 0.5) << "the idle watchdog spun while the request was in hand";
}

}  // namespace
}  // namespace kafkalite::testing

namespace kafkalite::testing {
namespace {

std::string start_error(std::map<std::string, std::string> properties) {
  try {
    EmbeddedBroker::start({"", std::move(properties)});
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Until kafkalite speaks TLS, a listener configured for it is refused rather
// than served in the clear; so is a SASL listener whose mechanisms kafkalite
// lacks (Kafka's default is GSSAPI).
TEST(ListenerSecurity, ListenersKafkaliteCannotSecureAsConfiguredAreRefused) {
  // A JKS key store (Kafka's default type), which OpenSSL cannot read.
  EXPECT_NE(start_error({{"listeners", "SECURE://127.0.0.1:0"},
                         {"listener.security.protocol.map", "SECURE:SSL"},
                         {"ssl.keystore.location", "/nonexistent/server.keystore.jks"},
                         {"ssl.keystore.password", "secret"}})
                .find("Failed to load SSL keystore /nonexistent/server.keystore.jks of type JKS"),
            std::string::npos);
  // An authorizer other than Kafka's StandardAuthorizer, and a super user
  // without a principal type.
  EXPECT_NE(start_error({{"authorizer.class.name", "kafka.security.authorizer.AclAuthorizer"}})
                .find("Class kafka.security.authorizer.AclAuthorizer cannot be found"),
            std::string::npos);
  EXPECT_NE(start_error({{"authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"},
                         {"super.users", "admin"}})
                .find("expected a string in format principalType:principalName but got admin"),
            std::string::npos);
  // SASL_SSL with Kafka's default mechanism, GSSAPI.
  EXPECT_NE(start_error({{"listeners", "SECURE://127.0.0.1:0"},
                         {"listener.security.protocol.map", "SECURE:SASL_SSL"}})
                .find("SASL mechanism GSSAPI is enabled for listener SECURE"),
            std::string::npos);
  EXPECT_NE(start_error({{"listeners", "SECURE://127.0.0.1:0"},
                         {"listener.security.protocol.map", "SECURE:SASL_PLAINTEXT"}})
                .find("SASL mechanism GSSAPI is enabled for listener SECURE"),
            std::string::npos);
  EXPECT_NE(start_error({{"listeners", "SECURE://127.0.0.1:0"},
                         {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT"}})
                .find("No security protocol defined for listener SECURE"),
            std::string::npos);
  EXPECT_EQ(start_error({{"listeners", "SECURE://127.0.0.1:0"},
                         {"listener.security.protocol.map", "SECURE:PLAINTEXT"}}),
            "");
}

// A static config of the wrong type stops the start, in Kafka's words, as
// KafkaConfig does (it used to be taken as the default).
TEST(StaticConfigs, AValueOfTheWrongTypeIsRefusedAtStart) {
  EXPECT_EQ(start_error({{"group.consumer.heartbeat.interval.ms", "abc"}}),
            "Invalid value abc for configuration group.consumer.heartbeat.interval.ms: Not a number of type INT");
  EXPECT_EQ(start_error({{"num.partitions", "3000000000"}}),
            "Invalid value 3000000000 for configuration num.partitions: Not a number of type INT");
  EXPECT_EQ(start_error({{"auto.create.topics.enable", "yes"}}),
            "Invalid value yes for configuration auto.create.topics.enable: Expected value to be either true or false");
  // Java trims values and reads booleans in any case.
  EXPECT_EQ(start_error({{"num.partitions", " 3 "}, {"auto.create.topics.enable", "False"}}), "");
}

TEST(ListenerSecurity, TheDockerImagesVariableCountsToo) {
  std::string env_map = "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=PLAINTEXT:SASL_PLAINTEXT";
  char* env[] = {env_map.data(), nullptr};
  config::BrokerConfig config;
  config.load_environment(env);
  EXPECT_EQ(config.security_protocol("PLAINTEXT"), "SASL_PLAINTEXT");
  EXPECT_EQ(config.security_protocol("EXTERNAL"), std::nullopt);
}

}  // namespace
}  // namespace kafkalite::testing

namespace kafkalite::testing {
namespace {

IncrementalAlterConfigsRequest set_broker_config(const std::string& broker, const std::string& name,
                                                 std::optional<std::string> value) {
  IncrementalAlterConfigsRequest r;
  auto& resource = r.resources.emplace_back();
  resource.resource_type = 4;
  resource.resource_name = broker;
  auto& c = resource.configs.emplace_back();
  c.name = name;
  c.config_operation = value ? 0 : 1;
  c.value = std::move(value);
  return r;
}

// Dynamic broker configs take effect at once — a cluster-default
// log.retention.ms deletes old records, a per-broker message.max.bytes
// bounds batches — and survive a restart.
TEST(DynamicBrokerConfigs, TakeEffectAndSurviveARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("kafkalite-dynamic-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto broker = EmbeddedBroker::start({dir.string(), {}});
    broker->create_topic("t", 1);
    client::Connection c(broker->bootstrap());
    records::BatchBuilder old;  // an hour old
    old.add(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count() -
                3600000,
            std::nullopt, wire::Bytes{'o'});
    ASSERT_EQ(produce(c, "t", 0, old.build()).error_code, ErrorCode::None);
    broker->enforce_retention();
    ASSERT_EQ(list_offset(c, "t", -2).offset, 0) << "kept for the default 7 days";
    auto set = c.request<IncrementalAlterConfigsApi>(set_broker_config("", "log.retention.ms", "60000"), 1);
    ASSERT_EQ(set.responses.at(0).error_code, ErrorCode::None);
    broker->enforce_retention();
    EXPECT_EQ(list_offset(c, "t", -2).offset, 1) << "the cluster default reached the topic";
    ASSERT_EQ(c.request<IncrementalAlterConfigsApi>(set_broker_config("1", "message.max.bytes", "100"), 1)
                  .responses.at(0).error_code, ErrorCode::None);
    EXPECT_EQ(produce(c, "t", 0, make_batch(20)).error_code, ErrorCode::MessageTooLarge);
  }
  auto broker = EmbeddedBroker::start({dir.string(), {}});
  client::Connection c(broker->bootstrap());
  EXPECT_EQ(produce(c, "t", 0, make_batch(20)).error_code, ErrorCode::MessageTooLarge)
      << "the per-broker config came back";
  ASSERT_EQ(c.request<IncrementalAlterConfigsApi>(set_broker_config("1", "message.max.bytes", std::nullopt), 1)
                .responses.at(0).error_code, ErrorCode::None);
  EXPECT_EQ(produce(c, "t", 0, make_batch(20)).error_code, ErrorCode::None);
  auto refused = c.request<IncrementalAlterConfigsApi>(set_broker_config("2", "log.retention.ms", "1"), 1);
  EXPECT_EQ(refused.responses.at(0).error_code, ErrorCode::InvalidRequest);
  EXPECT_EQ(refused.responses.at(0).error_message, "Unexpected broker id, expected 1, but received 2");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kafkalite::testing
