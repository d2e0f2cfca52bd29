#include "broker/group/consumer_group.h"

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

const ConsumerMember* ConsumerGroup::find_static(const std::string& instance_id) const {
  auto s = static_members.find(instance_id);
  if (s == static_members.end()) return nullptr;
  auto m = members.find(s->second);
  return m == members.end() ? nullptr : &m->second;
}

}  // namespace kafkalite::broker::group
