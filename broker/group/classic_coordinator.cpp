#include "broker/group/classic_coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "broker/storage/keys.h"
#include "common/text.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::broker::group {
namespace {

// A new member that never completes its join is dropped after this long
// (Kafka's fixed classic new-member join timeout).
constexpr int64_t kNewMemberJoinTimeoutMs = 300000;

JoinResult join_error(ErrorCode error, std::string member_id) {
  JoinResult r;
  r.error = error;
  r.member_id = std::move(member_id);
  return r;
}

}  // namespace

ClassicCoordinator::ClassicCoordinator(asio::io_context& io, const config::BrokerConfig& config,
                                       storage::KvStore& store, const OffsetsTopic& offsets_topic,
                                       std::function<int64_t()> clock, std::string log_prefix)
    : io_(io),
      config_(config),
      store_(store),
      offsets_topic_(offsets_topic),
      clock_(std::move(clock)),
      log_prefix_(std::move(log_prefix)) {}

ClassicCoordinator::~ClassicCoordinator() = default;

std::string ClassicCoordinator::new_member_id(const std::string& prefix) {
  static std::mt19937_64 random{std::random_device{}()};
  std::array<uint8_t, 16> b{};
  for (auto& x : b) x = static_cast<uint8_t>(random());
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  const std::string hex = text::to_hex(b);  // Java's UUID.toString(): 8-4-4-4-12
  return prefix + "-" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// ------------------------------------------------------------------ storage

size_t ClassicCoordinator::load() {
  size_t with_members = 0;
  const std::string prefix = storage::keys::group_prefix();
  store_.scan(prefix, storage::keys::after_prefix(prefix), [&](std::string_view key, std::string_view value) {
    const std::string id = storage::keys::group_id_of(key);
    ClassicGroup loaded;
    loaded.id = id;
    if (!parse_group(value, loaded)) {
      spdlog::warn("{}Skipping group {}: its record is in an unknown format", log_prefix_, id);
      return true;
    }
    ClassicGroup& group = groups_[id] = std::move(loaded);
    // As Kafka reloads a group: its members' sessions run again from now,
    // and a member that does not come back is removed when its session ends.
    for (auto& [member_id, m] : group.members) schedule_heartbeat(group, m, m.session_timeout_ms);
    with_members += group.members.empty() ? 0 : 1;
    return true;
  });
  return with_members;
}

storage::WriteResult ClassicCoordinator::persist(const ClassicGroup& group, int64_t state_timestamp_ms,
                                                 storage::WriteBatch batch) {
  batch.put(storage::keys::group(group.id), serialize_group(group, state_timestamp_ms));
  OffsetsRecords records(&offsets_topic_);
  records.group_metadata(group.id, group_metadata_record(group, state_timestamp_ms));
  records.stage(batch, now_ms());
  if (auto failed = store_.apply(batch)) return failed;
  records.apply();
  return std::nullopt;
}

bool ClassicCoordinator::session_timeout_allowed(int32_t timeout_ms) const {
  return timeout_ms >= config_.get_int("group.min.session.timeout.ms", 6000) &&
         timeout_ms <= config_.get_int("group.max.session.timeout.ms", 1800000);
}

bool ClassicCoordinator::adopt(ClassicGroup group, storage::WriteBatch batch, const std::string& reason) {
  const std::string id = group.id;
  if (persist(group, group.state_timestamp_ms, std::move(batch))) return false;
  ClassicGroup& adopted = groups_[id] = std::move(group);
  for (auto& [member_id, m] : adopted.members) {
    if (m.instance_id) adopted.static_members[*m.instance_id] = member_id;
    schedule_heartbeat(adopted, m, m.session_timeout_ms);
  }
  if (!reason.empty()) prepare_rebalance(adopted, reason);
  return true;
}

void ClassicCoordinator::stage_removal(const std::string& group_id, storage::WriteBatch& batch,
                                       OffsetsRecords& records) const {
  batch.remove(storage::keys::group(group_id));
  records.group_tombstone(group_id);
}

ClassicGroup& ClassicCoordinator::get_or_create(const std::string& group_id) {
  auto [it, inserted] = groups_.try_emplace(group_id);
  if (inserted) {
    it->second.id = group_id;
    it->second.state_timestamp_ms = now_ms();
  }
  return it->second;
}

ClassicGroup* ClassicCoordinator::find(const std::string& group_id) {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : &it->second;
}

const ClassicGroup* ClassicCoordinator::find(const std::string& group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : &it->second;
}

// ------------------------------------------------------------------ timers

// Every timer is a GuardedTimer: one rescheduled, cancelled or destroyed
// (with its member or group) never fires for the state it was set for.

void ClassicCoordinator::schedule_heartbeat(ClassicGroup& group, Member& member, int64_t timeout_ms) {
  if (!member.heartbeat) member.heartbeat = std::make_unique<GuardedTimer>(io_.get_executor());
  member.heartbeat->schedule(std::chrono::milliseconds(timeout_ms),
                             [this, group_id = group.id, member_id = member.id] { expire_heartbeat(group_id, member_id); });
}

void ClassicCoordinator::schedule_join_timer(ClassicGroup& group, int64_t delay_ms, std::function<void()> fire) {
  if (!group.join_timer) group.join_timer = std::make_unique<GuardedTimer>(io_.get_executor());
  group.join_timer->schedule(std::chrono::milliseconds(delay_ms), std::move(fire));
}

void ClassicCoordinator::schedule_sync_timer(ClassicGroup& group) {
  if (!group.sync_timer) group.sync_timer = std::make_unique<GuardedTimer>(io_.get_executor());
  group.sync_timer->schedule(std::chrono::milliseconds(group.rebalance_timeout_ms()),
                             [this, group_id = group.id, generation = group.generation] {
    ClassicGroup* g = find(group_id);
    if (!g || g->generation != generation || g->pending_sync.empty()) return;
    if (!g->is(GroupState::kCompletingRebalance) && !g->is(GroupState::kStable)) return;
    const auto late = g->pending_sync;
    for (const auto& id : late) remove_member(*g, id, ErrorCode::UnknownMemberId);
    prepare_rebalance(*g, "Removing [" + text::join(late, ", ") + "] on pending sync request expiration");
  });
}

void ClassicCoordinator::expire_heartbeat(const std::string& group_id, const std::string& member_id) {
  ClassicGroup* group = find(group_id);
  if (!group) return;
  auto it = group->members.find(member_id);
  if (it == group->members.end()) return;
  Member& m = it->second;
  if (!m.is_new && (m.join || m.sync)) return;  // a parked request counts as a heartbeat
  spdlog::info("{}Member {} in group {} has failed, removing it from the group.", log_prefix_,
               member_id, group_id);
  remove_member(*group, member_id, ErrorCode::UnknownMemberId);
  events_.member_expired(*group, member_id);
  if (group->is(GroupState::kStable) || group->is(GroupState::kCompletingRebalance)) {
    maybe_prepare_rebalance_or_complete_join(*group, "removing member " + member_id + " on heartbeat expiration.");
  } else if (group->is(GroupState::kPreparingRebalance) && group->all_joined()) {
    complete_join(*group);
  }
}

// ------------------------------------------------------------------ membership

void ClassicCoordinator::remove_member(ClassicGroup& group, const std::string& member_id, ErrorCode join_error) {
  auto it = group.members.find(member_id);
  if (it == group.members.end()) return;
  if (it->second.join) {
    JoinResult r;
    r.error = join_error;
    it->second.join->complete(r);
  }
  if (it->second.sync) it->second.sync->complete(SyncResult{join_error, std::nullopt, std::nullopt, {}});
  if (it->second.instance_id) group.static_members.erase(*it->second.instance_id);
  group.members.erase(it);
  std::erase(group.pending_sync, member_id);
  if (group.leader == member_id) {
    group.leader = group.members.empty() ? std::nullopt : std::optional(group.members.begin()->first);
  }
}

void ClassicCoordinator::add_member_and_rebalance(ClassicGroup& group, const JoinRequest& request,
                                                      const std::string& member_id,
                                                      std::shared_ptr<Parked<JoinResult>> parked) {
  if (group.is(GroupState::kPreparingRebalance) && group.previous_state == GroupState::kEmpty) {
    group.new_member_added = true;
  }
  if (group.members.empty()) group.protocol_type = request.protocol_type;
  Member& m = group.members[member_id];
  m.id = member_id;
  m.is_new = true;
  if (request.instance_id) {
    m.instance_id = request.instance_id;
    group.static_members[*request.instance_id] = member_id;
  }
  if (!group.leader) group.leader = member_id;
  update_member(group, m, request, std::move(parked));
  schedule_heartbeat(group, m, kNewMemberJoinTimeoutMs);
  const std::string reason = "Adding new member " + member_id +
                             (request.instance_id ? " with group instance id " + *request.instance_id : "") +
                             "; client reason: " + (request.reason.empty() ? "not provided" : request.reason);
  events_.member_joined(group, m, reason);
  if (group.is(GroupState::kEmpty) || group.is(GroupState::kStable) || group.is(GroupState::kCompletingRebalance)) {
    prepare_rebalance(group, reason);
  } else {
    maybe_complete_join(group);
  }
}

void ClassicCoordinator::update_member(ClassicGroup&, Member& member, const JoinRequest& request,
                                     std::shared_ptr<Parked<JoinResult>> parked) {
  member.client_id = request.client_id;
  member.client_host = request.client_host;
  member.session_timeout_ms = request.session_timeout_ms;
  member.rebalance_timeout_ms = request.rebalance_timeout_ms;
  member.protocol_type = request.protocol_type;
  member.protocols = request.protocols;
  if (member.join && member.join != parked) {
    // A newer JoinGroup from the same member replaces this one: Kafka never
    // answers it, so neither does kafkalite (its connection is closed).
    JoinResult replaced;
    replaced.abandoned = true;
    member.join->complete(replaced);
  }
  member.join = std::move(parked);
}

void ClassicCoordinator::prepare_rebalance(ClassicGroup& group, const std::string& reason) {
  if (group.is(GroupState::kCompletingRebalance)) {
    for (auto& [id, m] : group.members) {
      m.assignment.clear();
      if (m.sync) {
        m.sync->complete(SyncResult{ErrorCode::RebalanceInProgress, std::nullopt, std::nullopt, {}});
        m.sync.reset();
      }
    }
  }
  group.pending_sync.clear();
  if (group.sync_timer) group.sync_timer->cancel();
  const bool initial = group.is(GroupState::kEmpty);
  group.transition(GroupState::kPreparingRebalance, now_ms());
  spdlog::info("{}Preparing to rebalance group {} in state PreparingRebalance with old generation {} (reason: {}).",
               log_prefix_, group.id, group.generation, reason);
  events_.rebalance_started(group, reason);
  if (initial) {
    const int64_t delay = config_.get_int("group.initial.rebalance.delay.ms", 3000);
    const int64_t remaining = std::max<int64_t>(group.rebalance_timeout_ms() - delay, 0);
    schedule_join_timer(group, delay, [this, id = group.id, delay, remaining] {
      try_complete_initial(id, delay, remaining);
    });
  } else if (group.all_joined()) {
    complete_join(group);
  } else {
    schedule_join_timer(group, group.rebalance_timeout_ms(), [this, id = group.id] {
      if (ClassicGroup* g = find(id); g && g->is(GroupState::kPreparingRebalance)) complete_join(*g);
    });
  }
}

void ClassicCoordinator::maybe_prepare_rebalance_or_complete_join(ClassicGroup& group, const std::string& reason) {
  if (group.is(GroupState::kStable) || group.is(GroupState::kCompletingRebalance) ||
      group.is(GroupState::kEmpty)) {
    if (group.members.empty() && group.is(GroupState::kEmpty)) return;
    prepare_rebalance(group, reason);
  } else {
    maybe_complete_join(group);
  }
}

void ClassicCoordinator::maybe_complete_join(ClassicGroup& group) {
  if (!group.is(GroupState::kPreparingRebalance)) return;
  if (group.previous_state == GroupState::kEmpty) return;  // the initial rebalance waits for its delay
  if (group.all_joined()) complete_join(group);
}

void ClassicCoordinator::try_complete_initial(const std::string& group_id, int64_t delay, int64_t remaining) {
  ClassicGroup* group = find(group_id);
  if (!group || !group->is(GroupState::kPreparingRebalance)) return;
  if (group->new_member_added && remaining != 0) {
    group->new_member_added = false;
    const int64_t initial = config_.get_int("group.initial.rebalance.delay.ms", 3000);
    const int64_t next_delay = std::min(initial, remaining);
    const int64_t next_remaining = std::max<int64_t>(remaining - delay, 0);
    schedule_join_timer(*group, next_delay, [this, group_id, next_delay, next_remaining] {
      try_complete_initial(group_id, next_delay, next_remaining);
    });
    return;
  }
  complete_join(*group);
}

JoinResult ClassicCoordinator::join_answer(const ClassicGroup& group, const Member& member) const {
  JoinResult r;
  r.member_id = member.id;
  r.generation = group.generation;
  r.protocol_type = group.protocol_type;
  r.protocol_name = group.protocol_name;
  r.leader = group.leader.value_or("");
  if (group.leader == member.id) {
    for (const auto& [id, m] : group.members) {
      const wire::Bytes* metadata = group.protocol_name ? m.metadata_for(*group.protocol_name) : nullptr;
      r.members.push_back({id, m.instance_id, metadata ? *metadata : wire::Bytes{}});
    }
  }
  return r;
}

void ClassicCoordinator::complete_join(ClassicGroup& group) {
  if (group.join_timer) group.join_timer->cancel();
  std::vector<std::string> gone;
  for (const auto& [id, m] : group.members) {
    if (!m.join && !m.instance_id) gone.push_back(id);
  }
  for (const auto& id : gone) remove_member(group, id, ErrorCode::UnknownMemberId);
  if (!gone.empty()) {
    spdlog::info("{}Group {} removed dynamic members who haven't joined: [{}]", log_prefix_, group.id, text::join(gone, ", "));
  }
  const bool anyone_joined = std::any_of(group.members.begin(), group.members.end(),
                                         [](const auto& m) { return m.second.join != nullptr; });
  if (!group.members.empty() && !anyone_joined) {
    spdlog::error("{}Group {} could not complete rebalance because no members rejoined", log_prefix_, group.id);
    schedule_join_timer(group, group.rebalance_timeout_ms(), [this, id = group.id] {
      if (ClassicGroup* g = find(id); g && g->is(GroupState::kPreparingRebalance)) complete_join(*g);
    });
    return;
  }
  if (group.leader && (!group.members.count(*group.leader) || !group.members.at(*group.leader).join)) {
    for (const auto& [id, m] : group.members) {
      if (m.join) {
        spdlog::info("{}Group leader {} failed to join before the rebalance timeout. Member {} was elected as the new leader.",
                     log_prefix_, *group.leader, id);
        group.leader = id;
        break;
      }
    }
  }
  ++group.generation;
  group.pending_sync.clear();
  if (group.members.empty()) {
    group.protocol_name.reset();
    group.leader.reset();
    group.transition(GroupState::kEmpty, now_ms());
    spdlog::info("{}Group {} with generation {} is now empty.", log_prefix_, group.id, group.generation);
    events_.empty(group);
    // A failed write stops the broker (fail-stop); nothing here to undo.
    (void)persist(group, group.state_timestamp_ms);
    return;
  }
  group.protocol_name = group.select_protocol();
  // Kafka writes nothing here: the record comes with the leader's assignment.
  group.transition(GroupState::kCompletingRebalance, now_ms());
  std::string members;
  for (const auto& [id, m] : group.members) members += (members.empty() ? "" : ", ") + id;
  spdlog::info("{}Stabilized group {} generation {} with {} members ({}), protocol {}, leader {}. Waiting for the "
               "leader's assignment (state CompletingRebalance).",
               log_prefix_, group.id, group.generation, group.members.size(), members, *group.protocol_name,
               group.leader.value_or("none"));
  events_.stabilized(group);
  for (auto& [id, m] : group.members) {
    if (m.join) {
      m.join->complete(join_answer(group, m));
      m.join.reset();
    }
    m.is_new = false;
    schedule_heartbeat(group, m, m.session_timeout_ms);
    group.pending_sync.push_back(id);
  }
  schedule_sync_timer(group);
}

// ------------------------------------------------------------------ requests

// The coroutines only wait; the work is in start_join/start_sync. (Kept
// apart also because GCC 12 misreports Asio's coroutine frames as a
// mismatched new/delete in large coroutines.)
asio::awaitable<JoinResult> ClassicCoordinator::join(JoinRequest request) {
  Started<JoinResult> started = start_join(request);
  if (started.parked) co_return co_await started.parked->wait();
  co_return started.now;
}

asio::awaitable<SyncResult> ClassicCoordinator::sync(SyncRequest request) {
  Started<SyncResult> started = start_sync(request);
  if (started.parked) co_return co_await started.parked->wait();
  co_return started.now;
}

ClassicCoordinator::Started<JoinResult> ClassicCoordinator::start_join(const JoinRequest& request) {
  JoinResult fail;
  fail.member_id = request.member_id;
  if (request.group_id.empty()) {
    fail.error = ErrorCode::InvalidGroupId;
    return {fail, nullptr};
  }
  if (!session_timeout_allowed(request.session_timeout_ms)) {
    fail.error = ErrorCode::InvalidSessionTimeout;
    return {fail, nullptr};
  }
  ClassicGroup* existing = find(request.group_id);
  if (!existing && !request.member_id.empty()) {
    fail.error = ErrorCode::UnknownMemberId;
    return {fail, nullptr};
  }
  ClassicGroup& group = existing ? *existing : get_or_create(request.group_id);
  // Kafka records a new group (generation 0, no members) before it answers.
  if (!existing && persist(group, group.state_timestamp_ms)) {
    groups_.erase(request.group_id);
    fail.error = ErrorCode::NotCoordinator;
    return {fail, nullptr};
  }

  const int64_t max_size = config_.get_int("group.max.size", INT32_MAX);
  const bool known = group.members.count(request.member_id) > 0;
  bool accept = true;
  if (group.is(GroupState::kPreparingRebalance)) {
    int64_t awaiting = 0;
    for (const auto& [id, m] : group.members) awaiting += m.join ? 1 : 0;
    accept = (known && group.members.at(request.member_id).join) || awaiting < max_size;
  } else if (group.is(GroupState::kCompletingRebalance) || group.is(GroupState::kStable)) {
    accept = known || static_cast<int64_t>(group.members.size()) < max_size;
  }
  if (!accept) {
    if (known) remove_member(group, request.member_id, ErrorCode::GroupMaxSizeReached);
    fail.error = ErrorCode::GroupMaxSizeReached;
    fail.member_id.clear();
    return {fail, nullptr};
  }

  std::vector<std::string> names;
  for (const auto& [name, metadata] : request.protocols) names.push_back(name);
  if (!group.supports(request.protocol_type, names)) {
    fail.error = ErrorCode::InconsistentGroupProtocol;
    if (request.member_id.empty()) fail.member_id.clear();
    return {fail, nullptr};
  }

  auto parked = std::make_shared<Parked<JoinResult>>(io_.get_executor());
  if (request.member_id.empty()) {
    const std::string id = new_member_id(request.instance_id.value_or(request.client_id));
    if (request.instance_id && group.static_members.count(*request.instance_id)) {
      // A static member restarting: it takes over the old member's place and
      // assignment; a stable group with an unchanged protocol does not rebalance.
      const std::string old_id = group.static_members.at(*request.instance_id);
      Member old = std::move(group.members.at(old_id));
      group.members.erase(old_id);
      if (old.join) old.join->complete(join_error(ErrorCode::FencedInstanceId, old_id));
      if (old.sync) old.sync->complete(SyncResult{ErrorCode::FencedInstanceId, std::nullopt, std::nullopt, {}});
      Member& m = group.members[id];
      m.id = id;
      m.instance_id = request.instance_id;
      m.assignment = std::move(old.assignment);
      group.static_members[*request.instance_id] = id;
      const bool was_leader = group.leader == old_id;
      if (was_leader) group.leader = id;
      std::replace(group.pending_sync.begin(), group.pending_sync.end(), old_id, id);
      spdlog::info("{}Static member with groupInstanceId={} and unknown member id joins group {} in {} state. "
                   "Replacing previously mapped member {} with this groupInstanceId.",
                   log_prefix_, *request.instance_id, group.id, state_name(group.state), old_id);
      update_member(group, m, request, nullptr);
      schedule_heartbeat(group, m, m.session_timeout_ms);
      if (group.is(GroupState::kStable) && group.select_protocol() == group.protocol_name) {
        spdlog::info("{}Static member which joins during Stable stage and doesn't affect the selected protocol "
                     "will not trigger a rebalance.", log_prefix_);
        // The new member id replaces the old one in the group's record.
        if (persist(group, group.state_timestamp_ms)) return {join_error(ErrorCode::NotCoordinator, id), nullptr};
        JoinResult r = join_answer(group, m);
        if (request.version >= 9) {
          r.skip_assignment = was_leader;
          if (!was_leader) r.members.clear();
        } else {
          r.members.clear();
          r.leader = was_leader ? old_id : group.leader.value_or("");
        }
        return {r, nullptr};
      }
      m.join = parked;
      if (group.is(GroupState::kPreparingRebalance)) {
        maybe_complete_join(group);
      } else {
        prepare_rebalance(group, "Updating metadata for static member " + id);
      }
      return {JoinResult{}, parked};
    }
    if (!request.instance_id && request.member_id_required) {
      auto timer = std::make_unique<GuardedTimer>(io_.get_executor());
      timer->schedule(std::chrono::milliseconds(request.session_timeout_ms), [this, group_id = group.id, id] {
        ClassicGroup* g = find(group_id);
        if (!g || !g->pending_members.erase(id)) return;
        spdlog::info("{}Pending member {} in group {} has been removed after session timeout expiration.",
                     log_prefix_, id, group_id);
        if (g->is(GroupState::kPreparingRebalance) && g->all_joined()) complete_join(*g);
      });
      group.pending_members[id] = std::move(timer);
      spdlog::info("{}Dynamic member with unknown member id joins group {} in {} state. Created a new member id {} "
                   "and requesting the member to rejoin with this id.",
                   log_prefix_, group.id, state_name(group.state), id);
      JoinResult r;
      r.error = ErrorCode::MemberIdRequired;
      r.member_id = id;
      return {r, nullptr};
    }
    add_member_and_rebalance(group, request, id, parked);
    return {JoinResult{}, parked};
  }

  if (auto pending = group.pending_members.find(request.member_id); pending != group.pending_members.end()) {
    group.pending_members.erase(pending);
    spdlog::info("{}Pending dynamic member with id {} joins group {} in {} state. Adding to the group now.",
                 log_prefix_, request.member_id, group.id, state_name(group.state));
    add_member_and_rebalance(group, request, request.member_id, parked);
    return {JoinResult{}, parked};
  }
  if (ErrorCode e = group.validate_member(request.member_id, request.instance_id); e != ErrorCode::None) {
    fail.error = e;
    return {fail, nullptr};
  }
  Member& member = group.members.at(request.member_id);
  const bool same_protocols = member.protocols == request.protocols;
  const std::string client_reason = request.reason.empty() ? "not provided" : request.reason;
  switch (group.state) {
    case GroupState::kPreparingRebalance:
      update_member(group, member, request, parked);
      maybe_complete_join(group);
      break;
    case GroupState::kCompletingRebalance:
      if (same_protocols) return {join_answer(group, member), nullptr};
      update_member(group, member, request, parked);
      prepare_rebalance(group, "Updating metadata for member " + member.id + " during CompletingRebalance; client reason: " + client_reason);
      break;
    case GroupState::kStable:
      if (group.leader == member.id || !same_protocols) {
        update_member(group, member, request, parked);
        prepare_rebalance(group, (group.leader == member.id ? "Leader " + member.id + " re-joining group during Stable"
                                                            : "Updating metadata for member " + member.id + " during Stable") +
                                     "; client reason: " + client_reason);
      } else {
        return {join_answer(group, member), nullptr};
      }
      break;
    default:
      spdlog::warn("{}Attempt to add rejoining member {} of group {} in unexpected group state {}", log_prefix_,
                   member.id, group.id, state_name(group.state));
      fail.error = ErrorCode::UnknownMemberId;
      return {fail, nullptr};
  }
  return {JoinResult{}, parked};
}

ClassicCoordinator::Started<SyncResult> ClassicCoordinator::start_sync(const SyncRequest& request) {
  SyncResult fail;
  if (request.group_id.empty()) {
    fail.error = ErrorCode::InvalidGroupId;
    return {fail, nullptr};
  }
  ClassicGroup* group = find(request.group_id);
  if (!group || group->is(GroupState::kEmpty)) {
    fail.error = ErrorCode::UnknownMemberId;
    return {fail, nullptr};
  }
  if (ErrorCode e = group->validate_member(request.member_id, request.instance_id); e != ErrorCode::None) {
    fail.error = e;
    return {fail, nullptr};
  }
  if (request.generation != group->generation) {
    fail.error = ErrorCode::IllegalGeneration;
    return {fail, nullptr};
  }
  if ((request.protocol_type && group->protocol_type && *request.protocol_type != *group->protocol_type) ||
      (request.protocol_name && group->protocol_name && *request.protocol_name != *group->protocol_name)) {
    fail.error = ErrorCode::InconsistentGroupProtocol;
    return {fail, nullptr};
  }
  if (group->is(GroupState::kPreparingRebalance)) {
    fail.error = ErrorCode::RebalanceInProgress;
    return {fail, nullptr};
  }
  Member& member = group->members.at(request.member_id);
  std::erase(group->pending_sync, request.member_id);
  if (group->is(GroupState::kStable)) {
    return {SyncResult{ErrorCode::None, group->protocol_type, group->protocol_name, member.assignment}, nullptr};
  }
  // CompletingRebalance: wait for the leader's assignment.
  auto parked = std::make_shared<Parked<SyncResult>>(io_.get_executor());
  if (member.sync) {  // replaced by this one: never answered (see update_member)
    SyncResult replaced;
    replaced.abandoned = true;
    member.sync->complete(replaced);
  }
  member.sync = parked;
  if (group->leader == request.member_id) {
    std::vector<std::string> missing;
    size_t statics = 0;
    for (auto& [id, m] : group->members) {
      auto it = request.assignments.find(id);
      if (it == request.assignments.end()) missing.push_back(id);
      m.assignment = it == request.assignments.end() ? wire::Bytes{} : it->second;
      statics += m.instance_id ? 1 : 0;
    }
    spdlog::info("{}Assignment received from leader {} for group {} for generation {}. The group has {} members, "
                 "{} of which are static.",
                 log_prefix_, request.member_id, group->id, group->generation, group->members.size(), statics);
    if (!missing.empty()) {
      spdlog::warn("{}Setting empty assignments for members [{}] of {} for generation {}.", log_prefix_,
                   text::join(missing, ", "), group->id, group->generation);
    }
    // Kafka stores the group with its assignment (and the time it entered
    // CompletingRebalance), then makes it Stable once the write is done.
    if (persist(*group, group->state_timestamp_ms)) {
      for (auto& [id, m] : group->members) {
        m.assignment.clear();
        if (m.sync) m.sync->complete(SyncResult{ErrorCode::NotCoordinator, std::nullopt, std::nullopt, {}});
        m.sync.reset();
      }
      return {SyncResult{}, parked};
    }
    group->transition(GroupState::kStable, now_ms());
    spdlog::info("{}Group {} is Stable at generation {}: {}", log_prefix_, group->id, group->generation, [&] {
      std::string text;
      for (const auto& [id, m] : group->members) {
        text += (text.empty() ? "" : "; ") + id + " has " + std::to_string(m.assignment.size()) + " assignment byte(s)";
      }
      return text;
    }());
    events_.assigned(*group);
    for (auto& [id, m] : group->members) {
      if (m.sync) {
        m.sync->complete(SyncResult{ErrorCode::None, group->protocol_type, group->protocol_name, m.assignment});
        m.sync.reset();
        schedule_heartbeat(*group, m, m.session_timeout_ms);
      }
    }
  }
  return {SyncResult{}, parked};
}

ErrorCode ClassicCoordinator::heartbeat(const std::string& group_id, int32_t generation, const std::string& member_id,
                                      const std::optional<std::string>& instance_id) {
  if (group_id.empty()) return ErrorCode::InvalidGroupId;
  ClassicGroup* group = find(group_id);
  if (!group) return ErrorCode::UnknownMemberId;
  if (ErrorCode e = group->validate_member(member_id, instance_id); e != ErrorCode::None) return e;
  if (generation != group->generation) return ErrorCode::IllegalGeneration;
  Member& m = group->members.at(member_id);
  switch (group->state) {
    case GroupState::kPreparingRebalance:
      schedule_heartbeat(*group, m, m.session_timeout_ms);
      return ErrorCode::RebalanceInProgress;
    case GroupState::kCompletingRebalance:
    case GroupState::kStable:
      schedule_heartbeat(*group, m, m.session_timeout_ms);
      return ErrorCode::None;
    default:
      return ErrorCode::UnknownMemberId;
  }
}

std::vector<ErrorCode> ClassicCoordinator::leave(
    const std::string& group_id, const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
    const std::string& reason) {
  std::vector<ErrorCode> out;
  ClassicGroup* group = find(group_id);
  if (!group) return std::vector<ErrorCode>(members.size(), ErrorCode::UnknownMemberId);
  std::vector<std::string> left;
  for (const auto& [member_id, instance_id] : members) {
    std::string id = member_id;
    if (id.empty()) {
      auto it = instance_id ? group->static_members.find(*instance_id) : group->static_members.end();
      if (it == group->static_members.end()) {
        out.push_back(ErrorCode::UnknownMemberId);
        continue;
      }
      id = it->second;
    } else if (group->pending_members.erase(id)) {
      out.push_back(ErrorCode::None);
      continue;
    } else if (ErrorCode e = group->validate_member(id, instance_id); e != ErrorCode::None) {
      out.push_back(e);
      continue;
    }
    spdlog::info("{}[Group {}] Member {} has left group through explicit `LeaveGroup` request; client reason: {}",
                 log_prefix_, group_id, id, reason.empty() ? "not provided" : reason);
    remove_member(*group, id, ErrorCode::UnknownMemberId);
    events_.member_left(*group, id, reason.empty() ? "not provided" : reason);
    left.push_back(id);
    out.push_back(ErrorCode::None);
  }
  if (!left.empty()) {
    const std::string why = "explicit `LeaveGroup` request for (" + text::join(left, ", ") + ") members.";
    if (group->is(GroupState::kStable) || group->is(GroupState::kCompletingRebalance)) {
      prepare_rebalance(*group, why);
    } else if (group->is(GroupState::kPreparingRebalance)) {
      if (group->previous_state == GroupState::kEmpty && !group->members.empty()) {
        // the initial rebalance still waits for its delay
      } else if (group->all_joined()) {
        complete_join(*group);
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------ offsets

ErrorCode ClassicCoordinator::validate_commit(const std::string& group_id, int32_t generation,
                                            const std::string& member_id,
                                            const std::optional<std::string>& instance_id, int16_t version,
                                            bool transactional) {
  ClassicGroup* group = find(group_id);
  if (!group) {
    if (generation >= 0) {
      return version >= 9 && !transactional ? ErrorCode::GroupIdNotFound : ErrorCode::IllegalGeneration;
    }
    spdlog::info("{}[GroupId {}] Creating a simple consumer group via manual offset commit.", log_prefix_, group_id);
    get_or_create(group_id);
    return ErrorCode::None;
  }
  if (generation < 0 && group->is(GroupState::kEmpty)) return ErrorCode::None;
  if (generation >= 0 || !member_id.empty() || instance_id) {
    if (ErrorCode e = group->validate_member(member_id, instance_id); e != ErrorCode::None) return e;
    if (generation != group->generation) return ErrorCode::IllegalGeneration;
  } else if (!transactional) {
    // Older TxnOffsetCommit versions carry no member: Kafka accepts them.
    return ErrorCode::UnknownMemberId;
  }
  if (transactional) return ErrorCode::None;  // the group's state is not enforced for these
  if (group->is(GroupState::kCompletingRebalance)) return ErrorCode::RebalanceInProgress;
  if (group->is(GroupState::kStable) || group->is(GroupState::kPreparingRebalance)) {
    Member& m = group->members.at(member_id);
    schedule_heartbeat(*group, m, m.session_timeout_ms);
  }
  return ErrorCode::None;
}

void ClassicCoordinator::release(ClassicGroup& group, ErrorCode error) {
  for (auto& [member_id, m] : group.members) {
    if (m.join) m.join->complete(join_error(error, member_id));
    if (m.sync) m.sync->complete(SyncResult{error, std::nullopt, std::nullopt, {}});
    m.join.reset();
    m.sync.reset();
    if (m.heartbeat) m.heartbeat->cancel();
  }
  for (auto& [pending, timer] : group.pending_members) timer->cancel();
  if (group.join_timer) group.join_timer->cancel();
  if (group.sync_timer) group.sync_timer->cancel();
}

void ClassicCoordinator::release(const std::string& group_id, ErrorCode error) {
  if (ClassicGroup* group = find(group_id)) release(*group, error);
}

void ClassicCoordinator::shutdown() {
  for (auto& [id, group] : groups_) release(group, ErrorCode::NotCoordinator);
}

}  // namespace kafkalite::broker::group
