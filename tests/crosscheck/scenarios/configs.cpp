// Configs: DescribeConfigs, AlterConfigs, IncrementalAlterConfigs on topics
// and the broker, values, sources and synonyms included.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

namespace {

constexpr int8_t kTopic = 2;
constexpr int8_t kBroker = 4;
constexpr auto incremental = &incremental_alter_config_request;

DescribeConfigsRequest describe(int8_t type, const std::string& name,
                                std::optional<std::vector<std::string>> keys, bool synonyms) {
  DescribeConfigsRequest request;
  auto& r = request.resources.emplace_back();
  r.resource_type = type;
  r.resource_name = name;
  r.configuration_keys = std::move(keys);
  request.include_synonyms = synonyms;
  return request;
}

// DescribeConfigs for `keys`, recorded once `key` shows `expected`.
void describe_when(Session& s, const std::string& label, const std::string& topic,
                   const std::vector<std::string>& keys, const std::string& key,
                   const std::string& expected, bool synonyms = true) {
  s.call_when<DescribeConfigsApi>(label, describe(kTopic, topic, keys, synonyms), [&](const auto& r) {
    for (const auto& e : r.results.at(0).configs) {
      if (e.name == key) return e.value == expected;
    }
    return false;
  });
}

}  // namespace

CROSSCHECK_SCENARIO(describe_configs, "") {
  const std::string topic = s.name("cfg");
  s.create_topic(topic, 1, {{"retention.ms", "3600000"}, {"cleanup.policy", "compact"}});
  s.call<DescribeConfigsApi>("all topic configs with synonyms", describe(kTopic, topic, std::nullopt, true));
  s.call<DescribeConfigsApi>("two keys, v1", describe(kTopic, topic, std::vector<std::string>{"retention.ms", "segment.bytes"}, true), 1);
  s.call<DescribeConfigsApi>("unknown key", describe(kTopic, topic, std::vector<std::string>{"no.such.key"}, false));
  s.call<DescribeConfigsApi>("unknown topic", describe(kTopic, s.name("missing"), std::nullopt, false));
  s.call<DescribeConfigsApi>("broker, chosen keys",
                             describe(kBroker, "1", std::vector<std::string>{
                                 "num.partitions", "log.retention.hours", "message.max.bytes",
                                 "auto.create.topics.enable", "group.initial.rebalance.delay.ms",
                                 "min.insync.replicas", "offsets.retention.minutes"}, true));
  s.call<DescribeConfigsApi>("another broker id", describe(kBroker, "7", std::vector<std::string>{"num.partitions"}, false));
  s.call<DescribeConfigsApi>("broker name not a number", describe(kBroker, "x", std::nullopt, false));
}

