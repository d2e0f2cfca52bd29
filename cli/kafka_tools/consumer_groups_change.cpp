// kafka-consumer-groups.sh --reset-offsets, --delete-offsets and --delete,
// with Kafka 4.1.1's ConsumerGroupCommand output.
#include <algorithm>
#include <ctime>
#include <iostream>
#include <regex>
#include <set>

#include "cli/kafka_tools/consumer_groups.h"
#include "cli/kafka_tools/java_order.h"

namespace kafkalite::cli::groups {

namespace {

// "2024-01-01T00:00:00.000", with an optional zone (Z, +hh:mm); local time
// without one, as Kafka's tool reads it.
std::optional<int64_t> parse_datetime(const std::string& text) {
  static const std::regex re(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?)");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return std::nullopt;
  std::tm tm{};
  tm.tm_year = std::stoi(m[1]) - 1900;
  tm.tm_mon = std::stoi(m[2]) - 1;
  tm.tm_mday = std::stoi(m[3]);
  tm.tm_hour = std::stoi(m[4]);
  tm.tm_min = std::stoi(m[5]);
  tm.tm_sec = std::stoi(m[6]);
  int64_t millis = 0;
  if (m[7].matched) {
    std::string ms = m[7].str();
    while (ms.size() < 3) ms += "0";
    millis = std::stoi(ms);
  }
  int64_t seconds;
  if (m[8].matched) {
    seconds = timegm(&tm);
    const std::string zone = m[8].str();
    if (zone != "Z") {
      const int sign = zone[0] == '-' ? -1 : 1;
      const std::string digits = std::regex_replace(zone.substr(1), std::regex(":"), "");
      seconds -= sign * (std::stoi(digits.substr(0, 2)) * 3600 + std::stoi(digits.substr(2, 2)) * 60);
    }
  } else {
    tm.tm_isdst = -1;
    seconds = mktime(&tm);
  }
  return seconds * 1000 + millis;
}

// The partitions --topic names ("t", or "t:0,1") or, with --all-topics, those
// the group has committed offsets for.
client::Result<std::vector<client::TopicPartition>> scope(client::Admin& admin, const ToolOptions& o,
                                                          const std::string& group) {
  std::vector<client::TopicPartition> out;
  if (o.has("all-topics")) {
    auto committed = admin.list_group_offsets(group);
    if (!committed) return committed.error();
    for (const auto& [tp, c] : *committed) out.push_back(tp);
    return out;
  }
  for (const auto& spec : o.values("topic")) {
    const auto colon = spec.find(':');
    const std::string topic = spec.substr(0, colon);
    if (colon != std::string::npos) {
      std::string list = spec.substr(colon + 1);
      size_t start = 0;
      while (start < list.size()) {
        auto end = list.find(',', start);
        out.push_back({topic, std::stoi(list.substr(start, end - start))});
        if (end == std::string::npos) break;
        start = end + 1;
      }
      continue;
    }
    auto described = admin.describe_topics({topic});
    if (!described) return described.error();
    for (const auto& t : *described) {
      if (t.error) return client::Error(t.error.code, "Topic " + topic + " does not exist");  // UnknownTopicOrPartition
      for (const auto& p : t.partitions) out.push_back({topic, p.partition});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

client::Result<std::map<client::TopicPartition, int64_t>> listed(client::Admin& admin,
                                                                 const std::vector<client::TopicPartition>& tps,
                                                                 int64_t spec) {
  std::map<client::TopicPartition, client::OffsetSpec> specs;
  for (const auto& tp : tps) specs[tp] = {spec};
  auto result = admin.list_offsets(specs);
  if (!result) return result.error();
  std::map<client::TopicPartition, int64_t> out;
  for (const auto& [tp, o] : *result) {
    if (o.error) return o.error;
    out[tp] = o.offset;
  }
  return out;
}

}  // namespace

int reset_offsets(client::Admin& admin, const ToolOptions& o, const std::vector<std::string>& group_ids) {
  if (!o.has("dry-run") && !o.has("execute")) {
    std::cerr << "WARN: No action will be performed as the --execute option is missing. In a future major release, "
                 "the default behavior of this command will be to prompt the user before executing the reset rather "
                 "than doing a dry run. You should add the --dry-run option explicitly if you are scripting this "
                 "command and want to keep the current default behavior without prompting."
              << std::endl;
  }
  std::vector<std::tuple<std::string, client::TopicPartition, int64_t>> table;
  for (const auto& group : group_ids) {
    auto described = admin.describe_groups({group});
    if (!described) return command_failed(described.error());
    const std::string state = described->empty() ? "Dead" : described->front().state;
    if (state != "Empty" && state != "Dead") {
      std::cout << "\nError: Assignments can only be reset if the group '" << group
                << "' is inactive, but the current state is " << state << "." << std::endl;
      continue;
    }
    auto tps = scope(admin, o, group);
    if (!tps) return command_failed(tps.error());
    auto earliest = listed(admin, *tps, client::OffsetSpec::kEarliest);
    auto latest = listed(admin, *tps, client::OffsetSpec::kLatest);
    if (!earliest) return command_failed(earliest.error());
    if (!latest) return command_failed(latest.error());
    auto clamp = [&](const client::TopicPartition& tp, int64_t offset) {
      return std::clamp(offset, (*earliest)[tp], (*latest)[tp]);
    };
    std::map<client::TopicPartition, int64_t> target;
    if (o.has("to-earliest")) {
      target = *earliest;
    } else if (o.has("to-latest")) {
      target = *latest;
    } else if (auto offset = o.value("to-offset")) {
      for (const auto& tp : *tps) target[tp] = clamp(tp, std::stoll(*offset));
    } else if (o.has("shift-by") || o.has("to-current")) {
      auto committed = admin.list_group_offsets(group, *tps);
      if (!committed) return command_failed(committed.error());
      const int64_t shift = o.has("shift-by") ? std::stoll(*o.value("shift-by")) : 0;
      for (const auto& tp : *tps) {
        auto c = committed->find(tp);
        const int64_t current = c != committed->end() && c->second.offset >= 0 ? c->second.offset : (*latest)[tp];
        target[tp] = clamp(tp, current + shift);
      }
    } else if (auto datetime = o.value("to-datetime")) {
      auto when = parse_datetime(*datetime);
      if (!when) {
        return command_failed(client::Error(client::ErrorCode::InvalidRequest,
                                            "Error parsing timestamp. It does not match the format yyyy-MM-dd'T'HH:mm:ss.SSS"));
      }
      auto found = listed(admin, *tps, *when);
      if (!found) return command_failed(found.error());
      for (const auto& tp : *tps) {
        const int64_t o2 = (*found)[tp];
        target[tp] = o2 < 0 ? (*latest)[tp] : o2;
      }
    }
    if (o.has("execute") && !target.empty()) {
      auto result = admin.alter_group_offsets(group, target);
      if (!result) return command_failed(result.error());
      for (const auto& [tp, e] : *result) {
        if (e) return command_failed(e);
      }
    }
    // Printed from a HashMap keyed by partition, as Kafka's tool prints it.
    std::vector<client::TopicPartition> order;
    for (const auto& [tp, offset] : target) order.push_back(tp);
    java_hashmap_order(order);
    for (const auto& tp : order) table.emplace_back(group, tp, target[tp]);
  }
  auto line = [](const std::string& g, const std::string& t, const std::string& p, const std::string& n) {
    std::cout << "\n" << pad(g, 30) << " " << pad(t, 30) << " " << pad(p, 10) << " " << pad(n, 15);
  };
  line("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
  for (const auto& [g, tp, offset] : table) line(g, tp.topic, std::to_string(tp.partition), std::to_string(offset));
  std::cout << std::endl;
  return 0;
}

int delete_groups(client::Admin& admin, const std::vector<std::string>& group_ids) {
  auto result = admin.delete_groups(group_ids);
  if (!result) return command_failed(result.error());
  std::vector<std::string> ok;
  std::vector<std::pair<std::string, client::Error>> failed;
  for (const auto& id : group_ids) {
    const client::Error& e = (*result)[id];
    if (e) {
      failed.emplace_back(id, e);
    } else {
      ok.push_back(id);
    }
  }
  auto quoted = [](const std::vector<std::string>& ids) {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", '" : "'") + ids[i] + "'";
    return out;
  };
  if (failed.empty()) {
    std::cout << "Deletion of requested consumer groups (" << quoted(ok) << ") was successful." << std::endl;
    return 0;
  }
  std::cout << "\nError: Deletion of some consumer groups failed:\n";
  for (const auto& [id, e] : failed) {
    std::cout << "* Group '" << id << "' could not be deleted due to: " << exception_class(e.code) << ": "
              << message_of(e) << "\n";
  }
  if (!ok.empty()) std::cout << "\nThese consumer groups were deleted successfully: " << quoted(ok) << "\n";
  std::cout.flush();
  return 0;
}

int delete_offsets(client::Admin& admin, const ToolOptions& o, const std::string& group_id) {
  auto tps = scope(admin, o, group_id);
  if (!tps) return command_failed(tps.error());
  auto result = admin.delete_group_offsets(group_id, *tps);
  if (!result) {
    std::cout << "\nError: Encountered some partition-level error when deleting offsets from group " << group_id
              << ":\n" << exception_class(result.error().code) << ": " << message_of(result.error()) << std::endl;
    return 0;
  }
  bool all_ok = true;
  for (const auto& [tp, e] : *result) all_ok = all_ok && !e;
  if (all_ok) {
    std::cout << "Request succeeded for deleting offsets from group " << group_id << ".\n";
  } else {
    std::cout << "Request failed for deleting offsets from group " << group_id << ".\n";
  }
  std::vector<std::string> topics;
  std::vector<client::TopicPartition> order;
  for (const auto& [tp, e] : *result) {
    topics.push_back(tp.topic);
    order.push_back(tp);
  }
  // Kafka's tool sorts these by the text topic + partition ("t10" < "t2").
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.topic + std::to_string(a.partition) < b.topic + std::to_string(b.partition);
  });
  const size_t tw = widest(15, topics);
  std::cout << "\n" << pad("TOPIC", tw) << " " << pad("PARTITION", 10) << " " << pad("STATUS", 15);
  for (const auto& tp : order) {
    const client::Error& e = result->at(tp);
    std::cout << "\n" << pad(tp.topic, tw) << " " << pad(std::to_string(tp.partition), 10) << " "
              << pad(e ? "Error: " + message_of(e) : "Successful", 15);
  }
  std::cout << std::endl;
  return 0;
}

}  // namespace kafkalite::cli::groups
