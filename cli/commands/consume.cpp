// kafkalite consume TOPIC: prints records, from the end (default), the
// beginning, an offset or a time, alone or in a group; -f formats each
// record as kcat's -f does: %t topic, %p partition, %o offset, %k key, %v
// value, %T timestamp, %h headers, %K/%S key/value length, \n \t escapes.
#include <csignal>
#include <iostream>

#include "cli/commands/common.h"
#include "cli/kafka_tools/tool_common.h"
#include "client/consumer.h"

namespace kafkalite::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

std::string text(const wire::NullableBytes& b) { return b ? std::string(b->begin(), b->end()) : ""; }

std::string render(const std::string& format, const client::ConsumerRecord& r) {
  std::string out;
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if ((c == '%' || c == '\\') && i + 1 < format.size()) {
      const char n = format[++i];
      if (c == '\\') {
        out += n == 'n' ? '\n' : n == 't' ? '\t' : n;
        continue;
      }
      switch (n) {
        case 't': out += r.topic; break;
        case 'p': out += std::to_string(r.partition); break;
        case 'o': out += std::to_string(r.offset); break;
        case 'k': out += text(r.key); break;
        case 'v': out += text(r.value); break;
        case 'T': out += std::to_string(r.timestamp); break;
        case 'K': out += r.key ? std::to_string(r.key->size()) : "-1"; break;
        case 'S': out += r.value ? std::to_string(r.value->size()) : "-1"; break;
        case 'h':
          for (size_t h = 0; h < r.headers.size(); ++h) {
            out += (h ? "," : "") + r.headers[h].key + "=" + text(r.headers[h].value);
          }
          break;
        case '%': out += '%'; break;
        default: out += '%'; out += n;
      }
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void add_consume_command(CLI::App& app, SetExit set_exit) {
  auto* cmd = app.add_subcommand("consume", "read records from a topic");
  auto f = add_common_flags(cmd, false);  // -f/--format is the record format here
  auto topic = std::make_shared<std::string>();
  auto group = std::make_shared<std::string>();
  auto from = std::make_shared<std::string>("end");
  auto count = std::make_shared<long>(-1);
  auto format = std::make_shared<std::string>("%v\\n");
  auto partitions = std::make_shared<std::vector<int32_t>>();
  auto beginning = std::make_shared<bool>(false);
  auto idle = std::make_shared<long>(-1);
  cmd->add_option("topic", *topic, "the topic")->required();
  cmd->add_option("--group,-g", *group, "consume in this group (commits as it goes)");
  cmd->add_flag("--from-beginning", *beginning, "start at the earliest offset (same as -o start)");
  cmd->add_option("--offset,-o", *from, "start, end, an offset, or @TIMESTAMP_MS (without a group)");
  cmd->add_option("--partition,-p", *partitions, "only these partitions");
  cmd->add_option("--num,-n", *count, "stop after this many records");
  cmd->add_option("--format,-f", *format, "kcat-style record format, e.g. '%k %v %p %o %T\\n'");
  cmd->add_option("--idle-timeout", *idle, "stop when nothing arrives for this many ms");
  cmd->callback([=] {
    client::ConsumerConfig config;
    config.bootstrap_servers = f->brokers;
    config.client_id = "kafkalite-consume";
    const std::string start = *beginning ? "start" : *from;
    if (!group->empty()) {
      config.group_id = *group;
      config.auto_offset_reset = start == "start" ? "earliest" : "latest";
    }
    auto consumer = client::Consumer::connect(config);
    if (!consumer) {
      report_unreachable(consumer.error(), "--brokers");
      return set_exit(1);
    }
    auto& c = **consumer;
    client::Error failed;
    if (!group->empty()) {
      failed = c.subscribe({*topic});
    } else {
      std::vector<client::TopicPartition> tps;
      if (partitions->empty()) {
        auto admin_connected = client::Admin::connect(config);
        if (!admin_connected) return set_exit(1);
        auto described = (*admin_connected)->describe_topics({*topic});
        if (!described || described->empty() || described->front().error) {
          std::cerr << "Error: topic " << *topic << " does not exist\n";
          return set_exit(1);
        }
        for (const auto& p : described->front().partitions) tps.push_back({*topic, p.partition});
      } else {
        for (auto p : *partitions) tps.push_back({*topic, p});
      }
      failed = c.assign(tps);
      if (!failed && start == "start") failed = c.seek_to_beginning(tps);
      else if (!failed && start == "end") failed = c.seek_to_end(tps);
      else if (!failed && start[0] == '@') {
        auto admin_connected = client::Admin::connect(config);
        if (!admin_connected) return set_exit(1);
        std::map<client::TopicPartition, client::OffsetSpec> specs;
        for (const auto& tp : tps) specs[tp] = {std::stoll(start.substr(1))};
        auto found = (*admin_connected)->list_offsets(specs);
        if (!found) failed = found.error();
        else for (const auto& [tp, o] : *found) c.seek(tp, o.offset >= 0 ? o.offset : 0);
      } else if (!failed) {
        for (const auto& tp : tps) c.seek(tp, std::stoll(start));
      }
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    Progress progress("Consumed");
    std::map<client::TopicPartition, int64_t> unprinted;
    long seen = 0;
    auto last = std::chrono::steady_clock::now();
    while (!failed && !g_stop && (*count < 0 || seen < *count)) {
      auto records = c.poll(std::chrono::milliseconds(500));
      if (!records) {
        failed = records.error();
        break;
      }
      for (const auto& r : *records) {
        if (*count >= 0 && seen >= *count) {
          // Not printed: the group's commit stays before it.
          if (!unprinted.count({r.topic, r.partition})) unprinted[{r.topic, r.partition}] = r.offset;
          continue;
        }
        std::cout << render(*format, r);
        ++seen;
        progress.add(1, r.value ? r.value->size() : 0);
      }
      std::cout.flush();
      if (!records->empty()) last = std::chrono::steady_clock::now();
      else if (*idle >= 0 && std::chrono::steady_clock::now() - last >= std::chrono::milliseconds(*idle)) break;
    }
    for (const auto& [tp, offset] : unprinted) c.seek(tp, offset);
    c.close();
    if (failed) {
      std::cerr << "Error: " << failed.describe() << "\n";
      return set_exit(1);
    }
    set_exit(0);
  });
}

}  // namespace kafkalite::cli
