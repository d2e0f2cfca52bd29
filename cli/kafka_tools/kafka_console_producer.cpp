// kafka-console-producer.sh: each line of stdin becomes a record, as Kafka
// 4.1.1's ConsoleProducer with its LineMessageReader makes it: with
// parse.key=true the text before key.separator (a tab) is the key, with
// parse.headers=true a leading "k:v,k:v" part (before headers.delimiter)
// gives headers. Producer settings as Kafka's tool: acks=-1, linger 1000 ms
// (--timeout), idempotence on; a ">" prompt only when stdin is a terminal.
#include <unistd.h>

#include <iostream>

#include "cli/kafka_tools/tool_common.h"
#include "client/producer.h"

namespace kafkalite::cli {

int kafka_console_producer(const std::vector<std::string>& args) {
  ToolOptions o(
      "kafka-console-producer.sh", "This tool helps to read data from standard input and publish it to Kafka.",
      {{"batch-size", "Integer: size", "Number of messages to send in a single batch."},
       {"bootstrap-server", "String: server to connect to", "REQUIRED: The server(s) to connect to."},
       {"command-property", "String: producer_prop", "A producer property, key=value (repeatable)."},
       {"compression-codec", "String: compression-codec", "none, gzip (the default when given without a value), snappy, lz4 or zstd."},
       {"help", "", "Print usage information."},
       {"line-reader", "String: reader_class", "The reader class (only the default one)."},
       {"producer-property", "String: producer_prop", "A producer property, key=value (repeatable)."},
       {"producer.config", "String: config file", "Producer config properties file."},
       {"property", "String: prop", "A reader property: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error."},
       {"reader-config", "String: config file", "Config properties file for the message reader."},
       {"request-required-acks", "String: request required acks", "The required acks of the producer requests (default: -1)."},
       {"request-timeout-ms", "Integer: request timeout ms", "The ack timeout of the producer requests."},
       {"sync", "", "Send each message synchronously, one at a time."},
       {"timeout", "Long: timeout_ms", "linger.ms: how long a batch waits for more messages (default: 1000)."},
       {"topic", "String: topic", "REQUIRED: The topic id to produce messages to."},
       {"version", "", "Display Kafka version."}});
  if (!o.parse(args)) return o.fail_with_usage(o.error());
  if (o.has("help") || args.empty()) return o.fail_with_usage("This tool helps to read data from standard input and publish it to Kafka.");
  if (!o.has("bootstrap-server")) return o.fail_with_usage("Missing required argument \"[bootstrap-server]\"");
  if (!o.has("topic")) return o.fail_with_usage("Missing required argument \"[topic]\"");
  std::string error;
  auto reader = key_values(o.values("property"), &error);
  if (!error.empty()) return o.fail_with_usage(error);
  auto get = [&](const std::string& k, const std::string& d) {
    auto it = reader.find(k);
    return it == reader.end() ? d : it->second;
  };
  const bool parse_key = get("parse.key", "false") == "true";
  const bool parse_headers = get("parse.headers", "false") == "true";
  const bool ignore_error = get("ignore.error", "false") == "true";
  const std::string key_separator = get("key.separator", "\t");
  const std::string headers_delimiter = get("headers.delimiter", "\t");
  const std::string headers_separator = get("headers.separator", ",");
  const std::string headers_key_separator = get("headers.key.separator", ":");
  const std::optional<std::string> null_marker =
      reader.count("null.marker") ? std::optional<std::string>(reader["null.marker"]) : std::nullopt;

  client::ProducerConfig config;
  config.bootstrap_servers = *o.value("bootstrap-server");
  config.security = o.security();
  config.client_id = "console-producer";
  config.acks = static_cast<int16_t>(std::stoi(o.value_or("request-required-acks", "-1")));
  config.linger = std::chrono::milliseconds(std::stol(o.value_or("timeout", "1000")));
  if (o.has("sync")) config.linger = std::chrono::milliseconds(0);
  if (auto codec = o.value("compression-codec")) {
    auto c = records::compression_from_name(codec->empty() ? "gzip" : *codec);
    if (!c) return o.fail_with_usage("Unknown compression codec " + *codec);
    config.compression = *c;
  }
  auto props = key_values(o.values("producer-property"), &error);
  for (const auto& [k, v] : props) {
    if (k == "acks") config.acks = static_cast<int16_t>(v == "all" ? -1 : std::stoi(v));
    else if (k == "linger.ms") config.linger = std::chrono::milliseconds(std::stol(v));
    else if (k == "batch.size") config.batch_size = std::stoul(v);
    else if (k == "enable.idempotence") config.enable_idempotence = v == "true";
    else if (k == "compression.type") {
      if (auto c = records::compression_from_name(v)) config.compression = *c;
    }
  }
  if (config.acks != -1 && !config.enable_idempotence) config.enable_idempotence = false;
  // Typed lines go out at once (Kafka's producer sends a lingering batch from
  // its own thread; this one sends when it is called).
  const bool prompt = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  if (prompt) config.linger = std::chrono::milliseconds(0);
  auto connected = client::Producer::connect(config);
  if (!connected) {
    report_unreachable(connected.error());
    return 1;
  }
  auto& producer = **connected;
  const std::string topic = *o.value("topic");
  auto to_bytes = [&](const std::string& s) -> wire::NullableBytes {
    if (null_marker && s == *null_marker) return std::nullopt;
    return wire::Bytes(s.begin(), s.end());
  };
  auto report = [topic](const client::RecordMetadata&, const client::Error& e) {
    if (e) {
      log_error("org.apache.kafka.clients.producer.internals.ErrorLoggingCallback",
                "Error when sending message to topic " + topic + " with error:");
      std::cerr << exception_class(e.code) << ": " << message_of(e) << "\n";
    }
  };
  std::string line;
  long number = 0;
  if (prompt) std::cout << ">" << std::flush;
  while (std::getline(std::cin, line)) {
    ++number;
    client::ProducerRecord record;
    record.topic = topic;
    std::string rest = line;
    if (parse_headers) {
      const auto at = rest.find(headers_delimiter);
      if (at == std::string::npos) {
        if (!ignore_error) {
          std::cerr << "org.apache.kafka.common.KafkaException: No headers delimiter found on line number " << number
                    << ": '" << line << "'\n";
          return 1;
        }
      } else {
        std::string headers = rest.substr(0, at);
        rest = rest.substr(at + headers_delimiter.size());
        size_t start = 0;
        while (start <= headers.size() && !headers.empty()) {
          auto end = headers.find(headers_separator, start);
          std::string h = headers.substr(start, end == std::string::npos ? std::string::npos : end - start);
          auto ks = h.find(headers_key_separator);
          records::RecordHeader header;
          header.key = ks == std::string::npos ? h : h.substr(0, ks);
          if (ks != std::string::npos) header.value = to_bytes(h.substr(ks + headers_key_separator.size()));
          record.headers.push_back(std::move(header));
          if (end == std::string::npos) break;
          start = end + headers_separator.size();
        }
      }
    }
    if (parse_key) {
      const auto at = rest.find(key_separator);
      if (at == std::string::npos) {
        if (!ignore_error) {
          std::cerr << "org.apache.kafka.common.KafkaException: No key separator found on line number " << number
                    << ": '" << line << "'\n";
          producer.flush();
          return 1;
        }
        record.value = to_bytes(rest);
      } else {
        record.key = to_bytes(rest.substr(0, at));
        record.value = to_bytes(rest.substr(at + key_separator.size()));
      }
    } else {
      record.value = to_bytes(rest);
    }
    if (client::Error e = producer.send(std::move(record), report)) {
      report({}, e);
    }
    producer.poll();
    if (prompt) std::cout << ">" << std::flush;
  }
  producer.flush();
  return 0;
}

}  // namespace kafkalite::cli
