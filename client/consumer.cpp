#include "client/consumer.h"

#include <algorithm>
#include <set>
#include <thread>

#include "client/assignors.h"
#include "client/requests.h"

namespace kafkalite::client {

using namespace protocol;

namespace {
constexpr int16_t kFetchByName = 12;       // Fetch v13+ names topics by id only
constexpr int kMaxJoinAttempts = 50;
// Kafka's retry.backoff.ms default.
constexpr std::chrono::milliseconds kRetryBackoff{100};

std::string partition_list(const std::vector<TopicPartition>& tps) {
  std::string out = "[";
  for (size_t i = 0; i < tps.size(); ++i) {
    if (i) out += ", ";
    out += tps[i].topic + "-" + std::to_string(tps[i].partition);
  }
  return out + "]";
}
}  // namespace

Result<std::unique_ptr<Consumer>> Consumer::connect(const ConsumerConfig& config) {
  ClientConfig cluster_config = config;
  // A JoinGroup waits up to the rebalance timeout; Kafka's consumer gives it
  // that plus 5 s.
  cluster_config.request_timeout = std::max(config.request_timeout, config.max_poll_interval + std::chrono::seconds(5));
  auto cluster = Cluster::connect(cluster_config);
  if (!cluster) return cluster.error();
  std::shared_ptr<Cluster> shared = std::move(*cluster);
  return std::unique_ptr<Consumer>(new Consumer(config, shared));
}

Consumer::~Consumer() { close(); }

Error Consumer::subscribe(const std::vector<std::string>& topics) {
  if (!config_.group_id) {
    return Error(ErrorCode::InvalidGroupId, "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.");
  }
  subscription_ = topics;
  rejoin_needed_ = true;
  return {};
}

Error Consumer::assign(const std::vector<TopicPartition>& partitions) {
  subscription_.clear();
  assignment_ = partitions;
  std::erase_if(positions_, [&](const auto& p) {
    return std::find(partitions.begin(), partitions.end(), p.first) == partitions.end();
  });
  return refresh_leaders();
}

std::optional<int64_t> Consumer::position(const TopicPartition& tp) const {
  auto it = positions_.find(tp);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

Error Consumer::seek_to_beginning(const std::vector<TopicPartition>& partitions) {
  return seek_to(partitions, OffsetSpec::kEarliest);
}

Error Consumer::seek_to_end(const std::vector<TopicPartition>& partitions) {
  return seek_to(partitions, OffsetSpec::kLatest);
}

Error Consumer::seek_to(const std::vector<TopicPartition>& partitions, int64_t spec) {
  std::map<TopicPartition, OffsetSpec> specs;
  for (const auto& tp : partitions) specs[tp] = {spec};
  auto listed = admin_->list_offsets(specs, config_.isolation());
  if (!listed) return listed.error();
  for (const auto& [tp, o] : *listed) {
    // A leader still moving (a topic just made): the position stays unset,
    // and the next poll asks again, as Kafka's consumer retries.
    const ErrorCode code = o.error.code;
    if (code == ErrorCode::NotLeaderOrFollower || code == ErrorCode::LeaderNotAvailable ||
        code == ErrorCode::OffsetNotAvailable || code == ErrorCode::UnknownLeaderEpoch ||
        code == ErrorCode::FencedLeaderEpoch) {
      positions_.erase(tp);
      continue;
    }
    if (o.error) return o.error;
    positions_[tp] = o.offset;
  }
  return {};
}

Error Consumer::refresh_leaders() {
  std::set<std::string> topics;
  for (const auto& tp : assignment_) topics.insert(tp.topic);
  if (topics.empty()) return {};
  // allow.auto.create.topics=true, the Java consumer's default.
  auto metadata = cluster_->metadata(std::vector<std::string>(topics.begin(), topics.end()), true);
  if (!metadata) return metadata.error();
  leaders_.clear();
  for (const auto& t : metadata->topics) {
    for (const auto& p : t.partitions) leaders_[{t.name, p.partition}] = p.leader;
  }
  return {};
}

Error Consumer::reset_position(const TopicPartition& tp) {
  if (config_.auto_offset_reset == "earliest") return seek_to_beginning({tp});
  if (config_.auto_offset_reset == "latest") return seek_to_end({tp});
  return Error(ErrorCode::OffsetOutOfRange, "Undefined offset with no reset policy for partitions: " + partition_list({tp}));
}

Error Consumer::initialize_positions() {
  std::vector<TopicPartition> missing;
  for (const auto& tp : assignment_) {
    if (!positions_.count(tp)) missing.push_back(tp);
  }
  if (missing.empty()) return {};
  if (config_.group_id) {
    auto committed = admin_->list_group_offsets(*config_.group_id, missing);
    if (!committed) return committed.error();
    for (const auto& [tp, c] : *committed) {
      if (c.offset >= 0) {
        positions_[tp] = c.offset;
        committed_[tp] = c.offset;
      }
    }
  }
  for (const auto& tp : missing) {
    if (!positions_.count(tp)) {
      if (Error e = reset_position(tp)) return e;
    }
  }
  return {};
}

Error Consumer::ensure_group() {
  if (!config_.group_id || subscription_.empty()) return {};
  if (generation_ >= 0 && !rejoin_needed_) return {};
  return join_and_sync();
}

Error Consumer::join_and_sync() {
  if (generation_ >= 0) {
    // Eager protocol: everything is revoked before rejoining.
    if (Error e = maybe_auto_commit(true); e && e.code != ErrorCode::RebalanceInProgress) return e;
  }
  assignment_.clear();
  positions_.clear();
  const std::string& group = *config_.group_id;
  for (int attempt = 0; attempt < kMaxJoinAttempts; ++attempt) {
    if (coordinator_ < 0) {
      auto found = cluster_->coordinator(group);
      if (!found) return found.error();
      coordinator_ = *found;
    }
    JoinGroupRequest join;
    join.group_id = GroupId(group);
    join.session_timeout_ms = static_cast<int32_t>(config_.session_timeout.count());
    join.rebalance_timeout_ms = static_cast<int32_t>(config_.max_poll_interval.count());
    join.member_id = member_id_;
    join.group_instance_id = config_.group_instance_id;
    join.protocol_type = "consumer";
    join.protocols.push_back({config_.assignor, encode_subscription(subscription_), {}});
    join.reason = std::nullopt;
    auto joined = cluster_->call<JoinGroupApi>(join, coordinator_);
    if (!joined) return joined.error();
    switch (joined->error_code) {
      case ErrorCode::None: break;
      case ErrorCode::MemberIdRequired: member_id_ = joined->member_id; continue;
      case ErrorCode::UnknownMemberId: member_id_.clear(); continue;
      case ErrorCode::RebalanceInProgress: continue;
      case ErrorCode::NotCoordinator:
      case ErrorCode::CoordinatorNotAvailable:
      case ErrorCode::CoordinatorLoadInProgress:
        // A coordinator still loading its partitions (a new cluster): ask
        // again after Kafka's retry.backoff.ms, not at once.
        coordinator_ = -1;
        std::this_thread::sleep_for(kRetryBackoff);
        continue;
      default: return Error(joined->error_code, "JoinGroup of " + group + " failed");
    }
    member_id_ = joined->member_id;
    generation_ = joined->generation_id;
    SyncGroupRequest sync;
    sync.group_id = GroupId(group);
    sync.generation_id = generation_;
    sync.member_id = member_id_;
    sync.group_instance_id = config_.group_instance_id;
    sync.protocol_type = "consumer";
    sync.protocol_name = joined->protocol_name;
    if (joined->leader == member_id_ && !joined->skip_assignment) {
      std::vector<GroupMember> members;
      std::set<std::string> topics;
      for (const auto& m : joined->members) {
        auto subscribed = decode_subscription(m.metadata);
        members.push_back({m.member_id, m.group_instance_id, subscribed.value_or(std::vector<std::string>{})});
        topics.insert(members.back().topics.begin(), members.back().topics.end());
      }
      auto metadata = cluster_->metadata(std::vector<std::string>(topics.begin(), topics.end()), true);
      if (!metadata) return metadata.error();
      std::map<std::string, int32_t> counts;
      for (const auto& t : metadata->topics) {
        if (t.error.code == ErrorCode::None) counts[t.name] = static_cast<int32_t>(t.partitions.size());
      }
      const std::string protocol = joined->protocol_name.value_or(config_.assignor);
      const Assignment assignment =
          protocol == "roundrobin" ? assign_roundrobin(members, counts) : assign_range(members, counts);
      for (const auto& [member, partitions] : assignment) {
        sync.assignments.push_back({member, encode_assignment(partitions), {}});
      }
    }
    auto synced = cluster_->call<SyncGroupApi>(sync, coordinator_);
    if (!synced) return synced.error();
    if (synced->error_code == ErrorCode::RebalanceInProgress) continue;
    if (synced->error_code == ErrorCode::UnknownMemberId) {
      member_id_.clear();
      continue;
    }
    if (synced->error_code == ErrorCode::IllegalGeneration) continue;
    if (synced->error_code == ErrorCode::NotCoordinator) {
      coordinator_ = -1;
      continue;
    }
    if (synced->error_code != ErrorCode::None) return Error(synced->error_code, "SyncGroup of " + group + " failed");
    assignment_ = decode_consumer_assignment(synced->assignment);
    rejoin_needed_ = false;
    next_heartbeat_ = Clock::now() + config_.heartbeat_interval;
    next_auto_commit_ = Clock::now() + config_.auto_commit_interval;
    if (Error e = refresh_leaders()) return e;
    return initialize_positions();
  }
  return Error(ErrorCode::RebalanceInProgress, "the group " + group + " kept rebalancing");
}

Error Consumer::heartbeat_if_due() {
  if (!config_.group_id || generation_ < 0 || Clock::now() < next_heartbeat_) return {};
  HeartbeatRequest request;
  request.group_id = GroupId(*config_.group_id);
  request.generation_id = generation_;
  request.member_id = member_id_;
  request.group_instance_id = config_.group_instance_id;
  auto response = cluster_->call<HeartbeatApi>(request, coordinator_);
  next_heartbeat_ = Clock::now() + config_.heartbeat_interval;
  if (!response) return response.error();
  switch (response->error_code) {
    case ErrorCode::None: break;
    case ErrorCode::RebalanceInProgress: rejoin_needed_ = true; break;
    case ErrorCode::UnknownMemberId: member_id_.clear(); [[fallthrough]];
    case ErrorCode::IllegalGeneration: generation_ = -1; rejoin_needed_ = true; break;
    case ErrorCode::NotCoordinator:
    case ErrorCode::CoordinatorNotAvailable: coordinator_ = -1; rejoin_needed_ = true; break;
    default: return Error(response->error_code, "Heartbeat failed");
  }
  return {};
}

Error Consumer::commit_sync() { return commit_sync(positions_); }

Error Consumer::commit_sync(const std::map<TopicPartition, int64_t>& offsets) {
  if (!config_.group_id) {
    return Error(ErrorCode::InvalidGroupId, "To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.");
  }
  if (offsets.empty()) return {};
  if (coordinator_ < 0) {
    auto found = cluster_->coordinator(*config_.group_id);
    if (!found) return found.error();
    coordinator_ = *found;
  }
  const auto request =
      offset_commit_request(*config_.group_id, generation_, member_id_, config_.group_instance_id, offsets);
  auto response = cluster_->call<OffsetCommitApi>(request, coordinator_,
                                                  cluster_->version_up_to<OffsetCommitApi>(kOffsetsByName));
  if (!response) return response.error();
  for (const auto& t : response->topics) {
    for (const auto& p : t.partitions) {
      if (p.error_code == ErrorCode::RebalanceInProgress || p.error_code == ErrorCode::IllegalGeneration ||
          p.error_code == ErrorCode::UnknownMemberId) {
        rejoin_needed_ = true;
      }
      if (p.error_code != ErrorCode::None) return Error(p.error_code, "OffsetCommit failed");
    }
  }
  for (const auto& [tp, offset] : offsets) committed_[tp] = offset;
  return {};
}

Error Consumer::maybe_auto_commit(bool force) {
  if (!config_.group_id || !config_.enable_auto_commit || subscription_.empty()) return {};
  if (!force && Clock::now() < next_auto_commit_) return {};
  next_auto_commit_ = Clock::now() + config_.auto_commit_interval;
  std::map<TopicPartition, int64_t> changed;
  for (const auto& [tp, offset] : positions_) {
    auto it = committed_.find(tp);
    if (it == committed_.end() || it->second != offset) changed[tp] = offset;
  }
  return commit_sync(changed);
}

Result<std::vector<ConsumerRecord>> Consumer::fetch_once(std::chrono::milliseconds max_wait) {
  std::vector<ConsumerRecord> out;
  std::map<int32_t, std::vector<TopicPartition>> by_leader;
  for (const auto& tp : assignment_) {
    if (!positions_.count(tp)) continue;
    auto leader = leaders_.find(tp);
    if (leader == leaders_.end() || leader->second < 0) {
      if (Error e = refresh_leaders()) return e;
      leader = leaders_.find(tp);
      if (leader == leaders_.end()) {
        return Error(ErrorCode::UnknownTopicOrPartition, "Topic or partition " + tp.topic + "-" + std::to_string(tp.partition) + " does not exist");
      }
    }
    by_leader[leader->second].push_back(tp);
  }
  bool refresh = false;
  for (const auto& [leader, partitions] : by_leader) {
    FetchRequest request;
    request.replica_id = BrokerId(-1);
    request.max_wait_ms = static_cast<int32_t>(max_wait.count());
    request.min_bytes = config_.fetch_min_bytes;
    request.max_bytes = config_.fetch_max_bytes;
    request.isolation_level = config_.isolation();
    request.session_id = 0;
    request.session_epoch = -1;
    for (const auto& tp : partitions) {
      if (request.topics.empty() || request.topics.back().topic != tp.topic) {
        request.topics.emplace_back().topic = TopicName(tp.topic);
      }
      auto& p = request.topics.back().partitions.emplace_back();
      p.partition = tp.partition;
      p.current_leader_epoch = -1;
      p.fetch_offset = positions_[tp];
      p.log_start_offset = -1;
      p.partition_max_bytes = config_.max_partition_fetch_bytes;
    }
    auto response = cluster_->call<FetchApi>(request, leader, cluster_->version_up_to<FetchApi>(kFetchByName));
    if (!response) return response.error();
    if (response->error_code != ErrorCode::None) return Error(response->error_code, "Fetch failed");
    for (const auto& t : response->responses) {
      for (const auto& p : t.partitions) {
        const TopicPartition tp{t.topic.value(), p.partition_index};
        if (p.error_code == ErrorCode::OffsetOutOfRange) {
          if (Error e = reset_position(tp)) return e;
          continue;
        }
        if (p.error_code == ErrorCode::NotLeaderOrFollower || p.error_code == ErrorCode::UnknownTopicOrPartition ||
            p.error_code == ErrorCode::LeaderNotAvailable || p.error_code == ErrorCode::FencedLeaderEpoch) {
          refresh = true;
          continue;
        }
        if (p.error_code != ErrorCode::None) return Error(p.error_code, "Fetch of " + tp.topic + "-" + std::to_string(tp.partition) + " failed");
        if (!p.records.data || out.size() >= config_.max_poll_records) continue;
        records::RecordsError error;
        int64_t& position = positions_[tp];
        // read_committed: the broker lists the aborted transactions that
        // overlap this data (producer, first offset); a producer's batches are
        // skipped from its first offset until its ABORT marker, as Kafka's
        // consumer does.
        std::vector<std::pair<int64_t, int64_t>> aborted;  // first offset, producer
        if (p.aborted_transactions) {
          for (const auto& a : *p.aborted_transactions) aborted.emplace_back(a.first_offset, a.producer_id.value());
          std::sort(aborted.begin(), aborted.end());
        }
        size_t next_aborted = 0;
        std::set<int64_t> aborting;
        for (const auto& batch : records::split_batches(*p.records.data, error)) {
          const records::BatchHeader& h = batch.header;
          while (next_aborted < aborted.size() && aborted[next_aborted].first <= h.last_offset()) {
            aborting.insert(aborted[next_aborted++].second);
          }
          if (h.last_offset() < position) continue;
          const bool skip = h.is_transactional() && aborting.count(h.producer_id);
          if (h.is_control() || skip) {
            if (h.is_control() && is_abort_marker(batch)) aborting.erase(h.producer_id);
            position = h.last_offset() + 1;
            continue;
          }
          auto decoded = records::decode_records(batch, error, /*as_produced=*/false);
          if (!decoded) return Error(ErrorCode::CorruptMessage, "Record batch at offset " + std::to_string(batch.header.base_offset) + " of " + tp.topic + "-" + std::to_string(tp.partition) + " is corrupt: " + error.message);
          bool full = false;
          for (auto& r : *decoded) {
            const int64_t offset = batch.header.base_offset + r.offset_delta;
            if (offset < position) continue;
            if (out.size() >= config_.max_poll_records) {
              full = true;
              break;
            }
            ConsumerRecord record;
            record.topic = tp.topic;
            record.partition = tp.partition;
            record.offset = offset;
            record.timestamp_type = batch.header.timestamp_type();
            record.timestamp = record.timestamp_type == records::TimestampType::kLogAppendTime
                                   ? batch.header.max_timestamp
                                   : batch.header.base_timestamp + r.timestamp_delta;
            record.key = std::move(r.key);
            record.value = std::move(r.value);
            record.headers = std::move(r.headers);
            out.push_back(std::move(record));
            position = offset + 1;
          }
          if (full) break;
          position = std::max(position, batch.header.last_offset() + 1);
        }
        if (error) return Error(error.code, error.message);
      }
    }
  }
  if (refresh) {
    if (Error e = refresh_leaders()) return e;
  }
  return out;
}

bool Consumer::is_abort_marker(const records::BatchView& batch) {
  // A control record's key: version (int16), then type (int16): 0 ABORT, 1 COMMIT.
  records::RecordsError error;
  auto decoded = records::decode_records(batch, error, /*as_produced=*/false);
  if (!decoded || decoded->empty() || !decoded->front().key || decoded->front().key->size() < 4) return false;
  const auto& key = *decoded->front().key;
  return key[2] == 0 && key[3] == 0;
}

Result<std::vector<ConsumerRecord>> Consumer::poll(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (Error e = ensure_group()) return e;
    if (Error e = heartbeat_if_due()) return e;
    if (rejoin_needed_) continue;
    if (Error e = maybe_auto_commit(false); e && e.code != ErrorCode::RebalanceInProgress) return e;
    if (Error e = initialize_positions()) return e;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const auto wait = std::clamp(left, std::chrono::milliseconds(0), std::chrono::milliseconds(config_.fetch_max_wait_ms));
    if (assignment_.empty()) {
      // Nothing assigned (more members than partitions): stay in the group.
      if (left.count() <= 0) return std::vector<ConsumerRecord>{};
      std::this_thread::sleep_for(std::min(left, config_.heartbeat_interval));
      continue;
    }
    auto records = fetch_once(wait);
    if (!records) return records.error();
    if (!records->empty() || Clock::now() >= deadline) return records;
  }
}

void Consumer::close() {
  if (closed_) return;
  closed_ = true;
  if (!config_.group_id || generation_ < 0) return;
  (void)maybe_auto_commit(true);
  if (config_.group_instance_id) return;  // static members stay until their session times out
  LeaveGroupRequest request;
  request.group_id = GroupId(*config_.group_id);
  if (cluster_->version<LeaveGroupApi>() >= 3) {
    request.members.push_back({member_id_, std::nullopt, std::string("the consumer is being closed"), {}});
  } else {
    request.member_id = member_id_;
  }
  (void)cluster_->call<LeaveGroupApi>(request, coordinator_);
  generation_ = -1;
}

}  // namespace kafkalite::client
