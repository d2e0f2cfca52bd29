#include "broker/group/classic_group.h"

#include <algorithm>

namespace kafkalite::broker::group {

const char* state_name(GroupState state) {
  switch (state) {
    case GroupState::kEmpty: return "Empty";
    case GroupState::kPreparingRebalance: return "PreparingRebalance";
    case GroupState::kCompletingRebalance: return "CompletingRebalance";
    case GroupState::kStable: return "Stable";
    case GroupState::kDead: return "Dead";
  }
  return "Dead";
}

const wire::Bytes* Member::metadata_for(const std::string& protocol) const {
  for (const auto& [name, metadata] : protocols) {
    if (name == protocol) return &metadata;
  }
  return nullptr;
}

void ClassicGroup::transition(GroupState to, int64_t now_ms) {
  previous_state = state;
  state = to;
  state_timestamp_ms = now_ms;
}

bool ClassicGroup::all_joined() const {
  if (!pending_members.empty()) return false;
  return std::all_of(members.begin(), members.end(), [](const auto& m) { return m.second.join != nullptr; });
}

int32_t ClassicGroup::rebalance_timeout_ms() const {
  int32_t longest = 0;
  for (const auto& [member_id, m] : members) longest = std::max(longest, m.rebalance_timeout_ms);
  return longest;
}

bool ClassicGroup::supports(const std::string& type, const std::vector<std::string>& names) const {
  if (state == GroupState::kEmpty || members.empty()) return !type.empty() && !names.empty();
  if (!protocol_type || *protocol_type != type) return false;
  for (const auto& name : names) {
    bool everyone = true;
    for (const auto& [member_id, m] : members) everyone = everyone && m.metadata_for(name) != nullptr;
    if (everyone) return true;
  }
  return false;
}

std::string ClassicGroup::select_protocol() const {
  // Candidates every member supports; each member votes for its first one.
  std::map<std::string, int> votes;
  for (const auto& [member_id, m] : members) {
    for (const auto& [name, metadata] : m.protocols) {
      bool everyone = true;
      for (const auto& [other_id, other] : members) everyone = everyone && other.metadata_for(name);
      if (everyone) {
        ++votes[name];
        break;
      }
    }
  }
  std::string best;
  int most = -1;
  for (const auto& [name, count] : votes) {
    if (count > most) {
      best = name;
      most = count;
    }
  }
  return best;
}

ErrorCode ClassicGroup::validate_member(const std::string& member_id,
                                        const std::optional<std::string>& instance_id) const {
  if (instance_id) {
    auto it = static_members.find(*instance_id);
    if (it == static_members.end()) return ErrorCode::UnknownMemberId;
    if (it->second != member_id) return ErrorCode::FencedInstanceId;
  }
  if (!members.count(member_id)) return ErrorCode::UnknownMemberId;
  return ErrorCode::None;
}

}  // namespace kafkalite::broker::group