CROSSCHECK_SCENARIO(alter_configs, "") {
  const std::string topic = s.name("alter");
  s.create_topic(topic, 1, {{"retention.ms", "3600000"}});
  const auto keys = std::vector<std::string>{"retention.ms", "cleanup.policy", "max.message.bytes"};
  AlterConfigsRequest alter;
  auto& r = alter.resources.emplace_back();
  r.resource_type = kTopic;
  r.resource_name = topic;
  auto& c = r.configs.emplace_back();
  c.name = "max.message.bytes";
  c.value = "5000";
  s.call<AlterConfigsApi>("replace all with max.message.bytes", alter);
  describe_when(s, "after replace", topic, keys, "max.message.bytes", "5000");
  c.value = "many";
  s.call<AlterConfigsApi>("invalid value", alter);
  c.name = "no.such.config";
  s.call<AlterConfigsApi>("unknown config", alter);
  r.resource_name = s.name("missing");
  s.call<AlterConfigsApi>("unknown topic and unknown config", alter);
  c.name = "retention.ms";
  c.value = "1000";
  s.call<AlterConfigsApi>("unknown topic", alter);

  s.call<IncrementalAlterConfigsApi>("set retention.ms", incremental(topic, "retention.ms", 0, "7200000"));
  s.call<IncrementalAlterConfigsApi>("append to cleanup.policy", incremental(topic, "cleanup.policy", 2, "compact"));
  describe_when(s, "after set and append", topic, keys, "cleanup.policy", "delete,compact");
  s.call<IncrementalAlterConfigsApi>("subtract delete", incremental(topic, "cleanup.policy", 3, "delete"));
  s.call<IncrementalAlterConfigsApi>("delete retention.ms", incremental(topic, "retention.ms", 1, std::nullopt));
  describe_when(s, "after subtract and delete", topic, keys, "retention.ms", "604800000");
  s.call<IncrementalAlterConfigsApi>("append to a non-list", incremental(topic, "retention.ms", 2, "5"));
  s.call<IncrementalAlterConfigsApi>("invalid value", incremental(topic, "retention.ms", 0, "soon"));
  // Java's ConfigDef: booleans in any case, values trimmed; its own message for a bad boolean.
  s.call<IncrementalAlterConfigsApi>("invalid boolean",
                                     incremental(topic, "unclean.leader.election.enable", 0, "yes"));
  s.call<IncrementalAlterConfigsApi>("boolean in capitals, validate only", [&] {
    auto request = incremental(topic, "unclean.leader.election.enable", 0, "False");
    request.validate_only = true;
    return request;
  }());
  s.call<IncrementalAlterConfigsApi>("a number with spaces, validate only", [&] {
    auto request = incremental(topic, "retention.ms", 0, " 7200000 ");
    request.validate_only = true;
    return request;
  }());
  s.call<IncrementalAlterConfigsApi>("unknown operation", incremental(topic, "retention.ms", 7, "5"));
  s.call<IncrementalAlterConfigsApi>("unknown topic", incremental(s.name("missing"), "retention.ms", 0, "5"));
  auto validate = incremental(topic, "retention.ms", 0, "1000");
  validate.validate_only = true;
  s.call<IncrementalAlterConfigsApi>("validate only", validate);
  describe_when(s, "unchanged by validate only", topic, keys, "cleanup.policy", "compact", false);
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {
namespace {

IncrementalAlterConfigsRequest broker_change(const std::string& broker, std::vector<std::tuple<std::string, int8_t, std::optional<std::string>>> changes,
                                             bool validate_only = false) {
  IncrementalAlterConfigsRequest request;
  request.validate_only = validate_only;
  auto& r = request.resources.emplace_back();
  r.resource_type = kBroker;
  r.resource_name = broker;
  for (auto& [name, op, value] : changes) {
    auto& c = r.configs.emplace_back();
    c.name = name;
    c.config_operation = op;
    c.value = value;
  }
  return request;
}

const std::vector<std::string> kDynamicKeys = {"log.retention.ms", "log.retention.hours", "message.max.bytes",
                                               "log.cleaner.backoff.ms", "log.cleanup.policy", "min.insync.replicas"};

// DescribeConfigs of a broker resource, recorded once `key` shows `expected`
// (a change reaches a broker's view a moment after the controller has it).
void describe_broker_when(Session& s, const std::string& label, const std::string& broker, const std::string& key,
                          std::optional<std::string> expected) {
  s.call_when<DescribeConfigsApi>(label, describe(kBroker, broker, kDynamicKeys, true), [&](const auto& r) {
    for (const auto& e : r.results.at(0).configs) {
      if (e.name == key) return e.value == expected;
    }
    return !expected.has_value();
  });
}

}  // namespace

// Dynamic broker configs, per broker and for the whole cluster, on brokers of
// their own (cluster-wide changes would reach every other scenario), and
// after both restart.
CROSSCHECK_RESTART_SCENARIO(dynamic_broker_configs) {
  const std::string topic = s.name("inherits");
  s.create_topic(topic, 1);
  s.call<IncrementalAlterConfigsApi>("cluster default log.retention.ms",
                                     broker_change("", {{"log.retention.ms", 0, "7200000"}}));
  s.call<IncrementalAlterConfigsApi>("this broker's message.max.bytes and log.cleaner.backoff.ms",
                                     broker_change("1", {{"message.max.bytes", 0, "2000000"},
                                                         {"log.cleaner.backoff.ms", 0, "20000"}}));
  describe_broker_when(s, "this broker", "1", "message.max.bytes", "2000000");
  describe_broker_when(s, "the cluster default", "", "log.retention.ms", "7200000");
  s.call_when<DescribeConfigsApi>("the topic inherits", describe(kTopic, topic, std::vector<std::string>{"retention.ms", "max.message.bytes"}, true),
                                  [](const auto& r) {
                                    for (const auto& e : r.results.at(0).configs) {
                                      if (e.name == "max.message.bytes") return e.value == "2000000";
                                    }
                                    return false;
                                  });
  s.call<IncrementalAlterConfigsApi>("another broker id", broker_change("2", {{"log.retention.ms", 0, "1000"}}));
  s.call<IncrementalAlterConfigsApi>("not a number", broker_change("one", {{"log.retention.ms", 0, "1000"}}));
  s.call<IncrementalAlterConfigsApi>("a static config", broker_change("1", {{"log.retention.hours", 0, "5"}}));
  s.call<IncrementalAlterConfigsApi>("two static configs", broker_change("", {{"num.partitions", 0, "3"}, {"log.dirs", 0, "/x"}}));
  s.call<IncrementalAlterConfigsApi>("a per-broker config at the cluster level",
                                     broker_change("", {{"listener.security.protocol.map", 0, "PLAINTEXT:PLAINTEXT"}}));
  s.call<IncrementalAlterConfigsApi>("a bad value", broker_change("1", {{"log.retention.ms", 0, "soon"}}));
  s.call<IncrementalAlterConfigsApi>("validate only", broker_change("1", {{"log.retention.ms", 0, "1000"}}, true));
  s.call<IncrementalAlterConfigsApi>("a name Kafka does not know", broker_change("1", {{"no.such.config", 0, "x"}}));
  s.call<IncrementalAlterConfigsApi>("append to a list", broker_change("1", {{"log.cleanup.policy", 2, "compact"}}));
  s.call<IncrementalAlterConfigsApi>("append to a non-list", broker_change("1", {{"log.retention.ms", 2, "5"}}));
  s.call<IncrementalAlterConfigsApi>("append to a string", broker_change("1", {{"max.connections.per.ip.overrides", 2, "h:5"}}));
  s.call<IncrementalAlterConfigsApi>("three static configs",
                                     broker_change("1", {{"log.dirs", 0, "/y"}, {"broker.id", 0, "3"}, {"num.partitions", 0, "2"}}));
  describe_broker_when(s, "this broker, after the refusals", "1", "log.cleanup.policy", "delete,compact");

  s.restart_broker();
  s.await_topic(topic);
  describe_broker_when(s, "this broker after the restart", "1", "message.max.bytes", "2000000");
  describe_broker_when(s, "the cluster default after the restart", "", "log.retention.ms", "7200000");
  AlterConfigsRequest replace;
  auto& r = replace.resources.emplace_back();
  r.resource_type = kBroker;
  r.resource_name = "1";
  auto& c = r.configs.emplace_back();
  c.name = "log.cleaner.backoff.ms";
  c.value = "30000";
  s.call<AlterConfigsApi>("AlterConfigs replaces this broker's set", replace);
  describe_broker_when(s, "this broker, replaced", "1", "message.max.bytes", std::nullopt);
  s.call<IncrementalAlterConfigsApi>("delete the cluster default",
                                     broker_change("", {{"log.retention.ms", 1, std::nullopt}}));
  describe_broker_when(s, "the cluster default, deleted", "", "log.retention.ms", std::nullopt);
}

}  // namespace kafkalite::crosscheck
