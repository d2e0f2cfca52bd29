#include "broker/group/reconciliation.h"

namespace kafkalite::broker::group {

namespace {

// True when the member may still own one of `revoking`: it said so, or it
// did not say what it owns.
bool owns_any(const std::optional<Assignment>& owned, const Assignment& revoking) {
  if (!owned) return true;
  for (const auto& [topic, partitions] : *owned) {
    auto r = revoking.find(topic);
    if (r == revoking.end()) continue;
    for (int32_t p : partitions) {
      if (r->second.count(p)) return true;
    }
  }
  return false;
}

ConsumerMember compute_next(const ConsumerMember& member, int32_t target_epoch, const Assignment& target,
                            const std::optional<Assignment>& owned,
                            const std::function<int32_t(const wire::Uuid&, int32_t)>& partition_epoch) {
  Assignment kept, revoking, adding;
  bool unreleased = false;
  std::set<wire::Uuid> topics;
  for (const auto& [t, ps] : member.assigned) topics.insert(t);
  for (const auto& [t, ps] : target) topics.insert(t);
  static const std::set<int32_t> kNone;
  for (const auto& topic : topics) {
    auto ti = target.find(topic);
    const std::set<int32_t>& wanted = ti == target.end() ? kNone : ti->second;
    auto ci = member.assigned.find(topic);
    const std::set<int32_t>& current = ci == member.assigned.end() ? kNone : ci->second;
    auto ri = member.pending_revocation.find(topic);
    const std::set<int32_t>& own_revoking = ri == member.pending_revocation.end() ? kNone : ri->second;
    for (int32_t p : current) (wanted.count(p) ? kept : revoking)[topic].insert(p);
    for (int32_t p : wanted) {
      if (current.count(p)) continue;
      // Held by another member (what this one is revoking is its own).
      if (partition_epoch(topic, p) != -1 && !own_revoking.count(p)) {
        unreleased = true;
      } else {
        adding[topic].insert(p);
      }
    }
  }
  ConsumerMember next = member;
  if (!revoking.empty() && owns_any(owned, revoking)) {
    // Revoke first: the member stays at its epoch with what it keeps.
    next.state = MemberState::kUnrevokedPartitions;
    next.assigned = std::move(kept);
    next.pending_revocation = std::move(revoking);
    return next;
  }
  for (auto& [topic, ps] : adding) kept[topic].insert(ps.begin(), ps.end());
  next.state = unreleased ? MemberState::kUnreleasedPartitions : MemberState::kStable;
  next.previous_epoch = member.epoch;
  next.epoch = target_epoch;
  next.assigned = std::move(kept);
  next.pending_revocation.clear();
  return next;
}

}  // namespace

ConsumerMember next_assignment(const ConsumerMember& member, int32_t target_epoch, const Assignment& target,
                               const std::optional<Assignment>& owned,
                               const std::function<int32_t(const wire::Uuid&, int32_t)>& partition_epoch) {
  switch (member.state) {
    case MemberState::kStable:
      if (member.epoch == target_epoch) return member;
      return compute_next(member, target_epoch, target, owned, partition_epoch);
    case MemberState::kUnrevokedPartitions:
      if (owns_any(owned, member.pending_revocation)) return member;
      return compute_next(member, target_epoch, target, owned, partition_epoch);
    case MemberState::kUnreleasedPartitions:
    case MemberState::kUnknown:
      return compute_next(member, target_epoch, target, owned, partition_epoch);
  }
  return member;
}

}  // namespace kafkalite::broker::group
