// kafka-topics.sh: create, list, describe, alter (partitions) and delete
// topics, with Kafka 4.1.1's TopicCommand output and exit codes: results on
// stdout ("Created topic X."), failures as "Error while executing topic
// command : <message>" on stdout plus an ERROR line on stderr, exit code 1.
// Differs from Kafka: --replica-assignment and the partition-state filters
// (--under-replicated-partitions ...) are accepted but a single node has
// nothing under-replicated, so they list nothing.
#include <algorithm>
#include <iostream>
#include <regex>

#include "cli/kafka_tools/java_order.h"
#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli {

namespace {

const char* kLogger = "org.apache.kafka.tools.TopicCommand";

ToolOptions topic_options() {
  return ToolOptions(
      "kafka-topics.sh", "Create, delete, describe, or change a topic.",
      {{"alter", "", "Alter the number of partitions of a topic."},
       {"at-min-isr-partitions", "", "With --describe, only partitions whose ISR count equals min.insync.replicas."},
       {"bootstrap-server", "String: server to connect to", "REQUIRED: The Kafka server to connect to."},
       {"command-config", "String: command config property file", "A file of client properties."},
       {"config", "String: name=value", "A topic config override for the topic being created (repeatable)."},
       {"create", "", "Create a new topic."},
       {"delete", "", "Delete a topic."},
       {"describe", "", "List details for the given topics."},
       {"exclude-internal", "", "Exclude internal topics when listing or describing all topics."},
       {"help", "", "Print usage information."},
       {"if-exists", "", "When altering, deleting or describing, act only if the topic exists."},
       {"if-not-exists", "", "When creating, act only if the topic does not already exist."},
       {"list", "", "List all available topics."},
       {"partition-size-limit-per-response", "Integer: maximum number of partitions per response",
        "The maximum partition count in one DescribeTopicPartitions response."},
       {"partitions", "Integer: # of partitions", "The number of partitions for the topic being created or altered."},
       {"replica-assignment", "String: broker_id_for_part1_replica1 : ...", "A list of manual partition-to-broker assignments."},
       {"replication-factor", "Integer: replication factor", "The replication factor for each partition in the topic."},
       {"topic", "String: topic", "The topic to create, alter, describe or delete; a regular expression except with --create."},
       {"topic-id", "String: topic-id", "The id of the topic to describe."},
       {"topics-with-overrides", "", "With --describe, only topics that have overridden configs."},
       {"unavailable-partitions", "", "With --describe, only partitions whose leader is not available."},
       {"under-min-isr-partitions", "", "With --describe, only partitions whose ISR count is less than min.insync.replicas."},
       {"under-replicated-partitions", "", "With --describe, only under-replicated partitions."},
       {"version", "", "Display Kafka version."}});
}

int fail(const std::string& exception, const std::string& message) {
  std::cout << "Error while executing topic command : " << message << std::endl;
  log_error(kLogger, exception + ": " + message + "\n");
  return 1;
}

int fail(const client::Error& error) { return fail(exception_class(error.code), message_of(error)); }

std::string join_ids(const std::vector<int32_t>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out;
}

// The topics --topic names: a regular expression matched against every name
// (Kafka's IncludeList), or all of them.
std::vector<client::TopicInfo> select(std::vector<client::TopicInfo> all, const std::optional<std::string>& pattern,
                                      bool exclude_internal) {
  std::vector<client::TopicInfo> out;
  std::optional<std::regex> re;
  if (pattern) re.emplace(*pattern);
  for (auto& t : all) {
    if (exclude_internal && t.internal) continue;
    if (re && !std::regex_match(t.name, *re)) continue;
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

int create(client::Admin& admin, const ToolOptions& o) {
  const std::string topic = *o.value("topic");
  client::NewTopic t;
  t.name = topic;
  if (auto p = o.value("partitions")) t.partitions = std::stoi(*p);
  if (auto r = o.value("replication-factor")) t.replication_factor = static_cast<int16_t>(std::stoi(*r));
  std::string error;
  t.configs = key_values(o.values("config"), &error);
  if (!error.empty()) return fail("java.lang.IllegalArgumentException", error);
  if (topic.find('.') != std::string::npos || topic.find('_') != std::string::npos) {
    std::cout << "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') "
                 "could collide. To avoid issues it is best to use either, but not both."
              << std::endl;
  }
  auto result = admin.create_topics({t});
  if (!result) return fail(result.error());
  const client::Error& e = (*result)[topic];
  if (e.code == client::ErrorCode::TopicAlreadyExists && o.has("if-not-exists")) return 0;
  if (e) return fail(e);
  std::cout << "Created topic " << topic << "." << std::endl;
  return 0;
}

int list(client::Admin& admin, const ToolOptions& o) {
  auto topics = admin.list_topics();
  if (!topics) return fail(topics.error());
  for (const auto& t : select(std::move(*topics), o.value("topic"), o.has("exclude-internal"))) {
    std::cout << t.name << "\n";
  }
  std::cout.flush();
  return 0;
}

std::optional<std::vector<client::TopicInfo>> existing(client::Admin& admin, const ToolOptions& o, int& rc) {
  auto topics = admin.list_topics();
  if (!topics) {
    rc = fail(topics.error());
    return std::nullopt;
  }
  auto selected = select(std::move(*topics), o.value("topic"), o.has("exclude-internal") && !o.has("topic"));
  if (selected.empty() && o.has("topic") && !o.has("if-exists")) {
    rc = fail("java.lang.IllegalArgumentException", "Topic '" + *o.value("topic") + "' does not exist as expected");
    return std::nullopt;
  }
  return selected;
}

// The order Kafka's TopicCommand describes several topics in: that of a
// HashMap filled with the sorted names, copied, and refilled from the copy.
void describe_order(std::vector<client::TopicInfo>& topics) {
  JavaHashMap first(static_cast<uint32_t>(topics.size()));
  for (const auto& t : topics) first.put(t.name);
  JavaHashMap refilled(static_cast<uint32_t>(topics.size()));
  for (const auto& name : JavaHashMap::copy_of(first).keys()) refilled.put(name);
  std::map<std::string, client::TopicInfo> by_name;
  for (auto& t : topics) by_name.emplace(t.name, std::move(t));
  topics.clear();
  for (const auto& name : refilled.keys()) topics.push_back(std::move(by_name.at(name)));
}

int describe(client::Admin& admin, const ToolOptions& o) {
  int rc = 0;
  auto topics = existing(admin, o, rc);
  if (!topics) return rc;
  describe_order(*topics);
  for (const auto& t : *topics) {
    auto configs = admin.describe_configs(client::ConfigResourceType::kTopic, t.name, false);
    std::string shown;
    bool overridden = false;
    size_t min_isr = 1;
    if (configs) {
      for (const auto& c : *configs) {
        if (c.name == "min.insync.replicas" && c.value) min_isr = std::stoul(*c.value);
        if (c.source == 5) continue;  // DEFAULT_CONFIG
        if (c.source == 1) overridden = true;
        shown += (shown.empty() ? "" : ",") + c.name + "=" + (c.sensitive ? "<sensitive>" : c.value.value_or("null"));
      }
    }
    if (o.has("topics-with-overrides") && !overridden) continue;
    // The partition filters print only the partitions they select, no header.
    const bool partition_filter = o.has("under-replicated-partitions") || o.has("unavailable-partitions") ||
                                  o.has("under-min-isr-partitions") || o.has("at-min-isr-partitions");
    if (!partition_filter) {
      std::cout << "Topic: " << t.name << "\tTopicId: " << t.id.to_base64() << "\tPartitionCount: " << t.partitions.size()
                << "\tReplicationFactor: " << (t.partitions.empty() ? 0 : t.partitions.front().replicas.size())
                << "\tConfigs: " << shown << "\n";
    }
    for (const auto& p : t.partitions) {
      const bool selected = (o.has("under-replicated-partitions") && p.isr.size() < p.replicas.size()) ||
                            (o.has("unavailable-partitions") && p.leader < 0) ||
                            (o.has("under-min-isr-partitions") && p.isr.size() < min_isr) ||
                            (o.has("at-min-isr-partitions") && p.isr.size() == min_isr);
      if (partition_filter && !selected) continue;
      std::cout << "\tTopic: " << t.name << "\tPartition: " << p.partition
                << "\tLeader: " << (p.leader < 0 ? std::string("none") : std::to_string(p.leader))
                << "\tReplicas: " << join_ids(p.replicas) << "\tIsr: " << join_ids(p.isr) << "\tElr: \tLastKnownElr: \n";
    }
  }
  std::cout.flush();
  return 0;
}

int alter(client::Admin& admin, const ToolOptions& o) {
  int rc = 0;
  auto topics = existing(admin, o, rc);
  if (!topics) return rc;
  if (!o.has("partitions")) return 0;
  const int32_t count = std::stoi(*o.value("partitions"));
  std::map<std::string, int32_t> counts;
  for (const auto& t : *topics) counts[t.name] = count;
  auto result = admin.create_partitions(counts);
  if (!result) return fail(result.error());
  for (const auto& [name, e] : *result) {
    if (e) return fail(e);
  }
  return 0;
}

int remove(client::Admin& admin, const ToolOptions& o) {
  int rc = 0;
  auto topics = existing(admin, o, rc);
  if (!topics) return rc;
  std::vector<std::string> names;
  for (const auto& t : *topics) {
    if (t.internal) {
      return fail("java.lang.IllegalArgumentException", "Topic " + t.name + " is a kafka internal topic and is not allowed to be marked for deletion.");
    }
    names.push_back(t.name);
  }
  if (names.empty()) return 0;
  auto result = admin.delete_topics(names);
  if (!result) return fail(result.error());
  for (const auto& [name, e] : *result) {
    if (e) return fail(e);
  }
  return 0;
}

}  // namespace

int kafka_topics(const std::vector<std::string>& args) {
  ToolOptions o = topic_options();
  if (!o.parse(args)) return o.fail_with_usage(o.error());
  if (args.empty() || o.has("help")) return o.fail_with_usage("This tool helps to create, delete, describe, or change a topic.");
  if (o.has("version")) {
    std::cout << "4.1.1 (kafkalite)" << std::endl;
    return 0;
  }
  const int actions = o.has("create") + o.has("list") + o.has("describe") + o.has("alter") + o.has("delete");
  if (actions != 1) return o.fail_with_usage("Command must include exactly one action: --list, --describe, --create, --alter or --delete");
  if (!o.has("bootstrap-server")) return o.fail_with_usage("Missing required argument \"[bootstrap-server]\"");
  if ((o.has("create") || o.has("alter") || o.has("delete")) && !o.has("topic")) {
    return o.fail_with_usage("Missing required argument \"[topic]\"");
  }
  try {
    if (o.has("topic")) std::regex check(*o.value("topic"));
    for (const char* n : {"partitions", "replication-factor"}) {
      if (auto v = o.value(n)) (void)std::stoi(*v);
    }
  } catch (const std::exception&) {
    return o.fail_with_usage("Invalid value given for --topic, --partitions or --replication-factor");
  }
  auto admin = connect_admin(o);
  if (!admin) return 1;
  if (o.has("create")) return create(*admin, o);
  if (o.has("list")) return list(*admin, o);
  if (o.has("describe")) return describe(*admin, o);
  if (o.has("alter")) return alter(*admin, o);
  return remove(*admin, o);
}

}  // namespace kafkalite::cli
