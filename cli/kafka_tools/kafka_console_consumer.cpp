// kafka-console-consumer.sh: reads a topic and prints each record as Kafka
// 4.1.1's ConsoleConsumer with its DefaultMessageFormatter does: the value,
// optionally preceded by CreateTime:/Partition:/Offset:, the headers and the
// key, separated by key.separator; "Processed a total of N messages" on
// stderr at the end. Without --group it joins a group of its own,
// console-consumer-<random>, and commits nothing, as Kafka's does.
#include <csignal>
#include <map>
#include <iostream>
#include <random>

#include "cli/kafka_tools/coordinator_formatters.h"
#include "cli/kafka_tools/tool_common.h"
#include "client/consumer.h"

namespace kafkalite::cli {

namespace {

volatile std::sig_atomic_t g_signal = 0;
void on_signal(int signal) { g_signal = signal; }

struct Formatter {
  bool print_timestamp = false, print_key = false, print_offset = false, print_partition = false,
       print_headers = false, print_value = true;
  std::string key_separator = "\t", line_separator = "\n", headers_separator = ",", null_literal = "null";

  static bool truthy(const std::string& v) { return v == "true" || v == "TRUE" || v == "True"; }

  std::string bytes(const wire::NullableBytes& b) const {
    return b ? std::string(b->begin(), b->end()) : null_literal;
  }

