#include "broker/group/group_coordinator.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/clock.h"

namespace kafkalite::broker::group {

GroupCoordinator::GroupCoordinator(asio::io_context& io, const config::BrokerConfig& config,
                                   storage::KvStore& store)
    : io_(io),
      config_(config),
      store_(store),
      log_prefix_("[GroupCoordinator id=" + std::to_string(config.node_id()) + "] "),
      offsets_(store, offsets_topic_, [this] { return now_ms(); }) {
  classic_ = std::make_unique<ClassicCoordinator>(io_, config_, store_, offsets_topic_, [this] { return now_ms(); },
                                                  log_prefix_);
  ConsumerCoordinator::ClassicGroups classic_groups{
      [this](const std::string& id) -> const ClassicGroup* { return classic_->find(id); },
      [this](const std::string& id) {
        classic_->release(id, ErrorCode::RebalanceInProgress);
        // The group's record goes; its committed offsets stay, now the
        // consumer group's.
        storage::WriteBatch batch;
        OffsetsRecords records(&offsets_topic_);
        classic_->stage_removal(id, batch, records);
        records.stage(batch, now_ms());
        if (store_.apply(batch)) return;
        records.apply();
        classic_->forget(id);
      },
      [this](ClassicGroup group, storage::WriteBatch batch, const std::string& reason) {
        return classic_->adopt(std::move(group), std::move(batch), reason);
      }};
  consumer_ = std::make_unique<ConsumerCoordinator>(io_, config_, store_, std::move(classic_groups), log_prefix_);
  retention_timer_ = std::make_unique<asio::steady_timer>(io_);
  asio::co_spawn(io_, retention_loop(), asio::detached);
}

GroupCoordinator::~GroupCoordinator() = default;

int64_t GroupCoordinator::now_ms() const { return clock_ ? clock_() : kafkalite::now_ms(); }

asio::awaitable<JoinResult> GroupCoordinator::join(JoinRequest request) {
  if (const ConsumerGroup* group = consumer_->find(request.group_id)) {
    if (!group->members.empty()) {
      if (!classic_->session_timeout_allowed(request.session_timeout_ms)) {
        JoinResult refused;
        refused.error = ErrorCode::InvalidSessionTimeout;
        refused.member_id = request.member_id;
        co_return refused;
      }
      co_return consumer_->classic_join(request);
    }
    consumer_->convert_empty_to_classic(request.group_id);
  }
  co_return co_await classic_->join(std::move(request));
}

asio::awaitable<SyncResult> GroupCoordinator::sync(SyncRequest request) {
  if (consumer_->find(request.group_id)) co_return consumer_->classic_sync(request);
  co_return co_await classic_->sync(std::move(request));
}

ErrorCode GroupCoordinator::heartbeat(const protocol::GroupId& group_id, int32_t generation,
                                      const std::string& member_id, const std::optional<std::string>& instance_id) {
  if (consumer_->find(group_id.value())) {
    return consumer_->classic_heartbeat(group_id.value(), generation, member_id, instance_id);
  }
  return classic_->heartbeat(group_id.value(), generation, member_id, instance_id);
}

std::vector<ErrorCode> GroupCoordinator::leave(
    const protocol::GroupId& group_id, const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
    const std::string& reason) {
  if (consumer_->find(group_id.value())) return consumer_->classic_leave(group_id.value(), members, reason);
  return classic_->leave(group_id.value(), members, reason);
}

void GroupCoordinator::attach_topics(TopicLookup topics) { consumer_->attach_topics(std::move(topics)); }

void GroupCoordinator::load() {
  const size_t with_members = classic_->load();
  consumer_->load();
  // Offsets of a group with no record of its own (a simple group made by
  // commits) bring the group back too.
  const size_t count = offsets_.load([&](const std::string& group_id) {
    if (!consumer_->find(group_id)) classic_->get_or_create(group_id);
  });
  if (!classic_->groups().empty()) {
    spdlog::info("{}Loaded {} group(s), {} of them with members (their sessions run again from now), and {} "
                 "committed offset(s)",
                 log_prefix_, classic_->groups().size(), with_members, count);
  }
}

void GroupCoordinator::shutdown() {
  stopping_ = true;
  retention_timer_->cancel();
  classic_->shutdown();
  consumer_->shutdown();
}

ErrorCode GroupCoordinator::validate_offset_delete(const protocol::GroupId& group_id) const {
  if (group_id.value().empty()) return ErrorCode::InvalidGroupId;
  const ClassicGroup* group = classic_->find(group_id.value());
  if (!group) return ErrorCode::GroupIdNotFound;
  if (!group->is(GroupState::kEmpty) && group->protocol_type != "consumer") return ErrorCode::NonEmptyGroup;
  return ErrorCode::None;
}

bool GroupCoordinator::subscribed_to(const protocol::GroupId& group_id, const std::string& topic) const {
  const ClassicGroup* group = classic_->find(group_id.value());
  if (!group || group->is(GroupState::kEmpty) || group->protocol_type != "consumer") return false;
  auto topics = group->subscribed_topics();
  // Subscriptions it cannot read: Kafka then treats the group as subscribed.
  return !topics || std::find(topics->begin(), topics->end(), topic) != topics->end();
}

void GroupCoordinator::forget_topic(const std::string& topic) {
  const size_t removed = offsets_.forget_topic(topic);
  if (removed > 0) {
    spdlog::info("{}Removed {} committed offset(s) of deleted topic {}", log_prefix_, removed, topic);
  }
}

std::optional<GroupDescription> GroupCoordinator::describe(const protocol::GroupId& group_id) const {
  const ClassicGroup* group = classic_->find(group_id.value());
  if (!group) return std::nullopt;
  GroupDescription d;
  d.state = state_name(group->state);
  d.protocol_type = group->protocol_type.value_or("");
  const bool stable = group->is(GroupState::kStable);
  if (stable) d.protocol_data = group->protocol_name.value_or("");
  for (const auto& [id, m] : group->members) {
    const wire::Bytes* metadata = stable && group->protocol_name ? m.metadata_for(*group->protocol_name) : nullptr;
    d.members.push_back({id, m.instance_id, m.client_id, m.client_host, metadata ? *metadata : wire::Bytes{},
                         m.assignment});
  }
  return d;
}

std::vector<GroupListing> GroupCoordinator::list() const {
  std::vector<GroupListing> out;
  for (const auto& [id, g] : classic_->groups()) {
    out.push_back({id, g.protocol_type.value_or(""), state_name(g.state), "classic"});
  }
  for (const auto& [id, g] : consumer_->groups()) {
    out.push_back({id, "consumer", consumer_group_state_name(g.state()), "consumer"});
  }
  return out;
}

ErrorCode GroupCoordinator::delete_group(const protocol::GroupId& group_id) {
  if (const ConsumerGroup* consumer = consumer_->find(group_id.value())) {
    if (!consumer->members.empty()) return ErrorCode::NonEmptyGroup;
    return erase_group(group_id.value(), true) ? ErrorCode::None : ErrorCode::NotCoordinator;
  }
  const ClassicGroup* group = classic_->find(group_id.value());
  if (!group) return ErrorCode::GroupIdNotFound;
  if (!group->is(GroupState::kEmpty)) return ErrorCode::NonEmptyGroup;
  // Kafka's coordinator answers a failed write of its records NOT_COORDINATOR.
  return erase_group(group_id.value(), true) ? ErrorCode::None : ErrorCode::NotCoordinator;
}

bool GroupCoordinator::erase_group(const std::string& group_id, bool log) {
  // Kafka's order: the offsets' tombstones, then the group's.
  storage::WriteBatch batch;
  OffsetsRecords records(&offsets_topic_);
  const size_t removed = offsets_.stage_group_removal(group_id, batch, records);
  if (consumer_->find(group_id)) {
    consumer_->stage_removal(group_id, batch);
  } else {
    classic_->stage_removal(group_id, batch, records);
  }
  records.stage(batch, now_ms());
  if (store_.apply(batch)) return false;
  records.apply();
  offsets_.forget_group(group_id);
  classic_->forget(group_id);
  consumer_->erase_if_empty(group_id);
  if (log) {
    spdlog::info("{}The following groups were deleted: {}. A total of {} offsets were removed.", log_prefix_,
                 group_id, removed);
  }
  return true;
}

// Kafka's offsetExpirationCondition: an Empty group's offsets expire counted
// from when it became Empty; a simple group's (no protocol) from each commit;
// a Stable "consumer" group's only for topics it no longer subscribes to,
// from each commit; any other group's not at all.
ExpiryRule GroupCoordinator::expiry_rule(const ClassicGroup& group) const {
  ExpiryRule rule;
  if (!group.protocol_type) {
    rule.scope = ExpiryRule::Scope::kAll;
  } else if (group.is(GroupState::kEmpty)) {
    rule.scope = ExpiryRule::Scope::kAll;
    if (group.state_timestamp_ms >= 0) rule.base_timestamp_ms = group.state_timestamp_ms;
  } else if (group.is(GroupState::kStable) && group.protocol_type == "consumer") {
    if (auto topics = group.subscribed_topics()) {
      rule.scope = ExpiryRule::Scope::kUnsubscribed;
      rule.subscribed = [topics = std::move(*topics)](const std::string& topic) {
        return std::find(topics.begin(), topics.end(), topic) != topics.end();
      };
    }
  }
  return rule;
}

// A consumer group's (KIP-848) offsets expire counted from each commit,
// only for topics none of its members subscribes to (by name or regex).
ExpiryRule GroupCoordinator::expiry_rule(const ConsumerGroup& group) const {
  ExpiryRule rule;
  rule.scope = ExpiryRule::Scope::kUnsubscribed;
  rule.subscribed = [topics = group.subscribed_topic_names()](const std::string& topic) {
    return topics.count(topic) > 0;
  };
  return rule;
}

void GroupCoordinator::expire_offsets() {
  const int64_t now = now_ms();
  const int64_t retention = config_.get_int("offsets.retention.minutes", 10080) * 60000;
  std::vector<std::string> emptied;
  size_t tombstones = 0;
  // An Empty group with no offsets left goes too, unless an open
  // transaction holds offsets for it (a group made by a commit has no
  // members, so it is always Empty).
  auto expire = [&](const std::string& group_id, const ExpiryRule& rule, bool empty) {
    const auto expired = offsets_.expired(group_id, now, retention, rule);
    if (offsets_.delete_offsets(group_id, expired)) return false;  // the store failed: the broker stops
    tombstones += expired.size();
    if (empty && !offsets_.has_offsets(group_id) && !offsets_.has_pending(group_id)) emptied.push_back(group_id);
    return true;
  };
  for (const auto& [group_id, group] : classic_->groups()) {
    if (!expire(group_id, expiry_rule(group), group.is(GroupState::kEmpty))) return;
  }
  for (const auto& [group_id, group] : consumer_->groups()) {
    if (!expire(group_id, expiry_rule(group), group.members.empty())) return;
  }
  for (const auto& id : emptied) {
    if (!erase_group(id, false)) return;
  }
  if (tombstones > 0 || !emptied.empty()) {
    spdlog::info("{}Expired {} committed offset(s) and removed {} empty group(s) (offsets.retention.minutes)",
                 log_prefix_, tombstones, emptied.size());
  }
}

asio::awaitable<void> GroupCoordinator::retention_loop() {
  const auto interval = std::chrono::milliseconds(config_.get_int("offsets.retention.check.interval.ms", 600000));
  while (!stopping_) {
    retention_timer_->expires_after(interval);
    boost::system::error_code ec;
    co_await retention_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_ || ec) co_return;
    expire_offsets();
  }
}

}  // namespace kafkalite::broker::group
