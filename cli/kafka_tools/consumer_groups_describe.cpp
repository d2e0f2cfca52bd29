// kafka-consumer-groups.sh --list and --describe (offsets, --members,
// --state), laid out as Kafka 4.1.1's ConsumerGroupCommand prints them.
#include <algorithm>
#include <iostream>
#include <set>

#include "cli/kafka_tools/consumer_groups.h"
#include "cli/kafka_tools/java_order.h"

namespace kafkalite::cli::groups {

std::string pad(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

size_t widest(size_t minimum, const std::vector<std::string>& values) {
  size_t w = minimum;
  for (const auto& v : values) w = std::max(w, v.size());
  return w;
}

int command_failed(const client::Error& error) {
  std::cout << "\nError: Executing consumer group command failed due to " << exception_class(error.code) << ": "
            << message_of(error) << std::endl;
  // The first line of the stack trace Kafka's tool prints after it.
  std::cerr << "java.util.concurrent.ExecutionException: " << exception_class(error.code) << ": " << message_of(error)
            << std::endl;
  return 0;  // Kafka's tool reports the failure and still exits 0
}

int list(client::Admin& admin, const ToolOptions& o) {
  std::vector<std::string> states;
  const bool with_state = o.has("state");
  for (const auto& s : o.values("state")) {
    if (!s.empty()) states.push_back(s);
  }
  auto groups = admin.list_groups(states);
  if (!groups) return command_failed(groups.error());
  if (!with_state) {
    for (const auto& g : *groups) std::cout << g.group_id << "\n";
    std::cout.flush();
    return 0;
  }
  std::vector<std::string> ids;
  for (const auto& g : *groups) ids.push_back(g.group_id);
  const size_t w = widest(15, ids);
  std::cout << pad("GROUP", w) << " " << pad("STATE", 20) << "\n";
  for (const auto& g : *groups) std::cout << pad(g.group_id, w) << " " << pad(g.state, 20) << "\n";
  std::cout.flush();
  return 0;
}

namespace {

struct OffsetRow {
  std::string topic;
  int32_t partition = 0;
  std::optional<int64_t> current;
  std::optional<int64_t> end;
  std::string consumer_id = "-", host = "-", client_id = "-";
};

std::string opt(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

// Rows as Kafka orders them: members with the most partitions first (each
// member's partitions by topic and partition), then committed partitions
// no member holds.
std::vector<OffsetRow> offset_rows(client::Admin& admin, const client::GroupDescription& group, client::Error& error) {
  auto committed = admin.list_group_offsets(group.group_id);
  if (!committed) {
    error = committed.error();
    return {};
  }
  std::vector<const client::MemberDescription*> members;
  for (const auto& m : group.members) members.push_back(&m);
  std::stable_sort(members.begin(), members.end(),
                   [](const auto* a, const auto* b) { return a->assignment.size() > b->assignment.size(); });
  std::vector<OffsetRow> rows;
  std::set<client::TopicPartition> assigned;
  for (const auto* m : members) {
    auto partitions = m->assignment;
    std::sort(partitions.begin(), partitions.end());
    for (const auto& tp : partitions) {
      OffsetRow row{tp.topic, tp.partition, std::nullopt, std::nullopt, m->member_id, m->host, m->client_id};
      if (auto c = committed->find(tp); c != committed->end() && c->second.offset >= 0) row.current = c->second.offset;
      rows.push_back(row);
      assigned.insert(tp);
    }
  }
  // Kafka's tool keeps these in a HashMap keyed by partition.
  std::vector<client::TopicPartition> unassigned;
  for (const auto& [tp, c] : *committed) {
    if (!assigned.count(tp) && c.offset >= 0) unassigned.push_back(tp);
  }
  java_hashmap_order(unassigned);
  for (const auto& tp : unassigned) {
    rows.push_back({tp.topic, tp.partition, committed->at(tp).offset, std::nullopt, "-", "-", "-"});
  }
  std::map<client::TopicPartition, client::OffsetSpec> specs;
  for (const auto& r : rows) specs[{r.topic, r.partition}] = {client::OffsetSpec::kLatest};
  if (!specs.empty()) {
    auto ends = admin.list_offsets(specs);
    if (ends) {
      for (auto& r : rows) {
        auto it = ends->find({r.topic, r.partition});
        if (it != ends->end() && !it->second.error) r.end = it->second.offset;
      }
    }
  }
  return rows;
}

void print_offsets(const std::string& group, const std::vector<OffsetRow>& rows) {
  std::vector<std::string> topics, consumers, hosts;
  for (const auto& r : rows) {
    topics.push_back(r.topic);
    consumers.push_back(r.consumer_id);
    hosts.push_back(r.host);
  }
  const size_t gw = rows.empty() ? 15 : widest(15, {group}), tw = widest(15, topics), cw = widest(15, consumers), hw = widest(15, hosts);
  auto line = [&](const std::string& g, const std::string& t, const std::string& p, const std::string& cur,
                  const std::string& end, const std::string& lag, const std::string& c, const std::string& h,
                  const std::string& client) {
    std::cout << "\n" << pad(g, gw) << " " << pad(t, tw) << " " << pad(p, 10) << " " << pad(cur, 15) << " "
              << pad(end, 15) << " " << pad(lag, 15) << " " << pad(c, cw) << " " << pad(h, hw) << " " << client;
  };
  line("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID");
  for (const auto& r : rows) {
    const std::string lag = r.current && r.end ? std::to_string(*r.end - *r.current) : "-";
    line(group, r.topic, std::to_string(r.partition), opt(r.current), opt(r.end), lag, r.consumer_id, r.host, r.client_id);
  }
  std::cout << "\n";
}

void print_members(const client::GroupDescription& g, bool verbose) {
  std::vector<std::string> ids, hosts, clients;
  for (const auto& m : g.members) {
    ids.push_back(m.member_id);
    hosts.push_back(m.host);
    clients.push_back(m.client_id);
  }
  // Widths come from the rows printed: none, when the group has no members.
  const size_t gw = g.members.empty() ? 15 : widest(15, {g.group_id}), cw = widest(15, ids), hw = widest(15, hosts), lw = widest(15, clients);
  auto assignment = [](const client::MemberDescription& m) {
    std::map<std::string, std::vector<int32_t>> by_topic;
    for (const auto& tp : m.assignment) by_topic[tp.topic].push_back(tp.partition);
    std::string out;
    for (auto& [topic, ps] : by_topic) {
      std::sort(ps.begin(), ps.end());
      if (!out.empty()) out += ",";
      out += topic + ":";
      for (size_t i = 0; i < ps.size(); ++i) out += (i ? ";" : "") + std::to_string(ps[i]);
    }
    return out.empty() ? std::string("-") : out;
  };
  std::cout << "\n" << pad("GROUP", gw) << " " << pad("CONSUMER-ID", cw) << " " << pad("HOST", hw) << " "
            << pad("CLIENT-ID", lw) << " " << pad("#PARTITIONS", 15) << " ";
  if (verbose) {
    std::cout << pad("CURRENT-EPOCH", 15) << " " << pad("CURRENT-ASSIGNMENT", 20) << " " << pad("TARGET-EPOCH", 15) << " "
              << pad("TARGET-ASSIGNMENT", 20);
  }
  for (const auto& m : g.members) {
    std::cout << "\n" << pad(g.group_id, gw) << " " << pad(m.member_id, cw) << " " << pad(m.host, hw) << " "
              << pad(m.client_id, lw) << " " << pad(std::to_string(m.assignment.size()), 15) << " ";
    if (verbose) {
      std::cout << pad("-", 15) << " " << pad(assignment(m), 20) << " " << pad("-", 15) << " " << pad("-", 20);
    }
  }
  std::cout << "\n";
}

void print_state(client::Admin& admin, const client::GroupDescription& g) {
  std::string coordinator = "-";
  if (auto node = admin.cluster().coordinator(g.group_id)) {
    if (auto metadata = admin.cluster().metadata(std::vector<std::string>{})) {
      if (const auto* b = metadata->broker(*node)) coordinator = b->address() + "  (" + std::to_string(*node) + ")";
    }
  }
  const size_t gw = widest(15, {g.group_id});
  std::cout << "\n" << pad("GROUP", gw) << " " << pad("COORDINATOR (ID)", 25) << " " << pad("ASSIGNMENT-STRATEGY", 20)
            << " " << pad("STATE", 20) << " #MEMBERS";
  std::cout << "\n" << pad(g.group_id, gw) << " " << pad(coordinator, 25) << " "
            << pad(g.protocol.empty() ? "-" : g.protocol, 20) << " " << pad(g.state, 20) << " " << g.members.size()
            << "\n";
}

}  // namespace

int describe(client::Admin& admin, const ToolOptions& o, const std::vector<std::string>& group_ids) {
  std::vector<std::string> sorted = group_ids;  // Kafka's tool describes groups by name
  std::sort(sorted.begin(), sorted.end());
  auto described = admin.describe_groups(sorted);
  if (!described) return command_failed(described.error());
  int rc = 0;
  for (const auto& g : *described) {
    if (g.error) {
      rc = command_failed(g.error);
      continue;
    }
    if (g.state == "Dead") {
      rc = command_failed(client::Error(client::ErrorCode::GroupIdNotFound, "Group " + g.group_id + " not found."));
      continue;
    }
    if (o.has("state")) {
      if (g.members.empty()) std::cerr << "\nConsumer group '" << g.group_id << "' has no active members." << std::endl;
      print_state(admin, g);
    } else if (o.has("members")) {
      if (g.state == "PreparingRebalance" || g.state == "CompletingRebalance" || g.state == "Assigning" ||
          g.state == "Reconciling") {
        std::cerr << "\nWarning: Consumer group '" << g.group_id << "' is rebalancing." << std::endl;
      } else if (g.members.empty()) {
        std::cerr << "\nConsumer group '" << g.group_id << "' has no active members." << std::endl;
      }
      print_members(g, o.has("verbose"));
    } else {
      client::Error error;
      auto rows = offset_rows(admin, g, error);
      if (error) {
        rc = command_failed(error);
        continue;
      }
      if (g.state == "PreparingRebalance" || g.state == "CompletingRebalance") {
        std::cerr << "\nWarning: Consumer group '" << g.group_id << "' is rebalancing." << std::endl;
      } else if (g.members.empty()) {
        std::cerr << "\nConsumer group '" << g.group_id << "' has no active members." << std::endl;
      }
      print_offsets(g.group_id, rows);
    }
  }
  std::cout.flush();
  return rc;
}

}  // namespace kafkalite::cli::groups
