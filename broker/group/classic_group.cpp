#include "broker/group/classic_group.h"

#include <algorithm>

#include "common/java_hash.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

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

std::optional<std::vector<std::string>> ClassicGroup::subscribed_topics() const {
  if (protocol_type != "consumer" || !protocol_name) return std::nullopt;
  std::vector<std::string> topics;
  for (const auto& [member_id, m] : members) {
    const wire::Bytes* metadata = m.metadata_for(*protocol_name);
    if (!metadata) return std::nullopt;
    // ConsumerProtocolSubscription: version, then an array of topic names.
    wire::Reader r(*metadata);
    r.read_int16();
    const int32_t count = r.read_int32();
    for (int32_t i = 0; i < count && r.ok(); ++i) topics.push_back(r.read_string(false));
    if (!r.ok()) return std::nullopt;
  }
  return topics;
}

namespace {

constexpr int16_t kGroupFormat = 1;

}  // namespace

std::string serialize_group(const ClassicGroup& group, int64_t state_timestamp_ms) {
  wire::Writer w;
  w.write_int16(kGroupFormat);
  w.write_nullable_string(group.protocol_type, true);
  w.write_int32(group.generation);
  w.write_nullable_string(group.protocol_name, true);
  w.write_nullable_string(group.leader, true);
  w.write_int64(state_timestamp_ms);
  w.write_int32(static_cast<int32_t>(group.members.size()));
  for (const auto& [id, m] : group.members) {
    w.write_string(id, true);
    w.write_nullable_string(m.instance_id, true);
    w.write_string(m.client_id, true);
    w.write_string(m.client_host, true);
    w.write_int32(m.rebalance_timeout_ms);
    w.write_int32(m.session_timeout_ms);
    const wire::Bytes* subscription = group.protocol_name ? m.metadata_for(*group.protocol_name) : nullptr;
    w.write_bytes(subscription ? *subscription : wire::Bytes{}, true);
    w.write_bytes(m.assignment, true);
  }
  return std::string(w.bytes().begin(), w.bytes().end());
}

protocol::GroupMetadataValue group_metadata_record(const ClassicGroup& group, int64_t state_timestamp_ms) {
  protocol::GroupMetadataValue value;
  value.protocol_type = group.protocol_type.value_or("");
  value.generation = group.generation;
  value.protocol = group.protocol_name;
  value.leader = group.leader;
  value.current_state_timestamp = state_timestamp_ms;
  java::HashMap order;
  for (const auto& [id, m] : group.members) order.put(id);
  for (const auto& id : order.keys()) {
    const Member& m = group.members.at(id);
    auto& out = value.members.emplace_back();
    out.member_id = id;
    out.group_instance_id = m.instance_id;
    out.client_id = m.client_id;
    out.client_host = m.client_host;
    out.rebalance_timeout = m.rebalance_timeout_ms;
    out.session_timeout = m.session_timeout_ms;
    const wire::Bytes* subscription = group.protocol_name ? m.metadata_for(*group.protocol_name) : nullptr;
    if (subscription) out.subscription = *subscription;
    out.assignment = m.assignment;
  }
  return value;
}

bool parse_group(std::string_view record, ClassicGroup& group) {
  wire::Reader r(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(record.data()), record.size()));
  if (r.read_int16() != kGroupFormat) return false;
  group.protocol_type = r.read_nullable_string(true);
  group.generation = r.read_int32();
  group.protocol_name = r.read_nullable_string(true);
  group.leader = r.read_nullable_string(true);
  group.state_timestamp_ms = r.read_int64();
  const int32_t count = r.read_int32();
  for (int32_t i = 0; i < count && r.ok(); ++i) {
    Member m;
    m.id = r.read_string(true);
    m.instance_id = r.read_nullable_string(true);
    m.client_id = r.read_string(true);
    m.client_host = r.read_string(true);
    m.rebalance_timeout_ms = r.read_int32();
    m.session_timeout_ms = r.read_int32();
    m.protocol_type = group.protocol_type.value_or("");
    wire::Bytes subscription = r.read_bytes(true);
    if (group.protocol_name) m.protocols.emplace_back(*group.protocol_name, std::move(subscription));
    m.assignment = r.read_bytes(true);
    if (m.instance_id) group.static_members[*m.instance_id] = m.id;
    const std::string id = m.id;
    group.members.emplace(id, std::move(m));
  }
  if (!r.ok()) return false;
  group.state = group.members.empty() ? GroupState::kEmpty : GroupState::kStable;
  return true;
}

}  // namespace kafkalite::broker::group
