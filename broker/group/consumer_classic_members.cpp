// Classic-protocol members in a consumer group (KIP-848's migration path),
// as Kafka 4.1.1's GroupMetadataManager serves them: a consumer that still
// speaks JoinGroup/SyncGroup/Heartbeat/LeaveGroup joins a consumer group as
// a member like any other. The broker's assignor decides its partitions (its
// own assignor names are only protocol names); its member epoch is its
// generation; it reconciles when it joins, so a new group epoch reaches it
// as REBALANCE_IN_PROGRESS on its heartbeat and it rejoins. An empty
// consumer group that a classic member joins becomes a classic group.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "broker/group/consumer_coordinator.h"
#include "common/protocol/consumer_protocol.h"
#include "common/clock.h"
#include "common/text.h"

namespace kafkalite::broker::group {

namespace {

JoinResult join_failure(ErrorCode error, const std::string& member_id = "") {
  JoinResult out;
  out.error = error;
  out.member_id = member_id;
  return out;
}

// A classic member's JoinGroup answer: its id, its member epoch as the
// generation, and the first protocol it offered.
JoinResult joined(const ConsumerMember& member) {
  JoinResult out;
  out.member_id = member.id;
  out.generation = member.epoch;
  out.protocol_type = "consumer";
  out.protocol_name = member.classic->protocols.front().first;
  return out;
}

SyncResult sync_failure(ErrorCode error) {
  SyncResult out;
  out.error = error;
  return out;
}

}  // namespace

std::optional<ConsumerHeartbeatResult> ConsumerCoordinator::upgrade(const ClassicGroup& classic,
                                                                    ConsumerGroup& into) const {
  const std::string& id = classic.id;
  auto refuse = [&](const std::string& why) {
    spdlog::info("{}[GroupId {}] Cannot upgrade classic group {} to consumer group because {}.", log_prefix_, id, id,
                 why);
    ConsumerHeartbeatResult out;
    out.error = ErrorCode::GroupIdNotFound;
    out.message = "Cannot upgrade classic group " + id + " to consumer group because " + why + ".";
    return out;
  };
  if (!migration_allows("upgrade")) return refuse("online upgrade is disabled");
  if (classic.protocol_type.value_or("") != "consumer") {
    return refuse("the group does not use the consumer embedded protocol");
  }
  if (static_cast<int64_t>(classic.members.size()) > config_.get_int("group.consumer.max.size", 2147483647)) {
    return refuse("the group size exceeds the consumer group maximum size");
  }
  if (!classic.protocol_name) {  // inside its first rebalance: Kafka fails here too
    ConsumerHeartbeatResult out;
    out.error = ErrorCode::UnknownServerError;
    return out;
  }
  into.group_epoch = into.assignment_epoch = classic.generation;
  for (const auto& [member_id, m] : classic.members) {
    const wire::Bytes* metadata = m.metadata_for(*classic.protocol_name);
    const auto subscription =
        metadata ? protocol::decode_consumer_subscription(*metadata) : std::nullopt;
    std::optional<protocol::ConsumerAssignment> assignment =
        m.assignment.empty() ? std::optional<protocol::ConsumerAssignment>(protocol::ConsumerAssignment{})
                             : protocol::decode_consumer_assignment(m.assignment);
    if (!subscription || !assignment) {
      spdlog::warn("{}[GroupId {}] Cannot upgrade classic group {} to consumer group because the embedded consumer "
                   "protocol is malformed.",
                   log_prefix_, id, id);
      return refuse("the embedded consumer protocol is malformed");
    }
    if (assignment->user_data && !assignment->user_data->empty()) {
      spdlog::warn("{}[GroupId {}] Cannot upgrade classic group {} to consumer group: userData from a custom "
                   "assignor would be lost.",
                   log_prefix_, id, id);
      return refuse("an unsupported custom assignor is in use. Please refer to the documentation or switch to a "
                    "default assignor before re-attempting the upgrade");
    }
    ConsumerMember member;
    member.id = member_id;
    member.instance_id = m.instance_id;
    member.rack_id = subscription->rack_id;
    member.epoch = member.previous_epoch = classic.generation;
    member.rebalance_timeout_ms = m.rebalance_timeout_ms;
    member.client_id = m.client_id;
    member.client_host = m.client_host;
    member.subscribed_topic_names = {subscription->topics.begin(), subscription->topics.end()};
    member.assigned = by_topic_id(assignment->partitions);
    member.classic = ClassicProtocols{m.session_timeout_ms, m.protocols};
    into.target[member_id] = member.assigned;
    into.install(std::move(member), std::nullopt);
  }
  into.subscribed_metadata = subscribed_metadata(into);
  return std::nullopt;
}

bool ConsumerCoordinator::maybe_downgrade(ConsumerGroup& group, const std::set<std::string>& leaving,
                                          const std::string& why) {
  return downgrade_allowed(group, leaving, /*joining=*/false) &&
         downgrade(group, leaving, nullptr, "Downgrade group " + group.id + " from consumer to classic for " + why + ".",
                   "only classic members remain: online downgrade for " + why);
}

bool ConsumerCoordinator::downgrade_allowed(const ConsumerGroup& group, const std::set<std::string>& leaving,
                                            bool joining) const {
  size_t remaining = 0;
  for (const auto& [id, m] : group.members) {
    if (leaving.count(id)) continue;
    if (!m.classic) return false;
    ++remaining;
  }
  if (remaining == 0 && !joining) {
    spdlog::debug("{}Skip downgrading the consumer group {} to classic group because it's empty.", log_prefix_,
                  group.id);
    return false;
  }
  if (!migration_allows("downgrade")) {
    spdlog::info("{}Cannot downgrade consumer group {} to classic group because the online downgrade is disabled.",
                 log_prefix_, group.id);
    return false;
  }
  if (static_cast<int64_t>(remaining + (joining ? 1 : 0)) > config_.get_int("group.max.size", 2147483647)) {
    spdlog::info("{}Cannot downgrade consumer group {} to classic group because its group size is greater than "
                 "classic group max size.",
                 log_prefix_, group.id);
    return false;
  }
  return true;
}

bool ConsumerCoordinator::downgrade(ConsumerGroup& group, const std::set<std::string>& leaving,
                                    const std::string* joining, const std::string& rebalance_reason,
                                    const std::string& event_reason) {
  std::vector<ConsumerMember*> remaining;
  for (auto& [id, m] : group.members) {
    if (!leaving.count(id) && !(joining && id == *joining)) remaining.push_back(&m);
  }
  // A static member joining in place of another is added last (Kafka's
  // group takes the first member it adds as leader).
  if (joining) remaining.push_back(&group.members.at(*joining));
  // The classic group: Stable at the group's epoch, each member given its
  // target assignment in its subscription's version.
  ClassicGroup classic;
  classic.id = group.id;
  classic.state = GroupState::kStable;
  classic.generation = group.group_epoch;
  classic.protocol_type = "consumer";
  classic.state_timestamp_ms = now_ms();
  for (const ConsumerMember* m : remaining) {
    Member& member = classic.members[m->id];
    member.id = m->id;
    member.instance_id = m->instance_id;
    member.client_id = m->client_id;
    member.client_host = m->client_host;
    member.session_timeout_ms = m->classic->session_timeout_ms;
    member.rebalance_timeout_ms = m->rebalance_timeout_ms;
    member.protocol_type = "consumer";
    member.protocols = m->classic->protocols;
  }
  classic.protocol_name = classic.select_protocol();
  classic.leader = remaining.front()->id;
  for (const ConsumerMember* m : remaining) {
    Member& member = classic.members.at(m->id);
    const wire::Bytes* metadata = member.metadata_for(*classic.protocol_name);
    const auto subscription = metadata ? protocol::decode_consumer_subscription(*metadata) : std::nullopt;
    if (!subscription) {
      spdlog::warn("{}Cannot downgrade the consumer group {}: fail to parse the Consumer Protocol consumer.",
                   log_prefix_, group.id);
      return false;
    }
    member.assignment = assignment_bytes(group.target[m->id], subscription->version);
  }
  const std::string id = group.id;
  const int32_t classic_epoch = group.group_epoch;
  storage::WriteBatch batch;
  stage_removal(id, batch);
  if (!classic_.adopt(std::move(classic), std::move(batch), rebalance_reason)) return false;
  for (auto& [member_id, m] : group.members) m.cancel_timers();
  groups_.erase(id);
  persisted_.erase(id);
  spdlog::info("{}[GroupId {}] Converted the consumer group to a classic group.", log_prefix_, id);
  events_.converted(id, classic_epoch, "classic", event_reason);
  return true;
}

bool ConsumerCoordinator::convert_empty_to_classic(const std::string& group_id) {
  auto g = groups_.find(group_id);
  if (g == groups_.end() || !g->second.members.empty()) return false;
  storage::WriteBatch batch;
  stage_removal(group_id, batch);
  if (store_.apply(batch)) return false;
  groups_.erase(g);
  persisted_.erase(group_id);
  spdlog::info("{}[GroupId {}] Converted the empty consumer group to a classic group.", log_prefix_, group_id);
  events_.converted(group_id, 0, "classic", "a member joined the empty group with the classic protocol");
  return true;
}

bool ConsumerCoordinator::migration_allows(const std::string& direction) const {
  const std::string policy = text::lower(config_.get_or("group.consumer.migration.policy", "bidirectional"));
  return policy == "bidirectional" || policy == direction;
}

wire::Bytes ConsumerCoordinator::assignment_bytes(const Assignment& assignment, int16_t version) const {
  protocol::ConsumerAssignment out;
  out.version = static_cast<int16_t>(std::clamp<int>(version, 0, 3));
  for (const auto& [topic, partitions] : assignment) {
    if (auto meta = topics_.by_id(topic)) {
      out.partitions.emplace_back(meta->name, std::vector<int32_t>(partitions.begin(), partitions.end()));
    }
  }
  return protocol::encode_consumer_assignment(out);
}

Assignment ConsumerCoordinator::by_topic_id(const protocol::TopicPartitionList& partitions) const {
  Assignment out;
  for (const auto& [topic, ps] : partitions) {
    if (auto meta = topics_.by_name(topic)) out[meta->id].insert(ps.begin(), ps.end());
  }
  return out;
}

ErrorCode ConsumerCoordinator::find_classic_member(const ConsumerGroup& group, const std::string& member_id,
                                                   const std::optional<std::string>& instance_id,
                                                   const ConsumerMember*& found) const {
  found = nullptr;
  if (instance_id) {
    const ConsumerMember* holder = group.find_static(*instance_id);
    if (!holder) return ErrorCode::UnknownMemberId;
    if (holder->id != member_id) return ErrorCode::FencedInstanceId;
    found = holder;
  } else {
    auto m = group.members.find(member_id);
    if (m == group.members.end()) return ErrorCode::UnknownMemberId;
    found = &m->second;
  }
  if (!found->classic) return ErrorCode::UnknownMemberId;  // "does not use the classic protocol"
  return ErrorCode::None;
}

JoinResult ConsumerCoordinator::classic_join(const JoinRequest& request) {
  ConsumerGroup& group = groups_.at(request.group_id);
  const bool unknown = request.member_id.empty();
  const std::string member_id = unknown ? new_member_id() : request.member_id;
  const auto max_size = config_.get_int("group.consumer.max.size", 2147483647);
  if (static_cast<int64_t>(group.members.size()) >= max_size && !group.members.count(member_id)) {
    return join_failure(ErrorCode::GroupMaxSizeReached);
  }
  // The member's protocols: of the consumer type, and at least one of them
  // one that every classic member already in the group supports.
  bool supported = request.protocol_type == "consumer" && !request.protocols.empty();
  if (supported) {
    supported = std::any_of(request.protocols.begin(), request.protocols.end(), [&](const auto& p) {
      return std::all_of(group.members.begin(), group.members.end(), [&](const auto& entry) {
        const auto& c = entry.second.classic;
        return !c || std::any_of(c->protocols.begin(), c->protocols.end(),
                                 [&](const auto& q) { return q.first == p.first; });
      });
    });
  }
  if (!supported) return join_failure(ErrorCode::InconsistentGroupProtocol);
  if (unknown && request.member_id_required && !request.instance_id) {
    spdlog::info("{}[GroupId {}] Dynamic member with unknown member id joins the consumer group. Created a new "
                 "member id {} and requesting the member to rejoin with this id.",
                 log_prefix_, group.id, member_id);
    return join_failure(ErrorCode::MemberIdRequired, member_id);
  }
  const auto subscription = protocol::decode_consumer_subscription(request.protocols.front().second);
  if (!subscription) {
    spdlog::error("{}[GroupId {}] Malformed embedded consumer protocol in subscription deserialization.",
                  log_prefix_, group.id);
    return join_failure(ErrorCode::UnknownServerError);
  }

  // The member: found or made (a static member's instance may pass to a new id).
  ConsumerMember found;
  found.id = member_id;
  std::optional<std::string> replacing;
  if (request.instance_id) {
    const std::string& instance = *request.instance_id;
    const ConsumerMember* holder = group.find_static(instance);
    if (unknown) {
      if (holder) {
        found = holder->replaced_by(member_id);
        replacing = holder->id;
        spdlog::info("{}[GroupId {}] Static member with instance id {} re-joins the consumer group using the "
                     "classic protocol. Created a new member {} to replace the existing member {}.",
                     log_prefix_, group.id, instance, member_id, holder->id);
      } else {
        spdlog::info("{}[GroupId {}] Static member {} with instance id {} joins the consumer group using the "
                     "classic protocol.",
                     log_prefix_, group.id, member_id, instance);
      }
    } else {
      if (!holder) return join_failure(ErrorCode::UnknownMemberId, member_id);
      if (holder->id != member_id) return join_failure(ErrorCode::FencedInstanceId, member_id);
      found = *holder;
    }
  } else {
    auto m = group.members.find(member_id);
    if (m != group.members.end()) found = m->second;
    spdlog::info("{}[GroupId {}] Member {} joins the consumer group using the classic protocol.", log_prefix_,
                 group.id, member_id);
  }

  // A static member replacing the group's only new-protocol member makes it
  // a classic group again (Kafka's online downgrade on replacement).
  const bool downgrading = replacing && downgrade_allowed(group, {*replacing}, /*joining=*/true);

  ConsumerMember updated = found;
  if (request.instance_id) updated.instance_id = request.instance_id;
  if (subscription->rack_id) updated.rack_id = subscription->rack_id;
  updated.rebalance_timeout_ms = request.rebalance_timeout_ms;
  updated.client_id = request.client_id;
  updated.client_host = request.client_host;
  updated.subscribed_topic_names = {subscription->topics.begin(), subscription->topics.end()};
  updated.server_assignor.reset();
  updated.classic = ClassicProtocols{request.session_timeout_ms, request.protocols};
  const bool is_new_member = !group.members.count(updated.id);
  std::string bump_reason;
  if (group.group_epoch == 0 || updated.subscribed_topic_names != found.subscribed_topic_names) {
    bump_reason = is_new_member ? "member " + updated.id + " joined" : "member " + updated.id + " changed its subscription";
  }

  ConsumerMember& member = group.install(std::move(updated), replacing);
  if (is_new_member) {
    events_.member_joined(group, member,
                          replacing ? "static member " + *request.instance_id + " came back, replacing " + *replacing
                                    : "joined with the classic protocol (JoinGroup)");
  }

  if (downgrading) {
    // With the same subscription the member takes its predecessor's place
    // and the classic group stays Stable; with another, it rebalances. The
    // group keeps its epoch (Kafka converts the group as it was before the
    // join's records).
    if (bump_reason.empty()) reconcile(group, member, by_topic_id(subscription->owned_partitions));
    const JoinResult out = joined(member);  // before the conversion takes the group away
    const std::string rebalance =
        bump_reason.empty() ? ""
                            : "Downgrade group " + group.id +
                                  " from consumer to classic for static member replacement with different subscription.";
    if (!downgrade(group, {}, &member_id, rebalance, "static member " + *request.instance_id +
                                                        " came back with the classic protocol: online downgrade")) {
      return join_failure(ErrorCode::NotCoordinator);
    }
    return out;
  }

  const auto metadata = subscribed_metadata(group);
  if (metadata != group.subscribed_metadata && bump_reason.empty()) {
    bump_reason = "the subscribed topics changed (topics or partitions)";
  }
  if (!bump_reason.empty()) {
    group.subscribed_metadata = metadata;
    bump_epoch(group, bump_reason);
  }
  if (group.group_epoch > group.assignment_epoch) compute_target(group);
  reconcile(group, member, by_topic_id(subscription->owned_partitions));
  if (!persist(group)) return join_failure(ErrorCode::NotCoordinator);

  if (member.join_timer) {
    member.join_timer->cancel();
    member.join_timer.reset();
  }
  schedule_session(group, member);
  if (!member.sync_timer) member.sync_timer = std::make_shared<GuardedTimer>(io_.get_executor());
  member.sync_timer->schedule(std::chrono::milliseconds(std::max(member.rebalance_timeout_ms, 0)),
                              [this, group_id = group.id, member_id] {
                                fence(group_id, member_id, "the member failed to sync within timeout");
                              });
  return joined(member);
}

SyncResult ConsumerCoordinator::classic_sync(const SyncRequest& request) {
  auto g = groups_.find(request.group_id);
  if (g == groups_.end() || g->second.members.empty()) return sync_failure(ErrorCode::UnknownMemberId);
  ConsumerGroup& group = g->second;
  const ConsumerMember* found = nullptr;
  if (auto error = find_classic_member(group, request.member_id, request.instance_id, found);
      error != ErrorCode::None) {
    return sync_failure(error);
  }
  ConsumerMember& member = group.members.at(found->id);
  if (request.generation != member.epoch) return sync_failure(ErrorCode::IllegalGeneration);
  if ((request.protocol_type && *request.protocol_type != "consumer") ||
      (request.protocol_name && *request.protocol_name != member.classic->protocols.front().first)) {
    return sync_failure(ErrorCode::InconsistentGroupProtocol);
  }
  if (group.group_epoch > member.epoch && member.state != MemberState::kUnrevokedPartitions) {
    spdlog::info("{}[GroupId {}] A new rebalance is triggered in group {} and member {} should rejoin to catch up.",
                 log_prefix_, group.id, group.id, member.id);
    schedule_classic_join(group, member);
    return sync_failure(ErrorCode::RebalanceInProgress);
  }
  if (member.sync_timer) member.sync_timer->cancel();
  schedule_session(group, member);
  const auto subscription = protocol::decode_consumer_subscription(member.classic->protocols.front().second);
  SyncResult out;
  out.protocol_type = request.protocol_type;
  out.protocol_name = request.protocol_name;
  out.assignment = assignment_bytes(member.assigned, subscription ? subscription->version : 0);
  return out;
}

ErrorCode ConsumerCoordinator::classic_heartbeat(const std::string& group_id, int32_t generation,
                                                 const std::string& member_id,
                                                 const std::optional<std::string>& instance_id) {
  auto g = groups_.find(group_id);
  if (g == groups_.end()) return ErrorCode::UnknownMemberId;
  ConsumerGroup& group = g->second;
  const ConsumerMember* found = nullptr;
  if (auto error = find_classic_member(group, member_id, instance_id, found); error != ErrorCode::None) return error;
  ConsumerMember& member = group.members.at(found->id);
  if (generation != member.epoch) return ErrorCode::IllegalGeneration;
  schedule_session(group, member);
  // Rejoin: a new epoch, partitions to give up, or partitions it waited for now free.
  bool rejoin = member.epoch < group.group_epoch || member.state == MemberState::kUnrevokedPartitions;
  if (!rejoin && member.state == MemberState::kUnreleasedPartitions) {
    rejoin = true;
    auto target = group.target.find(member.id);
    const Assignment none;
    for (const auto& [topic, partitions] : target == group.target.end() ? none : target->second) {
      for (int32_t p : partitions) {
        auto owned = member.assigned.find(topic);
        if ((owned == member.assigned.end() || !owned->second.count(p)) && group.partition_epoch(topic, p) != -1) {
          rejoin = false;
        }
      }
    }
  }
  if (!rejoin) return ErrorCode::None;
  schedule_classic_join(group, member);
  return ErrorCode::RebalanceInProgress;
}

void ConsumerCoordinator::schedule_classic_join(ConsumerGroup& group, ConsumerMember& member) {
  if (member.join_timer) return;  // already waiting for it
  member.join_timer = std::make_shared<GuardedTimer>(io_.get_executor());
  member.join_timer->schedule(std::chrono::milliseconds(std::max(member.rebalance_timeout_ms, 0)),
                              [this, group_id = group.id, member_id = member.id] {
                                fence(group_id, member_id,
                                      "the classic member failed to join within the rebalance timeout");
                              });
}

std::vector<ErrorCode> ConsumerCoordinator::classic_leave(
    const std::string& group_id, const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
    const std::string& reason) {
  std::vector<ErrorCode> out;
  auto g = groups_.find(group_id);
  if (g == groups_.end()) return std::vector<ErrorCode>(members.size(), ErrorCode::UnknownMemberId);
  ConsumerGroup& group = g->second;
  const std::string why = reason.empty() ? "not provided" : reason;
  std::vector<std::string> leaving;
  for (const auto& [member_id, instance_id] : members) {
    if (instance_id) {
      const ConsumerMember* holder = group.find_static(*instance_id);
      if (!holder) {
        out.push_back(ErrorCode::UnknownMemberId);
        continue;
      }
      if (!member_id.empty() && holder->id != member_id) {
        out.push_back(ErrorCode::FencedInstanceId);
        continue;
      }
      spdlog::info("{}[GroupId {}] Static member {} with instance id {} has left group through explicit "
                   "`LeaveGroup` request; client reason: {}",
                   log_prefix_, group.id, holder->id, *instance_id, why);
      leaving.push_back(holder->id);
    } else {
      if (!group.members.count(member_id)) {
        out.push_back(ErrorCode::UnknownMemberId);
        continue;
      }
      spdlog::info("{}[GroupId {}] Dynamic member {} has left group through explicit `LeaveGroup` request; client "
                   "reason: {}",
                   log_prefix_, group.id, member_id, why);
      leaving.push_back(member_id);
    }
    out.push_back(ErrorCode::None);
  }
  if (!leaving.empty()) {
    for (const auto& id : leaving) events_.member_left(group, id, "LeaveGroup; client reason: " + why);
    if (maybe_downgrade(group, {leaving.begin(), leaving.end()}, "member leaving")) return out;
    for (const auto& id : leaving) remove_member(group, id, "");
    bump_epoch(group, leaving.size() == 1 ? "member " + leaving.front() + " left"
                                          : std::to_string(leaving.size()) + " members left");
    (void)persist(group);  // a refusal stops the broker
  }
  return out;
}

}  // namespace kafkalite::broker::group
