// GroupEvents for consumer groups (KIP-848): what the console's rebalance
// timeline shows of an incremental rebalance.
#include <nlohmann/json.hpp>

#include "broker/group/group_events.h"

namespace kafkalite::broker::group {

namespace {

using nlohmann::json;

json base(const ConsumerGroup& group, const char* event) {
  return json{{"group_id", group.id},
              {"type", "consumer"},
              {"event", event},
              {"group_epoch", group.group_epoch},
              {"assignment_epoch", group.assignment_epoch},
              {"state", consumer_group_state_name(group.state())}};
}

json partitions_json(const GroupEvents::NamedPartitions& partitions) {
  json out = json::array();
  for (const auto& [topic, partition] : partitions) out.push_back({{"topic", topic}, {"partition", partition}});
  return out;
}

json member_json(const ConsumerMember& m) {
  json out = {{"member_id", m.id},
              {"client_id", m.client_id},
              {"host", m.client_host},
              {"member_type", m.classic ? "classic" : "consumer"}};
  if (m.instance_id) out["group_instance_id"] = *m.instance_id;
  return out;
}

}  // namespace

void GroupEvents::member_joined(const ConsumerGroup& group, const ConsumerMember& member,
                                const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "member_joined");
  // Told before the epoch it makes: the group's state is not settled yet.
  e.erase("state");
  e["member"] = member_json(member);
  json topics = json::array();
  for (const auto& name : member.subscribed_topic_names) topics.push_back(name);
  e["subscribed_topic_names"] = topics;
  e["subscribed_topic_regex"] = member.subscribed_topic_regex.empty() ? json(nullptr)
                                                                      : json(member.subscribed_topic_regex);
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::epoch_bumped(const ConsumerGroup& group, const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "epoch_bumped");
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::target_assigned(const ConsumerGroup& group, const std::string& assignor,
                                  const std::vector<std::pair<const ConsumerMember*, NamedPartitions>>& targets) {
  if (!journal_) return;
  json e = base(group, "target_assigned");
  e["assignor"] = assignor;
  json members = json::array();
  for (const auto& [m, partitions] : targets) {
    json member = member_json(*m);
    member["target"] = partitions_json(partitions);
    members.push_back(member);
  }
  e["members"] = members;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::member_reconciled(const ConsumerGroup& group, const ConsumerMember& member,
                                    const NamedPartitions& assigned, const NamedPartitions& revoking) {
  if (!journal_) return;
  json e = base(group, "member_reconciled");
  e["member"] = member_json(member);
  e["member_epoch"] = member.epoch;
  e["previous_member_epoch"] = member.previous_epoch;
  e["member_state"] = member_state_name(member.state);
  e["assigned"] = partitions_json(assigned);
  e["revoking"] = partitions_json(revoking);
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::member_left(const ConsumerGroup& group, const std::string& member_id, const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "member_left");
  e["member_id"] = member_id;
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::member_fenced(const ConsumerGroup& group, const std::string& member_id,
                                const std::string& reason) {
  if (!journal_) return;
  json e = base(group, "member_fenced");
  e["member_id"] = member_id;
  e["reason"] = reason;
  journal_->publish(observe::Stream::kGroups, e.dump());
}

void GroupEvents::converted(const std::string& group_id, int32_t epoch, const std::string& to,
                            const std::string& reason) {
  if (!journal_) return;
  json e = {{"group_id", group_id}, {"type", to}, {"event", "converted"}, {"epoch", epoch}, {"reason", reason}};
  journal_->publish(observe::Stream::kGroups, e.dump());
}

}  // namespace kafkalite::broker::group
