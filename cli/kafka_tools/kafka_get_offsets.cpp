// kafka-get-offsets.sh: a partition's offset at a time (latest, earliest,
// max-timestamp, a timestamp) as Kafka 4.1.1's GetOffsetShell prints it:
// "topic:partition:offset", lines sorted by the text "topic-partition",
// partitions without an answer (-1) left out; errors as "Error occurred:
// <message>" on stderr, exit code 1.
#include <algorithm>
#include <iostream>
#include <regex>
#include <sstream>

#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli {

namespace {

int error(const std::string& message) {
  std::cerr << "Error occurred: " << message << std::endl;
  return 1;
}

// --topic-partitions rules: "topic-regex[:N | :A-B | :A- | :-B]", comma-separated.
struct Rule {
  std::regex topic;
  int32_t from = 0, to = INT32_MAX;  // from <= p < to
};

}  // namespace

int kafka_get_offsets(const std::vector<std::string>& args) {
  ToolOptions o("kafka-get-offsets.sh", "An interactive shell for getting topic-partition offsets.",
                {{"bootstrap-server", "String: HOST1:PORT1,...,HOST3:PORT3", "REQUIRED. The server(s) to connect to."},
                 {"command-config", "String: config file", "Property file of admin client configs."},
                 {"exclude-internal-topics", "", "Leave out internal topics."},
                 {"help", "", "Print usage information."},
                 {"partitions", "String: partition ids", "Comma separated partition ids (default: all)."},
                 {"time", "String: timestamp", "latest (-1), earliest (-2), max-timestamp (-3), or a timestamp in ms (default latest)."},
                 {"topic", "String: topic", "The topic (a Java regular expression; default all)."},
                 {"topic-partitions", "String: topic1:1,topic2:0-3,...", "Topic-partition rules."},
                 {"version", "", "Display Kafka version."}});
  if (!o.parse(args)) return error(o.error());
  if (args.empty() || o.has("help")) return o.fail_with_usage("An interactive shell for getting topic-partition offsets.");
  if (!o.has("bootstrap-server")) return o.fail_with_usage("Missing required argument \"[bootstrap-server]\"");
  if (o.value("bootstrap-server")->find(':') == std::string::npos) {
    return o.fail_with_usage("Please provide valid host:port like host1:9091,host2:9092\n");
  }
  if (o.has("topic-partitions") && (o.has("topic") || o.has("partitions"))) {
    return error("--topic-partitions cannot be used with --topic or --partitions");
  }
  const std::string time = o.value_or("time", "latest");
  int64_t spec;
  if (time == "latest") spec = -1;
  else if (time == "earliest") spec = -2;
  else if (time == "max-timestamp") spec = -3;
  else {
    try {
      size_t used = 0;
      spec = std::stoll(time, &used);
      if (used != time.size()) throw std::invalid_argument(time);
    } catch (const std::exception&) {
      return error("Malformed time argument " + time + ". Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp");
    }
  }
  std::vector<Rule> rules;
  try {
    if (auto tp = o.value("topic-partitions")) {
      static const std::regex rule(R"(([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?)");
      size_t start = 0;
      while (start <= tp->size()) {
        const auto end = tp->find(',', start);
        const std::string text = tp->substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::smatch m;
        if (!std::regex_match(text, m, rule)) return error("org.apache.kafka.tools.TerseException: Invalid rule specification: " + text);
        Rule r{std::regex(m[1].str().empty() ? ".*" : m[1].str())};
        if (m[2].matched && !m[2].str().empty()) r.from = std::stoi(m[2]), r.to = r.from + 1;
        if (m[3].matched && !m[3].str().empty()) r.from = std::stoi(m[3]);
        if (m[4].matched && !m[4].str().empty()) r.to = std::stoi(m[4]);
        rules.push_back(std::move(r));
        if (end == std::string::npos) break;
        start = end + 1;
      }
    } else {
      Rule r{std::regex(o.value_or("topic", ".*"))};
      rules.push_back(std::move(r));
    }
  } catch (const std::regex_error&) {
    return error("Invalid topic pattern");
  }
  std::vector<int32_t> only;
  if (auto p = o.value("partitions")) {
    if (!std::regex_match(*p, std::regex("[0-9]+(,[0-9]+)*"))) {
      return error("--partitions expects a comma separated list of numeric partition ids, but received: " + *p);
    }
    std::stringstream in(*p);
    std::string item;
    while (std::getline(in, item, ',')) only.push_back(std::stoi(item));
  }
  auto admin = connect_admin(o, "GetOffsetShell");
  if (!admin) return 1;
  auto topics = admin->list_topics(!o.has("exclude-internal-topics"));
  if (!topics) return error(exception_class(topics.error().code) + ": " + message_of(topics.error()));
  std::map<client::TopicPartition, client::OffsetSpec> specs;
  for (const auto& t : *topics) {
    for (const auto& p : t.partitions) {
      const bool wanted = std::any_of(rules.begin(), rules.end(), [&](const Rule& r) {
        return std::regex_match(t.name, r.topic) && p.partition >= r.from && p.partition < r.to;
      });
      if (wanted && (only.empty() || std::find(only.begin(), only.end(), p.partition) != only.end())) {
        specs[{t.name, p.partition}] = {spec};
      }
    }
  }
  if (specs.empty()) return error("Could not match any topic-partitions with the specified filters");
  auto listed = admin->list_offsets(specs);
  if (!listed) return error(exception_class(listed.error().code) + ": " + message_of(listed.error()));
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& [tp, r] : *listed) {
    if (r.error) {
      std::cerr << "Skip getting offsets for topic-partition " << tp.topic << "-" << tp.partition
                << " due to error: " << exception_class(r.error.code) << ": " << message_of(r.error) << "\n";
      continue;
    }
    if (r.offset < 0) continue;
    lines.emplace_back(tp.topic + "-" + std::to_string(tp.partition),
                       tp.topic + ":" + std::to_string(tp.partition) + ":" + std::to_string(r.offset));
  }
  std::sort(lines.begin(), lines.end());
  for (const auto& [key, line] : lines) std::cout << line << "\n";
  std::cout.flush();
  return 0;
}

}  // namespace kafkalite::cli
