// kafkalite produce TOPIC: each stdin line becomes a record (a key before
// --key-separator when given; headers with -H), or --count records of
// --size bytes for a quick load test. Prints where each record landed
// (rpk's "Produced to partition P at offset O"), or a summary with a
// progress line for load runs.
#include <iostream>

#include "cli/commands/common.h"
#include "cli/kafka_tools/tool_common.h"
#include "client/producer.h"

namespace kafkalite::cli {

void add_produce_command(CLI::App& app, SetExit set_exit) {
  auto* cmd = app.add_subcommand("produce", "write records to a topic: lines from stdin, or --count generated ones");
  auto f = add_common_flags(cmd);
  auto topic = std::make_shared<std::string>();
  auto separator = std::make_shared<std::string>();
  auto headers = std::make_shared<std::vector<std::string>>();
  auto partition = std::make_shared<int32_t>(-1);
  auto count = std::make_shared<size_t>(0);
  auto size = std::make_shared<size_t>(100);
  auto acks = std::make_shared<std::string>("all");
  auto codec = std::make_shared<std::string>("none");
  auto linger = std::make_shared<int>(5);
  cmd->add_option("topic", *topic, "the topic")->required();
  cmd->add_option("--key-separator,-k", *separator, "text before this in a line is the record's key");
  cmd->add_option("--header,-H", *headers, "a header key=value on every record (repeatable)");
  cmd->add_option("--partition,-p", *partition, "the partition (default: Kafka's partitioner)");
  cmd->add_option("--count,-n", *count, "generate this many records instead of reading stdin");
  cmd->add_option("--size", *size, "bytes per generated record (default 100)");
  cmd->add_option("--acks", *acks, "all, 1 or 0")->check(CLI::IsMember({"all", "-1", "1", "0"}));
  cmd->add_option("--compression,-z", *codec, "none, gzip, snappy, lz4 or zstd");
  cmd->add_option("--linger-ms", *linger, "linger.ms (default 5)");
  cmd->callback([=] {
    client::ProducerConfig config;
    config.bootstrap_servers = f->brokers;
    config.client_id = "kafkalite-produce";
    config.acks = static_cast<int16_t>(*acks == "all" ? -1 : std::stoi(*acks));
    config.linger = std::chrono::milliseconds(*linger);
    auto c = records::compression_from_name(*codec);
    if (!c) {
      std::cerr << "Error: unknown compression " << *codec << "\n";
      return set_exit(1);
    }
    config.compression = *c;
    auto producer = client::Producer::connect(config);
    if (!producer) {
      report_unreachable(producer.error(), "--brokers");
      return set_exit(1);
    }
    std::string error;
    std::vector<records::RecordHeader> hs;
    for (const auto& [k, v] : key_values(*headers, &error)) hs.push_back({k, wire::Bytes(v.begin(), v.end())});
    int rc = 0;
    Progress progress("Produced");
    const bool load = *count > 0;
    auto report = [&, load](const client::RecordMetadata& m, const client::Error& e) {
      if (e) {
        std::cerr << "Error: record to " << m.topic << " failed: " << e.describe() << "\n";
        rc = 1;
      } else if (!load) {
        if (f->format == "json") {
          std::cout << nlohmann::ordered_json{{"topic", m.topic}, {"partition", m.partition}, {"offset", m.offset},
                                              {"timestamp", m.timestamp}}.dump() << "\n";
        } else {
          std::cout << "Produced to partition " << m.partition << " at offset " << m.offset << " with timestamp "
                    << m.timestamp << ".\n";
        }
      }
    };
    auto send = [&](wire::NullableBytes key, wire::Bytes value) {
      const size_t bytes = value.size() + (key ? key->size() : 0);
      client::ProducerRecord r{*topic, *partition >= 0 ? std::optional(*partition) : std::nullopt, std::move(key),
                               std::move(value), hs, std::nullopt};
      if (client::Error e = (*producer)->send(std::move(r), report)) {
        std::cerr << "Error: " << e.describe() << "\n";
        rc = 1;
        return false;
      }
      progress.add(1, bytes);
      (*producer)->poll();
      return true;
    };
    if (load) {
      const wire::Bytes value(*size, 'x');
      for (size_t i = 0; i < *count && send(std::nullopt, value); ++i) {
      }
    } else {
      std::string line;
      while (std::getline(std::cin, line)) {
        wire::NullableBytes key;
        if (!separator->empty()) {
          if (auto at = line.find(*separator); at != std::string::npos) {
            key = wire::Bytes(line.begin(), line.begin() + static_cast<long>(at));
            line = line.substr(at + separator->size());
          }
        }
        if (!send(std::move(key), wire::Bytes(line.begin(), line.end()))) break;
        (*producer)->flush();  // a line typed is a line sent
      }
    }
    (*producer)->flush();
    if (load) progress.finish();
    set_exit(rc);
  });
}

}  // namespace kafkalite::cli
