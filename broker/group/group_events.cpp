#include "broker/group/group_events.h"

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace kafkalite::broker::group {

namespace {

using nlohmann::json;

json base(const ClassicGroup& group, const char* event) {
  return json{{"group_id", group.id},
              {"type", "classic"},
              {"event", event},
              {"generation", group.generation},
              {"state", std::string(state_name(group.state))}};
}

json member_json(const Member& m) {
  json out = {{"member_id", m.id}, {"client_id", m.client_id}, {"host", m.client_host}};
  if (m.instance_id) out["group_instance_id"] = *m.instance_id;
  return out;
}

}  // namespace

void GroupEvents::member_joined(const ClassicGroup& group, const Member& member, const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "member_joined");
  e["member"] = member_json(member);
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::member_left(const ClassicGroup& group, const std::string& member_id, const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "member_left");
  e["member_id"] = member_id;
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::member_expired(const ClassicGroup& group, const std::string& member_id) {
  if (!journal_) return;
  json e = base(group, "member_expired");
  e["member_id"] = member_id;
  e["reason"] = "no heartbeat within session.timeout.ms";
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::rebalance_started(const ClassicGroup& group, const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "rebalance_started");
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::empty(const ClassicGroup& group) {
  if (!journal_) return;
  journal_->publish(observe::Stream::kGroups, base(group, "empty").dump());
}

void GroupEvents::stabilized(const ClassicGroup& group) {
  if (!journal_) return;
  json e = base(group, "joined");
  e["leader"] = group.leader ? json(*group.leader) : json(nullptr);
  e["protocol"] = group.protocol_name ? json(*group.protocol_name) : json(nullptr);
  json members = json::array();
  for (const auto& [id, m] : group.members) members.push_back(member_json(m));
  e["members"] = members;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::assigned(const ClassicGroup& group) {
  if (!journal_) return;
  json e = base(group, "assigned");
  e["leader"] = group.leader ? json(*group.leader) : json(nullptr);
  e["protocol_type"] = group.protocol_type ? json(*group.protocol_type) : json(nullptr);
  e["protocol"] = group.protocol_name ? json(*group.protocol_name) : json(nullptr);
  // The assignment as the leader sent it; a reader that knows the protocol
  // (ConsumerProtocolAssignment for "consumer") decodes it.
  json members = json::array();
  for (const auto& [id, m] : group.members) {
    json member = member_json(m);
    member["assignment_hex"] = text::to_hex(m.assignment);
    members.push_back(member);
  }
  e["members"] = members;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

}  // namespace kafkalite::broker::group
