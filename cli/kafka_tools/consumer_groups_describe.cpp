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

namespace {

// "a,b" as a set of lower-case words (Kafka's tool splits on commas and
// compares case-insensitively).
std::vector<std::string> words(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    std::string word;
    for (char c : v + ",") {
      if (c == ',') {
        if (!word.empty()) out.push_back(word);
        word.clear();
      } else if (c != ' ') {
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
  }
  return out;
}

// What Kafka's admin lists as consumer groups: classic groups of the
// consumer protocol (or none, for offsets only) and new-protocol groups.
bool consumer_group(const client::GroupListing& g) { return g.protocol_type.empty() || g.protocol_type == "consumer"; }

std::string capitalized(std::string word) {
  if (!word.empty()) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
  return word;
}

}  // namespace

int list(client::Admin& admin, const ToolOptions& o) {
  const bool with_state = o.has("state"), with_type = o.has("type");
  std::vector<std::string> states;
  for (const auto& s : o.values("state")) {
    if (!s.empty()) states.push_back(s);
  }
  std::vector<std::string> types = words(o.values("type"));
  if (!with_type) types = {"classic", "consumer"};
  auto groups = admin.list_groups(states, types);
  if (!groups) return command_failed(groups.error());
  std::vector<client::GroupListing> shown;
  for (const auto& g : *groups) {
    if (consumer_group(g)) shown.push_back(g);
  }
  if (!with_state && !with_type) {
    for (const auto& g : shown) std::cout << g.group_id << "\n";
    std::cout.flush();
    return 0;
  }
  size_t w = 15;
  for (const auto& g : shown) w = std::max(w, g.group_id.size());
  w += 10;
  auto row = [&](const std::string& id, const std::string& type, const std::string& state) {
    std::cout << pad(id, w);
    if (with_type) std::cout << " " << pad(type, 20);
    if (with_state) std::cout << " " << pad(state, 20);
    std::cout << "\n";
  };
  row("GROUP", "TYPE", "STATE");
  for (const auto& g : shown) row(g.group_id, capitalized(g.type.empty() ? "unknown" : g.type), g.state);
  std::cout.flush();
  return 0;
}

namespace {

struct OffsetRow {
  std::string topic;
  int32_t partition = 0;
  std::optional<int64_t> current;
  std::optional<int32_t> leader_epoch;  // of the committed offset
  std::optional<int64_t> end;
  std::string consumer_id = "-", host = "-", client_id = "-";
};

std::string opt(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

// Rows as Kafka orders them: members with the most partitions first, then
// committed partitions no member holds, each set in Java's HashMap order.
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
    // Sorted by partition, then put through the HashMap of log-end offsets
    // Kafka's tool prints them from.
    auto partitions = m->assignment;
    std::stable_sort(partitions.begin(), partitions.end(),
                     [](const auto& a, const auto& b) { return a.partition < b.partition; });
    java_hashmap_order(partitions);
    for (const auto& tp : partitions) {
      OffsetRow row{tp.topic, tp.partition, std::nullopt, std::nullopt, std::nullopt, m->member_id, m->host, m->client_id};
      if (auto c = committed->find(tp); c != committed->end() && c->second.offset >= 0) {
        row.current = c->second.offset;
        if (c->second.leader_epoch >= 0) row.leader_epoch = c->second.leader_epoch;
      }
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
    const auto& c = committed->at(tp);
    rows.push_back({tp.topic, tp.partition, c.offset,
                    c.leader_epoch >= 0 ? std::optional<int32_t>(c.leader_epoch) : std::nullopt, std::nullopt, "-", "-",
                    "-"});
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

std::string opt(const std::optional<int32_t>& v) { return v ? std::to_string(*v) : "-"; }

void print_offsets(const std::string& group, const std::vector<OffsetRow>& rows, bool verbose) {
  std::vector<std::string> topics, consumers, hosts;
  for (const auto& r : rows) {
    topics.push_back(r.topic);
    consumers.push_back(r.consumer_id);
    hosts.push_back(r.host);
  }
  const size_t gw = rows.empty() ? 15 : widest(15, {group}), tw = widest(15, topics), cw = widest(15, consumers), hw = widest(15, hosts);
  auto line = [&](const std::string& g, const std::string& t, const std::string& p, const std::string& epoch,
                  const std::string& cur, const std::string& end, const std::string& lag, const std::string& c,
                  const std::string& h, const std::string& client) {
    std::cout << "\n" << pad(g, gw) << " " << pad(t, tw) << " " << pad(p, 10) << " ";
    if (verbose) std::cout << pad(epoch, 15) << " ";
    std::cout << pad(cur, 15) << " " << pad(end, 15) << " " << pad(lag, 15) << " " << pad(c, cw) << " " << pad(h, hw)
              << " " << client;
  };
  line("GROUP", "TOPIC", "PARTITION", "LEADER-EPOCH", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
       "CLIENT-ID");
  for (const auto& r : rows) {
    const std::string lag = r.current && r.end ? std::to_string(*r.end - *r.current) : "-";
    line(group, r.topic, std::to_string(r.partition), opt(r.leader_epoch), opt(r.current), opt(r.end), lag,
         r.consumer_id, r.host, r.client_id);
  }
  std::cout << "\n";
}

// "t1:0,1;t2:0": topics in order, each one's partitions in order.
std::string assignment_text(const std::vector<client::TopicPartition>& partitions) {
  if (partitions.empty()) return "-";
  std::map<std::string, std::vector<int32_t>> by_topic;
  for (const auto& tp : partitions) by_topic[tp.topic].push_back(tp.partition);
  std::string out;
  for (auto& [topic, ps] : by_topic) {
    std::sort(ps.begin(), ps.end());
    if (!out.empty()) out += ";";
    out += topic + ":";
    for (size_t i = 0; i < ps.size(); ++i) out += (i ? "," : "") + std::to_string(ps[i]);
  }
  return out;
}

void print_members(const client::GroupDescription& g, bool verbose) {
  size_t gw = 15, cw = 15, iw = 17, hw = 15, lw = 15, current_w = 20, target_w = 20;
  bool with_instance = false, classic = false, upgraded = false;
  for (const auto& m : g.members) {
    gw = std::max(gw, g.group_id.size());
    cw = std::max(cw, m.member_id.size());
    iw = std::max(iw, m.group_instance_id.value_or("").size());
    hw = std::max(hw, m.host.size());
    lw = std::max(lw, m.client_id.size());
    with_instance = with_instance || !m.group_instance_id.value_or("").empty();
    current_w = std::max(current_w, assignment_text(m.assignment).size());
    target_w = std::max(target_w, assignment_text(m.target_assignment).size());
    classic = classic || (m.upgraded && !*m.upgraded);
    upgraded = upgraded || (m.upgraded && *m.upgraded);
  }
  const bool with_upgraded = classic && upgraded;  // a group part-way through an upgrade
  auto member = [&](const std::string& group, const std::string& id, const std::string& instance,
                    const std::string& host, const std::string& client, const std::string& partitions) {
    std::cout << pad(group, gw) << " " << pad(id, cw) << " ";
    if (with_instance) std::cout << pad(instance, iw) << " ";
    std::cout << pad(host, hw) << " " << pad(client, lw) << " " << pad(partitions, 15) << " ";
  };
  auto epochs = [&](const std::string& current_epoch, const std::string& current, const std::string& target_epoch,
                    const std::string& target, const std::string& is_upgraded) {
    std::cout << pad(current_epoch, 15) << " " << pad(current, current_w) << " " << pad(target_epoch, 15) << " "
              << (with_upgraded ? pad(target, target_w) + " " + is_upgraded : pad(target, target_w));
  };
  std::cout << "\n";
  member("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
  if (verbose) epochs("CURRENT-EPOCH", "CURRENT-ASSIGNMENT", "TARGET-EPOCH", "TARGET-ASSIGNMENT", "UPGRADED");
  std::cout << "\n";
  for (const auto& m : g.members) {
    member(g.group_id, m.member_id, m.group_instance_id.value_or(""), m.host, m.client_id,
           std::to_string(m.assignment.size()));
    if (verbose) {
      epochs(opt(m.member_epoch), assignment_text(m.assignment), opt(g.assignment_epoch),
             assignment_text(m.target_assignment), m.upgraded ? (*m.upgraded ? "true" : "false") : "-");
    }
    std::cout << "\n";
  }
}

void print_state(client::Admin& admin, const client::GroupDescription& g, bool verbose) {
  std::string coordinator = "-";
  if (auto node = admin.cluster().coordinator(g.group_id)) {
    if (auto metadata = admin.cluster().metadata(std::vector<std::string>{})) {
      if (const auto* b = metadata->broker(*node)) coordinator = b->address() + "  (" + std::to_string(*node) + ")";
    }
  }
  const size_t gw = widest(15, {g.group_id}), kw = widest(25, {coordinator});
  auto row = [&](const std::string& group, const std::string& at, const std::string& strategy,
                 const std::string& state, const std::string& epoch, const std::string& target,
                 const std::string& members) {
    std::cout << "\n" << pad(group, gw) << " " << pad(at, kw) << " " << pad(strategy, 20) << " " << pad(state, 20) << " ";
    if (verbose) std::cout << pad(epoch, 15) << " " << pad(target, 25) << " ";
    std::cout << members;
  };
  row("GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "GROUP-EPOCH", "TARGET-ASSIGNMENT-EPOCH", "#MEMBERS");
  row(g.group_id, coordinator, g.protocol.empty() ? "-" : g.protocol, g.state, opt(g.group_epoch),
      opt(g.assignment_epoch), std::to_string(g.members.size()));
  std::cout << "\n";
}

// Kafka's line about the group's state before a table (on stderr), and
// whether the table follows: not for a group without rows.
bool state_banner(const client::GroupDescription& g, size_t rows) {
  if (g.state == "Empty") {
    std::cerr << "\nConsumer group '" << g.group_id << "' has no active members." << std::endl;
  } else if (g.state == "PreparingRebalance" || g.state == "CompletingRebalance" || g.state == "Assigning" ||
             g.state == "Reconciling") {
    std::cerr << "\nWarning: Consumer group '" << g.group_id << "' is rebalancing." << std::endl;
  }
  return rows > 0;
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
    const bool verbose = o.has("verbose");
    if (o.has("state")) {
      state_banner(g, 1);
      print_state(admin, g, verbose);
    } else if (o.has("members")) {
      state_banner(g, g.members.size());
      print_members(g, verbose);  // the header even for a group without members
    } else {
      client::Error error;
      auto rows = offset_rows(admin, g, error);
      if (error) {
        rc = command_failed(error);
        continue;
      }
      if (state_banner(g, rows.size())) print_offsets(g.group_id, rows, verbose);
    }
  }
  std::cout.flush();
  return rc;
}

}  // namespace kafkalite::cli::groups
