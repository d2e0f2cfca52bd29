#include "broker/group/consumer_coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "broker/group/assignors.h"
#include "broker/group/reconciliation.h"
#include "broker/group/topic_regex.h"
#include "broker/storage/keys.h"
#include "common/clock.h"
#include "common/protocol/wire/random_uuid.h"
#include "common/text.h"

namespace kafkalite::broker::group {

namespace {

ConsumerHeartbeatResult failure(ErrorCode error, std::optional<std::string> message = std::nullopt) {
  ConsumerHeartbeatResult out;
  out.error = error;
  out.message = std::move(message);
  return out;
}

bool blank(const std::optional<std::string>& s) {
  return s && std::all_of(s->begin(), s->end(), [](unsigned char c) { return c <= ' '; });
}
bool blank(const std::string& s) { return blank(std::optional<std::string>(s)); }

// Kafka's request checks, in its order (throwIfConsumerGroupHeartbeatRequestIsInvalid).
std::optional<ConsumerHeartbeatResult> invalid(const ConsumerHeartbeat& r, const std::vector<std::string>& assignors) {
  auto bad = [](std::string message) { return failure(ErrorCode::InvalidRequest, std::move(message)); };
  if ((r.version >= 1 || r.member_epoch > 0 || r.member_epoch == -1) && blank(r.member_id)) {
    return bad("MemberId can't be empty.");
  }
  if (blank(r.group_id)) return bad("GroupId can't be empty.");
  if (blank(r.instance_id)) return bad("InstanceId can't be empty.");
  if (blank(r.rack_id)) return bad("RackId can't be empty.");
  if (r.member_epoch == 0) {
    if (r.rebalance_timeout_ms == -1) return bad("RebalanceTimeoutMs must be provided in first request.");
    if (!r.owned || !r.owned->empty()) return bad("TopicPartitions must be empty when (re-)joining.");
    if (!r.subscribed_topic_names && !r.subscribed_topic_regex) {
      return bad("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
    }
  } else if (r.member_epoch == -2) {
    if (!r.instance_id) return bad("InstanceId can't be null.");
  } else if (r.member_epoch < -2) {
    return bad("MemberEpoch is invalid.");
  }
  if (r.server_assignor && std::find(assignors.begin(), assignors.end(), *r.server_assignor) == assignors.end()) {
    return failure(ErrorCode::UnsupportedAssignor, "ServerAssignor " + *r.server_assignor +
                                                       " is not supported. Supported assignors: " +
                                                       text::join(assignors, ", ") + ".");
  }
  return std::nullopt;
}

bool subset(const Assignment& owned, const Assignment& of) {
  for (const auto& [topic, partitions] : owned) {
    auto t = of.find(topic);
    for (int32_t p : partitions) {
      if (t == of.end() || !t->second.count(p)) return false;
    }
  }
  return true;
}

}  // namespace

ConsumerCoordinator::ConsumerCoordinator(asio::io_context& io, const config::BrokerConfig& config,
                                         storage::KvStore& store, ClassicGroups classic, std::string log_prefix)
    : io_(io), config_(config), classic_(std::move(classic)), log_prefix_(std::move(log_prefix)), store_(store) {}

size_t ConsumerCoordinator::load() {
  const std::string prefix = storage::keys::consumer_group_prefix();
  store_.scan(prefix, storage::keys::after_prefix(prefix), [&](std::string_view key, std::string_view value) {
    const std::string id = storage::keys::group_id_of(key);
    ConsumerGroup loaded;
    loaded.id = id;
    if (!parse_consumer_group(value, loaded)) {
      spdlog::warn("{}Skipping consumer group {}: its record is in an unknown format", log_prefix_, id);
      return true;
    }
    ConsumerGroup& group = groups_[id] = std::move(loaded);
    persisted_[id] = std::string(value);
    for (auto& [member_id, m] : group.members) {
      schedule_session(group, m);
      if (m.state == MemberState::kUnrevokedPartitions) schedule_rebalance(group, m);
    }
    spdlog::info("{}Loaded consumer group {} with {} members.", log_prefix_, id, group.members.size());
    return true;
  });
  return groups_.size();
}

void ConsumerCoordinator::stage_removal(const std::string& group_id, storage::WriteBatch& batch) const {
  batch.remove(storage::keys::consumer_group(group_id));
}

bool ConsumerCoordinator::persist(const ConsumerGroup& group) {
  std::string record = serialize_consumer_group(group);
  auto& last = persisted_[group.id];
  if (record == last) return true;
  storage::WriteBatch batch;
  batch.put(storage::keys::consumer_group(group.id), record);
  if (store_.apply(batch)) return false;
  last = std::move(record);
  return true;
}

std::string ConsumerCoordinator::new_member_id() {
  static std::mt19937_64 random{std::random_device{}()};
  return wire::random_uuid(random).to_base64();
}

std::vector<std::string> ConsumerCoordinator::assignors() const {
  std::vector<std::string> out;
  std::stringstream list(config_.get_or("group.consumer.assignors", "uniform,range"));
  for (std::string name; std::getline(list, name, ',');) {
    std::string trimmed = text::trim(name);
    if (trimmed.empty()) continue;
    // Kafka names a built-in assignor by its class too.
    if (trimmed == "org.apache.kafka.coordinator.group.assignor.UniformAssignor") trimmed = "uniform";
    if (trimmed == "org.apache.kafka.coordinator.group.assignor.RangeAssignor") trimmed = "range";
    out.push_back(trimmed);
  }
  if (out.empty()) out = {"uniform", "range"};
  return out;
}

std::string ConsumerCoordinator::assignor_of(const ConsumerGroup& group) const {
  std::map<std::string, int> votes;
  for (const auto& [id, m] : group.members) {
    if (m.server_assignor) ++votes[*m.server_assignor];
  }
  std::string best;
  int most = 0;
  for (const auto& [name, count] : votes) {
    if (count > most) best = name, most = count;
  }
  return most > 0 ? best : assignors().front();
}

int32_t ConsumerCoordinator::heartbeat_interval_ms() const {
  return static_cast<int32_t>(config_.get_int("group.consumer.heartbeat.interval.ms", 5000));
}

const ConsumerGroup* ConsumerCoordinator::find(const std::string& group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : &it->second;
}

bool ConsumerCoordinator::erase_if_empty(const std::string& group_id) {
  auto it = groups_.find(group_id);
  if (it == groups_.end() || !it->second.members.empty()) return false;
  groups_.erase(it);
  persisted_.erase(group_id);
  return true;
}

void ConsumerCoordinator::shutdown() {
  for (auto& [id, group] : groups_) {
    for (auto& [mid, m] : group.members) {
      m.cancel_timers();
    }
  }
}

GroupEvents::NamedPartitions ConsumerCoordinator::named(const Assignment& assignment) const {
  GroupEvents::NamedPartitions out;
  for (const auto& [topic, partitions] : assignment) {
    auto meta = topics_.by_id(topic);
    const std::string name = meta ? meta->name : topic.to_base64();
    for (int32_t p : partitions) out.emplace_back(name, p);
  }
  return out;
}

std::string ConsumerCoordinator::describe(const Assignment& assignment) const {
  std::vector<std::string> parts;
  for (const auto& [topic, partition] : named(assignment)) parts.push_back(topic + "-" + std::to_string(partition));
  return "[" + text::join(parts, ", ") + "]";
}

ConsumerHeartbeatResult ConsumerCoordinator::heartbeat(const ConsumerHeartbeat& request) {
  if (auto error = invalid(request, assignors())) return *error;
  if (request.member_epoch == -1 || request.member_epoch == -2) return leave(request);
  return join_or_heartbeat(request);
}

std::map<std::string, int32_t> ConsumerCoordinator::subscribed_metadata(const ConsumerGroup& group) const {
  std::map<std::string, int32_t> out;
  for (const auto& [name, count] : group.subscribed_topic_names()) {
    if (auto meta = topics_.by_name(name)) out[name] = meta->partitions;
  }
  return out;
}

void ConsumerCoordinator::bump_epoch(ConsumerGroup& group, const std::string& reason) {
  ++group.group_epoch;
  spdlog::info("{}[GroupId {}] Bumped group epoch to {}.", log_prefix_, group.id, group.group_epoch);
  events_.epoch_bumped(group, reason);
}

ConsumerHeartbeatResult ConsumerCoordinator::join_or_heartbeat(const ConsumerHeartbeat& request) {
  const bool joining = request.member_epoch == 0;
  // A new group (or one taking over an empty classic group) is made only
  // once the request has passed every check: a refused join leaves nothing.
  ConsumerGroup fresh;  // what the checks see of a group not made yet
  bool converts_classic = false;
  auto it = groups_.find(request.group_id);
  const bool is_new = it == groups_.end();
  if (is_new) {
    fresh.id = request.group_id;
    if (const ClassicGroup* classic = classic_.find(request.group_id)) {
      if (!joining) {
        return failure(ErrorCode::GroupIdNotFound, "Group " + request.group_id + " is not a consumer group.");
      }
      // An empty classic group is taken over; one with members, converted
      // with them (an online upgrade) where Kafka allows it.
      if (!classic->is(GroupState::kEmpty)) {
        if (auto refused = upgrade(*classic, fresh)) return *refused;
      }
      converts_classic = true;
    } else if (!joining) {
      return failure(ErrorCode::GroupIdNotFound, "Consumer group " + request.group_id + " not found.");
    }
  }
  const ConsumerGroup& group = is_new ? fresh : it->second;

  const auto max_size = config_.get_int("group.consumer.max.size", 2147483647);
  if (static_cast<int64_t>(group.members.size()) >= max_size &&
      (request.member_id.empty() || !group.members.count(request.member_id))) {
    return failure(ErrorCode::GroupMaxSizeReached, "The consumer group has reached its maximum capacity of " +
                                                       std::to_string(max_size) + " members.");
  }
  const std::string member_id = request.member_id.empty() ? new_member_id() : request.member_id;

  // The member as the group knows it (or a new one), fenced by epoch.
  ConsumerMember found;
  found.id = member_id;
  std::optional<std::string> replacing;  // a static member's earlier id
  if (!request.instance_id) {
    auto m = group.members.find(member_id);
    if (m != group.members.end()) {
      found = m->second;
    } else if (!joining) {
      return failure(ErrorCode::UnknownMemberId,
                     "Member " + member_id + " is not a member of group " + group.id + ".");
    }
  } else {
    const std::string& instance = *request.instance_id;
    const ConsumerMember* holder = group.find_static(instance);
    if (joining) {
      if (holder) {
        if (holder->epoch != -2) {
          spdlog::info("{}[GroupId {}] Static member {} with instance id {} cannot join the group because the "
                       "instance id is owned by member {}.",
                       log_prefix_, group.id, member_id, instance, holder->id);
          return failure(ErrorCode::UnreleasedInstanceId,
                         "Static member " + member_id + " with instance id " + instance +
                             " cannot join the group because the instance id is owned by " + holder->id +
                             " member.");
        }
        found = holder->replaced_by(member_id);
        replacing = holder->id;
      }
    } else {
      if (!holder) return failure(ErrorCode::UnknownMemberId, "Instance id " + instance + " is unknown.");
      if (holder->id != member_id) {
        spdlog::info("{}[GroupId {}] Static member {} with instance id {} is fenced by existing member {}.",
                     log_prefix_, group.id, member_id, instance, holder->id);
        return failure(ErrorCode::FencedInstanceId, "Static member " + member_id + " with instance id " +
                                                        instance + " was fenced by member " + holder->id + ".");
      }
      found = *holder;
    }
  }
  if (!replacing) {
    const int32_t received = request.member_epoch;
    if (received > found.epoch) {
      return failure(ErrorCode::FencedMemberEpoch,
                     "The consumer group member has a greater member epoch (" + std::to_string(received) +
                         ") than the one known by the group coordinator (" + std::to_string(found.epoch) +
                         "). The member must abandon all its partitions and rejoin.");
    }
    if (received < found.epoch &&
        !(received == found.previous_epoch && request.owned && subset(*request.owned, found.assigned))) {
      return failure(ErrorCode::FencedMemberEpoch,
                     "The consumer group member has a smaller member epoch (" + std::to_string(received) +
                         ") than the one known by the group coordinator (" + std::to_string(found.epoch) +
                         "). The member must abandon all its partitions and rejoin.");
    }
  }
  if (joining && !replacing) {
    if (request.instance_id) {
      spdlog::info("{}[GroupId {}] Static member {} with instance id {} joins the consumer group using the "
                   "consumer protocol.",
                   log_prefix_, group.id, member_id, *request.instance_id);
    } else {
      spdlog::info("{}[GroupId {}] Member {} joins the consumer group using the consumer protocol.", log_prefix_,
                   group.id, member_id);
    }
  }

  // The member as this request updates it. A new group, or other topic
  // names, make a new epoch (a member's rack, assignor or client alone does not).
  std::string bump_reason;
  if (group.group_epoch == 0) bump_reason = "member " + member_id + " joined a new group";
  ConsumerMember updated = found;
  if (request.instance_id) updated.instance_id = request.instance_id;
  if (request.rack_id) updated.rack_id = request.rack_id;
  if (request.server_assignor) updated.server_assignor = request.server_assignor;
  if (request.subscribed_topic_names) {
    updated.subscribed_topic_names = {request.subscribed_topic_names->begin(), request.subscribed_topic_names->end()};
  }
  if (request.subscribed_topic_regex && *request.subscribed_topic_regex != found.subscribed_topic_regex) {
    const std::string& regex = *request.subscribed_topic_regex;
    const bool in_use = std::any_of(group.members.begin(), group.members.end(),
                                    [&](const auto& m) { return m.second.subscribed_topic_regex == regex; });
    if (!regex.empty() && !in_use) {
      if (auto problem = regex_problem(regex)) {
        return failure(ErrorCode::InvalidRegularExpression,
                       "SubscribedTopicRegex `" + regex + "` is not a valid regular expression: " + *problem + ".");
      }
    } else if (!regex.empty() && group.resolved_regexes.count(regex) && bump_reason.empty()) {
      // A regex already resolved: its topics count now.
      bump_reason = "member " + member_id + " subscribed to regular expression " + regex;
    }
    updated.subscribed_topic_regex = regex;
  }
  if (request.rebalance_timeout_ms != -1) updated.rebalance_timeout_ms = request.rebalance_timeout_ms;
  updated.client_id = request.client_id;
  updated.client_host = request.client_host;
  updated.classic.reset();  // a classic member heartbeating this way now speaks the new protocol
  if (bump_reason.empty() && updated.subscribed_topic_names != found.subscribed_topic_names) {
    bump_reason = joining && !replacing ? "member " + member_id + " joined"
                                        : "member " + member_id + " changed its subscription";
  }
  return apply_heartbeat(is_new, converts_classic ? &fresh : nullptr, request, std::move(updated), replacing,
                         std::move(bump_reason));
}

ConsumerHeartbeatResult ConsumerCoordinator::apply_heartbeat(bool is_new, ConsumerGroup* converted,
                                                             const ConsumerHeartbeat& request, ConsumerMember updated,
                                                             const std::optional<std::string>& replacing,
                                                             std::string bump_reason) {
  const bool joining = request.member_epoch == 0;
  const std::string member_id = updated.id;
  if (converted) {
    const bool had_members = !converted->members.empty();
    classic_.drop(request.group_id);
    groups_[request.group_id] = std::move(*converted);
    ConsumerGroup& made = groups_[request.group_id];
    for (auto& [id, m] : made.members) schedule_session(made, m);
    spdlog::info("{}[GroupId {}] Converted the {}classic group to a consumer group.", log_prefix_, request.group_id,
                 had_members ? "" : "empty ");
    events_.converted(request.group_id, made.group_epoch, "consumer",
                      had_members ? "member " + member_id + " joined with the consumer protocol: online upgrade"
                                  : "member " + member_id + " joined the empty classic group with the consumer protocol");
  }
  ConsumerGroup& group = groups_[request.group_id];
  if (is_new) group.id = request.group_id;
  if (replacing) {
    spdlog::info("{}[GroupId {}] Static member with instance id {} re-joins the consumer group using the consumer "
                 "protocol. Created a new member {} to replace the existing member {}.",
                 log_prefix_, group.id, *request.instance_id, member_id, *replacing);
  }
  ConsumerMember& member = group.install(std::move(updated), replacing);
  if (joining) {
    events_.member_joined(group, member,
                          replacing ? "static member " + *request.instance_id + " came back, replacing " + *replacing
                                    : "joined with the consumer protocol");
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

  const Assignment before = member.assigned;
  reconcile(group, member, request.owned);
  schedule_session(group, member);

  if (regexes_due(group)) {
    asio::post(io_, [this, group_id = group.id, filter = request.may_describe] { resolve_regexes(group_id, filter); });
  }

  if (!persist(group)) return failure(ErrorCode::NotCoordinator);

  ConsumerHeartbeatResult out;
  out.member_id = member_id;
  out.member_epoch = member.epoch;
  out.heartbeat_interval_ms = heartbeat_interval_ms();
  const bool full = request.rebalance_timeout_ms != -1 &&
                    (request.subscribed_topic_names || request.subscribed_topic_regex) && request.owned;
  if (joining || full || member.assigned != before) out.assignment = member.assigned;
  return out;
}

bool ConsumerCoordinator::regexes_due(const ConsumerGroup& group) const {
  std::set<std::string> regexes;
  for (const auto& [id, m] : group.members) {
    if (!m.subscribed_topic_regex.empty()) regexes.insert(m.subscribed_topic_regex);
  }
  if (regexes.empty()) return false;
  const int64_t since = now_ms() - group.regexes_resolved_ms;
  if (group.regexes_resolved_ms >= 0 && since <= 10000) return false;
  const bool unresolved = std::any_of(regexes.begin(), regexes.end(),
                                      [&](const std::string& r) { return !group.resolved_regexes.count(r); });
  const bool new_topics = topics_.creations && topics_.creations() != group.regexes_resolved_creations;
  const bool stale = since > config_.get_int("group.consumer.regex.refresh.interval.ms", 600000);
  return unresolved || new_topics || stale;
}

void ConsumerCoordinator::resolve_regexes(const std::string& group_id,
                                          const std::function<bool(const std::string&)>& may_describe) {
  auto g = groups_.find(group_id);
  if (g == groups_.end()) return;
  ConsumerGroup& group = g->second;
  std::map<std::string, std::set<std::string>> resolved;
  for (const auto& [id, m] : group.members) {
    if (!m.subscribed_topic_regex.empty()) resolved[m.subscribed_topic_regex];
  }
  const auto started = std::chrono::steady_clock::now();
  const std::vector<std::string> names = topics_.names();
  for (auto& [regex, topics] : resolved) {
    std::string problem;
    topics = topics_matching(regex, names, &problem);
    if (!problem.empty()) {
      spdlog::error("{}[GroupId {}] Couldn't parse regular expression '{}' due to `{}`. Ignoring it.", log_prefix_,
                    group.id, regex, problem);
    }
    if (may_describe) std::erase_if(topics, [&](const std::string& topic) { return !may_describe(topic); });
  }
  std::vector<std::string> listed;
  for (const auto& [regex, topics] : resolved) listed.push_back(regex);
  spdlog::info("{}[GroupId {}] Scanned {} topics to refresh regular expressions [{}] in {}ms.", log_prefix_,
               group.id, names.size(), text::join(listed, ", "),
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                   .count());
  group.regexes_resolved_ms = now_ms();
  if (topics_.creations) group.regexes_resolved_creations = topics_.creations();
  // A new epoch only when some expression now matches other topics than it
  // did (one not resolved before matched none).
  const bool changed = std::any_of(resolved.begin(), resolved.end(), [&](const auto& r) {
    auto before = group.resolved_regexes.find(r.first);
    return before == group.resolved_regexes.end() ? !r.second.empty() : before->second != r.second;
  });
  if (resolved == group.resolved_regexes) return;
  group.resolved_regexes = std::move(resolved);
  if (!changed) {
    (void)persist(group);
    return;
  }
  group.subscribed_metadata = subscribed_metadata(group);
  bump_epoch(group, "the regular expressions now match other topics");
  (void)persist(group);  // a refusal stops the broker
}

void ConsumerCoordinator::compute_target(ConsumerGroup& group) {
  const std::string assignor = assignor_of(group);
  AssignmentSpec spec;
  for (const auto& [id, m] : group.members) {
    MemberSpec& s = spec.members.emplace_back();
    s.member_id = id;
    s.instance_id = m.instance_id;
    s.rack_id = m.rack_id;
    for (const auto& name : group.topics_of(m)) {
      if (auto meta = topics_.by_name(name)) s.subscribed.insert(meta->id);
    }
    auto t = group.target.find(id);
    if (t != group.target.end()) s.current = t->second;
  }
  for (const auto& [name, count] : group.subscribed_metadata) {
    if (auto meta = topics_.by_name(name)) spec.topics[meta->id] = {meta->name, count};
  }
  auto target = assignor == "range" ? assign_range(spec) : assign_uniform(spec);
  group.target.clear();
  for (const auto& [id, m] : group.members) group.target[id] = target[id];
  group.assignment_epoch = group.group_epoch;
  spdlog::info("{}[GroupId {}] Computed a new target assignment for epoch {} with '{}' assignor.", log_prefix_,
               group.id, group.assignment_epoch, assignor);
  for (const auto& [id, a] : group.target) {
    spdlog::info("{}[GroupId {}] Member {} target assignment: {}.", log_prefix_, group.id, id, describe(a));
  }
  if (events_.attached()) {
    std::vector<std::pair<const ConsumerMember*, GroupEvents::NamedPartitions>> targets;
    for (const auto& [id, a] : group.target) targets.emplace_back(&group.members.at(id), named(a));
    events_.target_assigned(group, assignor, targets);
  }
}

void ConsumerCoordinator::reconcile(ConsumerGroup& group, ConsumerMember& member,
                                    const std::optional<Assignment>& owned) {
  if (member.reconciled_to(group.assignment_epoch)) return;
  const ConsumerMember before = member;
  ConsumerMember next = next_assignment(member, group.assignment_epoch, group.target[member.id], owned,
                                        [&](const wire::Uuid& t, int32_t p) { return group.partition_epoch(t, p); });
  group.update_partition_epochs(&member, nullptr);
  member.epoch = next.epoch;
  member.previous_epoch = next.previous_epoch;
  member.state = next.state;
  member.assigned = std::move(next.assigned);
  member.pending_revocation = std::move(next.pending_revocation);
  group.update_partition_epochs(nullptr, &member);
  if (member.epoch != before.epoch || member.state != before.state || member.assigned != before.assigned ||
      member.pending_revocation != before.pending_revocation) {
    spdlog::info("{}[GroupId {}] Member {} new assignment state: epoch={}, previousEpoch={}, state={}, "
                 "assignedPartitions={} and revokedPartitions={}.",
                 log_prefix_, group.id, member.id, member.epoch, member.previous_epoch,
                 member_state_name(member.state), describe(member.assigned), describe(member.pending_revocation));
    if (events_.attached()) {
      events_.member_reconciled(group, member, named(member.assigned), named(member.pending_revocation));
    }
  }
  // A classic member revokes by rejoining: its deadline is its join timer.
  if (member.state == MemberState::kUnrevokedPartitions && !member.classic) {
    schedule_rebalance(group, member);
  } else if (member.rebalance_timer) {
    member.rebalance_timer->cancel();
  }
}

void ConsumerCoordinator::schedule_session(ConsumerGroup& group, ConsumerMember& member) {
  if (!member.session_timer) member.session_timer = std::make_shared<GuardedTimer>(io_.get_executor());
  const auto timeout = member.classic ? member.classic->session_timeout_ms
                                     : config_.get_int("group.consumer.session.timeout.ms", 45000);
  member.session_timer->schedule(std::chrono::milliseconds(timeout),
                                 [this, group_id = group.id, member_id = member.id] {
                                   fence(group_id, member_id, "the member session expired");
                                 });
}

void ConsumerCoordinator::schedule_rebalance(ConsumerGroup& group, ConsumerMember& member) {
  if (!member.rebalance_timer) member.rebalance_timer = std::make_shared<GuardedTimer>(io_.get_executor());
  const int32_t epoch = member.epoch;
  const int32_t timeout = std::max(member.rebalance_timeout_ms, 0);
  member.rebalance_timer->schedule(
      std::chrono::milliseconds(timeout), [this, group_id = group.id, member_id = member.id, epoch, timeout] {
        auto g = groups_.find(group_id);
        if (g == groups_.end()) return;
        auto m = g->second.members.find(member_id);
        if (m == g->second.members.end() || m->second.epoch != epoch) return;
        fence(group_id, member_id,
              "it failed to transition from epoch " + std::to_string(epoch) + " within " + std::to_string(timeout) +
                  "ms");
      });
}

void ConsumerCoordinator::fence(const std::string& group_id, const std::string& member_id,
                                const std::string& reason) {
  auto g = groups_.find(group_id);
  if (g == groups_.end() || !g->second.members.count(member_id)) return;
  spdlog::info("{}[GroupId {}] Member {} fenced from the group because {}.", log_prefix_, group_id, member_id,
               reason);
  events_.member_fenced(g->second, member_id, reason);
  if (maybe_downgrade(g->second, {member_id}, "member leaving")) return;
  remove_member(g->second, member_id, "member " + member_id + " was fenced");
  (void)persist(g->second);  // a refusal stops the broker
}

void ConsumerCoordinator::remove_member(ConsumerGroup& group, const std::string& member_id,
                                        const std::string& bump_reason) {
  auto m = group.members.find(member_id);
  if (m == group.members.end()) return;
  m->second.cancel_timers();
  group.update_partition_epochs(&m->second, nullptr);
  if (m->second.instance_id) group.static_members.erase(*m->second.instance_id);
  group.members.erase(m);
  group.target.erase(member_id);
  group.subscribed_metadata = subscribed_metadata(group);
  if (!bump_reason.empty()) bump_epoch(group, bump_reason);
}

ConsumerHeartbeatResult ConsumerCoordinator::leave(const ConsumerHeartbeat& request) {
  auto g = groups_.find(request.group_id);
  if (g == groups_.end()) {
    if (classic_.find(request.group_id)) {
      return failure(ErrorCode::GroupIdNotFound, "Group " + request.group_id + " is not a consumer group.");
    }
    return failure(ErrorCode::GroupIdNotFound, "Group " + request.group_id + " not found.");
  }
  ConsumerGroup& group = g->second;
  ConsumerHeartbeatResult out;
  out.member_id = request.member_id;
  out.member_epoch = request.member_epoch;
  if (!request.instance_id) {
    if (!group.members.count(request.member_id)) {
      return failure(ErrorCode::UnknownMemberId,
                     "Member " + request.member_id + " is not a member of group " + group.id + ".");
    }
    spdlog::info("{}[GroupId {}] Member {} left the consumer group.", log_prefix_, group.id, request.member_id);
    events_.member_left(group, request.member_id, "left the group (member epoch -1)");
    if (maybe_downgrade(group, {request.member_id}, "member leaving")) return out;
    remove_member(group, request.member_id, "member " + request.member_id + " left");
    if (!persist(group)) return failure(ErrorCode::NotCoordinator);
    return out;
  }
  const std::string& instance = *request.instance_id;
  const ConsumerMember* holder = group.find_static(instance);
  if (!holder) return failure(ErrorCode::UnknownMemberId, "Instance id " + instance + " is unknown.");
  if (holder->id != request.member_id) {
    return failure(ErrorCode::FencedInstanceId, "Static member " + request.member_id + " with instance id " +
                                                    instance + " was fenced by member " + holder->id + ".");
  }
  if (request.member_epoch == -2) {
    spdlog::info("{}[GroupId {}] Static member {} with instance id {} temporarily left the consumer group.",
                 log_prefix_, group.id, holder->id, instance);
    ConsumerMember& member = group.members.at(holder->id);
    group.update_partition_epochs(&member, nullptr);
    member.epoch = -2;
    member.pending_revocation.clear();
    group.update_partition_epochs(nullptr, &member);
    events_.member_left(group, member.id,
                        "static member " + instance + " left for now (member epoch -2): its partitions wait for it");
    out.member_id = member.id;
    if (!persist(group)) return failure(ErrorCode::NotCoordinator);
    return out;
  }
  spdlog::info("{}[GroupId {}] Static member {} with instance id {} left the consumer group.", log_prefix_, group.id,
               holder->id, instance);
  const std::string leaving = holder->id;
  events_.member_left(group, leaving, "static member " + instance + " left the group (member epoch -1)");
  if (maybe_downgrade(group, {leaving}, "member leaving")) return out;
  remove_member(group, leaving, "member " + leaving + " left");
  if (!persist(group)) return failure(ErrorCode::NotCoordinator);
  return out;
}

ErrorCode ConsumerCoordinator::validate_commit(const std::string& group_id, const std::string& member_id,
                                               int32_t epoch, const std::optional<std::string>& instance_id,
                                               int16_t version, bool transactional) const {
  const ConsumerGroup* group = find(group_id);
  if (!group) return ErrorCode::GroupIdNotFound;
  // An admin's commit (epoch -1) is taken only from an empty group; a
  // producer's offsets carrying no member at all, from any group.
  if (epoch < 0 && group->members.empty()) return ErrorCode::None;
  if (transactional && epoch == -1 && member_id.empty() && !instance_id) return ErrorCode::None;
  auto m = group->members.find(member_id);
  if (m == group->members.end()) return ErrorCode::UnknownMemberId;
  const bool classic = m->second.classic.has_value();
  if (!classic && !transactional && version < 9) return ErrorCode::UnsupportedVersion;
  if (epoch != m->second.epoch) {
    return classic || transactional ? ErrorCode::IllegalGeneration : ErrorCode::StaleMemberEpoch;
  }
  return ErrorCode::None;
}

}  // namespace kafkalite::broker::group