  void print(const client::ConsumerRecord& r, std::ostream& out) const {
    std::string line;
    bool any = false;
    auto add = [&](const std::string& text) {
      if (any) line += key_separator;
      line += text;
      any = true;
    };
    if (print_timestamp) {
      if (r.timestamp < 0) {
        add("NO_TIMESTAMP");
      } else {
        add((r.timestamp_type == records::TimestampType::kLogAppendTime ? "LogAppendTime:" : "CreateTime:") +
            std::to_string(r.timestamp));
      }
    }
    if (print_partition) add("Partition:" + std::to_string(r.partition));
    if (print_offset) add("Offset:" + std::to_string(r.offset));
    if (print_headers) {
      std::string h;
      for (size_t i = 0; i < r.headers.size(); ++i) {
        if (i) h += headers_separator;
        h += r.headers[i].key + ":" + bytes(r.headers[i].value);
      }
      add(r.headers.empty() ? "NO_HEADERS" : h);
    }
    if (print_key) add(bytes(r.key));
    if (print_value) add(bytes(r.value));
    if (any) out << line << line_separator;  // nothing at all when every field is off
  }
};

}  // namespace

int kafka_console_consumer(const std::vector<std::string>& args) {
  ToolOptions o(
      "kafka-console-consumer.sh", "This tool helps to read data from Kafka topics and outputs it to standard output.",
      {{"bootstrap-server", "String: server to connect to", "REQUIRED: The server(s) to connect to."},
       {"consumer-property", "String: consumer_prop", "A consumer property, key=value (repeatable)."},
       {"consumer.config", "String: config file", "Consumer config properties file."},
       {"enable-systest-events", "", "Log lifecycle events of the consumer (system tests)."},
       {"formatter", "String: class", "The formatter class: the default one, or org.apache.kafka.tools.consumer.OffsetsMessageFormatter or GroupMetadataMessageFormatter for __consumer_offsets."},
       {"formatter-config", "String: config file", "Config properties file to initialize the message formatter."},
       {"from-beginning", "", "Start with the earliest message present when the consumer has no committed offset."},
       {"group", "String: consumer group id", "The consumer group id of the consumer."},
       {"help", "", "Print usage information."},
       {"include", "String: Java regex (String)", "Regular expression of the topics to consume."},
       {"isolation-level", "String", "read_committed or read_uncommitted (default)."},
       {"key-deserializer", "String: deserializer for key", ""},
       {"max-messages", "Integer: num_messages", "The maximum number of messages to consume before exiting."},
       {"offset", "String: consume offset", "The offset to consume from (a number, earliest or latest); needs --partition."},
       {"partition", "Integer: partition", "The partition to consume from."},
       {"property", "String: prop", "A formatter property: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal."},
       {"skip-message-on-error", "", "Skip a message that cannot be processed instead of halting."},
       {"timeout-ms", "Integer: timeout_ms", "Exit when no message arrives for this long."},
       {"topic", "String: topic", "The topic to consume on."},
       {"value-deserializer", "String: deserializer for values", ""},
       {"version", "", "Display Kafka version."}});
  if (!o.parse(args)) return o.fail_with_usage(o.error());
  if (o.has("help") || args.empty()) return o.fail_with_usage("This tool helps to read data from Kafka topics and outputs it to standard output.");
  if (!o.has("bootstrap-server")) return o.fail_with_usage("Missing required argument \"[bootstrap-server]\"");
  if (!o.has("topic") && !o.has("include")) return o.fail_with_usage("Exactly one of --include/--topic is required. ");
  if (o.has("include")) return o.fail_with_usage("--include is not supported by kafkalite's console consumer yet; use --topic.");
  if (o.has("offset") && !o.has("partition")) {
    return o.fail_with_usage("The partition is required when offset is specified.");
  }
  if (o.has("group") && o.has("partition")) {
    return o.fail_with_usage("Options group and partition cannot be specified together.");
  }
  if (o.has("from-beginning") && o.has("offset")) {
    return o.fail_with_usage("Options from-beginning and offset cannot be specified together.");
  }
  std::string error;
  auto properties = key_values(o.values("property"), &error);
  if (!error.empty()) return o.fail_with_usage(error);
  Formatter f;
  for (const auto& [k, v] : properties) {
    if (k == "print.timestamp") f.print_timestamp = Formatter::truthy(v);
    else if (k == "print.key") f.print_key = Formatter::truthy(v);
    else if (k == "print.offset") f.print_offset = Formatter::truthy(v);
    else if (k == "print.partition") f.print_partition = Formatter::truthy(v);
    else if (k == "print.headers") f.print_headers = Formatter::truthy(v);
    else if (k == "print.value") f.print_value = Formatter::truthy(v);
    else if (k == "key.separator") f.key_separator = v;
    else if (k == "line.separator") f.line_separator = v;
    else if (k == "headers.separator") f.headers_separator = v;
    else if (k == "null.literal") f.null_literal = v;
  }
  // The internal topics' formatters print each record as Kafka's do.
  const auto coordinator = o.has("formatter") ? coordinator_formatter(*o.value("formatter")) : std::nullopt;
  long max_messages = -1, timeout_ms = -1;
  try {
    if (auto v = o.value("max-messages")) max_messages = std::stol(*v);
    if (auto v = o.value("timeout-ms")) timeout_ms = std::stol(*v);
  } catch (const std::exception&) {
    return o.fail_with_usage("--max-messages and --timeout-ms take numbers");
  }

  client::ConsumerConfig config;
  config.bootstrap_servers = *o.value("bootstrap-server");
  config.security = o.security();
  config.client_id = "console-consumer";
  auto consumer_properties = key_values(o.values("consumer-property"), &error);
  if (o.has("group")) {
    config.group_id = o.value("group");
  } else if (!o.has("partition")) {
    std::random_device random;
    config.group_id = "console-consumer-" + std::to_string(std::uniform_int_distribution<int>(0, 99999)(random));
    // Kafka's console consumer: the generated group's offsets are never used again.
    config.enable_auto_commit = false;
  }
  config.auto_offset_reset = o.has("from-beginning") ? "earliest" : "latest";
  if (o.has("isolation-level")) config.isolation_level = *o.value("isolation-level");
  for (const auto& [k, v] : consumer_properties) {
    if (k == "group.id") config.group_id = v;
    else if (k == "auto.offset.reset") config.auto_offset_reset = v;
    else if (k == "enable.auto.commit") config.enable_auto_commit = v == "true";
    else if (k == "client.id") config.client_id = v;
    else if (k == "isolation.level") config.isolation_level = v;
    else if (k == "partition.assignment.strategy") config.assignor = v.find("RoundRobin") != std::string::npos ? "roundrobin" : "range";
  }
  auto connected = client::Consumer::connect(config);
  if (!connected) {
    report_unreachable(connected.error());
    return 1;
  }
  auto& consumer = **connected;
  const std::string topic = *o.value("topic");
  client::Error failed;
  if (o.has("partition")) {
    const client::TopicPartition tp{topic, std::stoi(*o.value("partition"))};
    failed = consumer.assign({tp});
    const std::string offset = o.value_or("offset", o.has("from-beginning") ? "earliest" : "latest");
    if (!failed) {
      if (offset == "earliest") failed = consumer.seek_to_beginning({tp});
      else if (offset == "latest") failed = consumer.seek_to_end({tp});
      else {
        try {
          consumer.seek(tp, std::stoll(offset));
        } catch (const std::exception&) {
          return o.fail_with_usage("The provided offset value '" + offset + "' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.");
        }
      }
    }
  } else {
    failed = consumer.subscribe({topic});
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  long processed = 0;
  // Kafka's console consumer commits where it stopped printing, not past
  // what it fetched and did not print.
  std::map<client::TopicPartition, int64_t> next_to_print;
  auto last = std::chrono::steady_clock::now();
  int exit_code = 0;
  while (!failed && g_signal == 0 && (max_messages < 0 || processed < max_messages)) {
    auto records = consumer.poll(std::chrono::milliseconds(timeout_ms >= 0 ? std::min<long>(timeout_ms, 1000) : 1000));
    if (!records) {
      failed = records.error();
      break;
    }
    for (const auto& r : *records) {
      const client::TopicPartition tp{r.topic, r.partition};
      if (max_messages >= 0 && processed >= max_messages) {
        if (!next_to_print.count(tp)) next_to_print[tp] = r.offset;
        continue;
      }
      if (coordinator) {
        std::cout << format_coordinator_record(*coordinator, r.key, r.value);
      } else {
        f.print(r, std::cout);
      }
      ++processed;
    }
    std::cout.flush();
    if (!records->empty()) {
      last = std::chrono::steady_clock::now();
      // Positions of records not printed (past --max-messages) go back.
    } else if (timeout_ms >= 0 && std::chrono::steady_clock::now() - last >= std::chrono::milliseconds(timeout_ms)) {
      log_error("org.apache.kafka.tools.consumer.ConsoleConsumer", "Error processing message, terminating consumer process: ");
      std::cerr << "org.apache.kafka.common.errors.TimeoutException: null\n";
      break;
    }
  }
  if (failed) {
    log_error("org.apache.kafka.tools.consumer.ConsoleConsumer", "Unknown error when running consumer: ");
    std::cerr << exception_class(failed.code) << ": " << message_of(failed) << "\n";
    exit_code = 1;
  }
  for (const auto& [tp, offset] : next_to_print) consumer.seek(tp, offset);
  consumer.close();
  std::cerr << "Processed a total of " << processed << " messages" << std::endl;
  if (g_signal) return 128 + g_signal;
  return exit_code;
}

}  // namespace kafkalite::cli
