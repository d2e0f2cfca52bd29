#include "broker/group/consumer_group.h"

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace kafkalite::broker::group {

const char* member_state_name(MemberState state) {
  switch (state) {
    case MemberState::kStable: return "STABLE";
    case MemberState::kUnrevokedPartitions: return "UNREVOKED_PARTITIONS";
    case MemberState::kUnreleasedPartitions: return "UNRELEASED_PARTITIONS";
    case MemberState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* consumer_group_state_name(ConsumerGroupState state) {
  switch (state) {
    case ConsumerGroupState::kEmpty: return "Empty";
    case ConsumerGroupState::kAssigning: return "Assigning";
    case ConsumerGroupState::kReconciling: return "Reconciling";
    case ConsumerGroupState::kStable: return "Stable";
  }
  return "Empty";
}

ConsumerGroupState ConsumerGroup::state() const {
  if (members.empty()) return ConsumerGroupState::kEmpty;
  if (group_epoch > assignment_epoch) return ConsumerGroupState::kAssigning;
  for (const auto& [member_id, member] : members) {
    if (!member.reconciled_to(assignment_epoch)) return ConsumerGroupState::kReconciling;
  }
  return ConsumerGroupState::kStable;
}

int32_t ConsumerGroup::partition_epoch(const wire::Uuid& topic, int32_t partition) const {
  auto t = partition_epochs.find(topic);
  if (t == partition_epochs.end()) return -1;
  auto p = t->second.find(partition);
  return p == t->second.end() ? -1 : p->second;
}

void ConsumerGroup::update_partition_epochs(const ConsumerMember* before, const ConsumerMember* after) {
  auto release = [&](const Assignment& partitions) {
    for (const auto& [topic, ps] : partitions) {
      auto t = partition_epochs.find(topic);
      if (t == partition_epochs.end()) continue;
      for (int32_t p : ps) t->second.erase(p);
      if (t->second.empty()) partition_epochs.erase(t);
    }
  };
  auto take = [&](const Assignment& partitions, int32_t epoch) {
    for (const auto& [topic, ps] : partitions) {
      for (int32_t p : ps) partition_epochs[topic][p] = epoch;
    }
  };
  if (before) {
    release(before->assigned);
    release(before->pending_revocation);
  }
  if (after) {
    take(after->assigned, after->epoch);
    take(after->pending_revocation, after->epoch);
  }
}

std::map<std::string, int> ConsumerGroup::subscribed_topic_names() const {
  std::map<std::string, int> out;
  for (const auto& [member_id, member] : members) {
    for (const auto& name : topics_of(member)) ++out[name];
  }
  return out;
}

std::set<std::string> ConsumerGroup::topics_of(const ConsumerMember& member) const {
  std::set<std::string> out = member.subscribed_topic_names;
  if (!member.subscribed_topic_regex.empty()) {
    auto r = resolved_regexes.find(member.subscribed_topic_regex);
    if (r != resolved_regexes.end()) out.insert(r->second.begin(), r->second.end());
  }
  return out;
}

ConsumerMember& ConsumerGroup::install(ConsumerMember member, const std::optional<std::string>& replacing) {
  const std::string member_id = member.id;
  if (replacing) {
    auto old = members.find(*replacing);
    if (old != members.end()) {
      old->second.cancel_timers();
      update_partition_epochs(&old->second, nullptr);
      members.erase(old);
    }
    target[member_id] = target[*replacing];
    target.erase(*replacing);
  }
  auto existing = members.find(member_id);
  if (existing != members.end()) update_partition_epochs(&existing->second, nullptr);
  ConsumerMember& installed = members[member_id] = std::move(member);
  update_partition_epochs(nullptr, &installed);
  if (installed.instance_id) static_members[*installed.instance_id] = member_id;
  return installed;
}

const ConsumerMember* ConsumerGroup::find_static(const std::string& instance_id) const {
  auto s = static_members.find(instance_id);
  if (s == static_members.end()) return nullptr;
  auto m = members.find(s->second);
  return m == members.end() ? nullptr : &m->second;
}

namespace {

using nlohmann::json;
constexpr int kFormatVersion = 1;

json to_json(const Assignment& a) {
  json out = json::array();
  for (const auto& [topic, partitions] : a) out.push_back({topic.to_base64(), partitions});
  return out;
}

bool from_json(const json& in, Assignment& a) {
  if (!in.is_array()) return false;
  for (const auto& entry : in) {
    auto id = wire::Uuid::from_base64(entry.at(0).get<std::string>());
    if (!id) return false;
    a[*id] = entry.at(1).get<std::set<int32_t>>();
  }
  return true;
}

json optional_text(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
std::optional<std::string> optional_text(const json& j) {
  return j.is_null() ? std::nullopt : std::optional<std::string>(j.get<std::string>());
}

json classic_json(const std::optional<ClassicProtocols>& c) {
  if (!c) return nullptr;
  json protocols = json::array();
  for (const auto& [name, metadata] : c->protocols) protocols.push_back({name, text::to_hex(metadata)});
  return {{"session_timeout_ms", c->session_timeout_ms}, {"protocols", protocols}};
}

std::optional<ClassicProtocols> classic_from_json(const json& j) {
  if (j.is_null()) return std::nullopt;
  ClassicProtocols c;
  c.session_timeout_ms = j.at("session_timeout_ms").get<int32_t>();
  for (const auto& p : j.at("protocols")) {
    c.protocols.emplace_back(p.at(0).get<std::string>(), text::from_hex(p.at(1).get<std::string>()).value_or(wire::Bytes{}));
  }
  return c;
}

}  // namespace

std::string serialize_consumer_group(const ConsumerGroup& group) {
  json members = json::array();
  for (const auto& [id, m] : group.members) {
    auto target = group.target.find(id);
    members.push_back({{"id", id},
                       {"instance", optional_text(m.instance_id)},
                       {"rack", optional_text(m.rack_id)},
                       {"epoch", m.epoch},
                       {"previous_epoch", m.previous_epoch},
                       {"state", static_cast<int>(m.state)},
                       {"rebalance_timeout_ms", m.rebalance_timeout_ms},
                       {"client_id", m.client_id},
                       {"client_host", m.client_host},
                       {"topics", m.subscribed_topic_names},
                       {"regex", m.subscribed_topic_regex},
                       {"assignor", optional_text(m.server_assignor)},
                       {"assigned", to_json(m.assigned)},
                       {"revoking", to_json(m.pending_revocation)},
                       {"target", to_json(target == group.target.end() ? Assignment{} : target->second)},
                       {"classic", classic_json(m.classic)}});
  }
  json regexes = json::object();
  for (const auto& [regex, topics] : group.resolved_regexes) regexes[regex] = topics;
  return json{{"v", kFormatVersion},
              {"group_epoch", group.group_epoch},
              {"assignment_epoch", group.assignment_epoch},
              {"subscribed", group.subscribed_metadata},
              {"regexes", regexes},
              {"members", members}}
      .dump();
}

bool parse_consumer_group(std::string_view record, ConsumerGroup& group) {
  try {
    const json in = json::parse(record);
    if (in.value("v", 0) != kFormatVersion) return false;
    group.group_epoch = in.at("group_epoch").get<int32_t>();
    group.assignment_epoch = in.at("assignment_epoch").get<int32_t>();
    group.subscribed_metadata = in.at("subscribed").get<std::map<std::string, int32_t>>();
    for (const auto& [regex, topics] : in.at("regexes").items()) {
      group.resolved_regexes[regex] = topics.get<std::set<std::string>>();
    }
    for (const auto& j : in.at("members")) {
      ConsumerMember m;
      m.id = j.at("id").get<std::string>();
      m.instance_id = optional_text(j.at("instance"));
      m.rack_id = optional_text(j.at("rack"));
      m.epoch = j.at("epoch").get<int32_t>();
      m.previous_epoch = j.at("previous_epoch").get<int32_t>();
      m.state = static_cast<MemberState>(j.at("state").get<int>());
      m.rebalance_timeout_ms = j.at("rebalance_timeout_ms").get<int32_t>();
      m.client_id = j.at("client_id").get<std::string>();
      m.client_host = j.at("client_host").get<std::string>();
      m.subscribed_topic_names = j.at("topics").get<std::set<std::string>>();
      m.subscribed_topic_regex = j.at("regex").get<std::string>();
      m.server_assignor = optional_text(j.at("assignor"));
      if (j.contains("classic")) m.classic = classic_from_json(j.at("classic"));
      Assignment target;
      if (!from_json(j.at("assigned"), m.assigned) || !from_json(j.at("revoking"), m.pending_revocation) ||
          !from_json(j.at("target"), target)) {
        return false;
      }
      group.target[m.id] = std::move(target);
      if (m.instance_id) group.static_members[*m.instance_id] = m.id;
      group.update_partition_epochs(nullptr, &m);
      group.members[m.id] = std::move(m);
    }
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

}  // namespace kafkalite::broker::group
