#include "broker/txn/transaction_coordinator.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <limits>
#include <set>

#include "broker/cluster/internal_topics.h"
#include "broker/config/topic_config.h"
#include "broker/storage/keys.h"
#include "common/clock.h"
#include "common/java_hash.h"

namespace kafkalite::txn {
namespace {

namespace keys = storage::keys;

constexpr int64_t kDefaultMaxTimeoutMs = 900000;
constexpr int64_t kDefaultIdExpirationMs = 604800000;  // 7 days
constexpr int32_t kDefaultOffsetsPartitions = 50;

// Kafka hands out a new producer id once the epoch reaches Short.MAX_VALUE - 1.
bool epoch_exhausted(int16_t epoch) { return epoch >= std::numeric_limits<int16_t>::max() - 1; }

bool is_complete(TxnState s) { return s == TxnState::kCompleteCommit || s == TxnState::kCompleteAbort; }
bool is_prepare(TxnState s) {
  return s == TxnState::kPrepareCommit || s == TxnState::kPrepareAbort || s == TxnState::kPrepareEpochFence;
}

std::string partitions_text(const std::set<TopicPartitionName>& partitions, const std::set<std::string>& groups) {
  std::string out;
  for (const auto& [topic, partition] : partitions) {
    out += (out.empty() ? "" : ", ") + topic + "-" + std::to_string(partition);
  }
  for (const auto& group : groups) out += (out.empty() ? "" : ", ") + std::string("offsets of group ") + group;
  return out;
}

}  // namespace


TransactionCoordinator::TransactionCoordinator(const config::BrokerConfig& config, storage::KvStore& store,
                                               cluster::Node& node, const cluster::Features& features,
                                               cluster::TopicRegistry& topics, broker::group::GroupCoordinator& groups,
                                               fetch::PartitionWaiters& waiters)
    : config_(config),
      store_(store),
      node_(node),
      features_(features),
      topics_(topics),
      groups_(groups),
      waiters_(waiters),
      clock_([] { return kafkalite::now_ms(); }),
      log_prefix_("[TransactionCoordinator id=" + std::to_string(config.node_id()) + "] ") {}

int32_t TransactionCoordinator::state_partition(const std::string& transactional_id) const {
  return java::partition_for(transactional_id,
                             static_cast<int32_t>(config_.get_int("transaction.state.log.num.partitions", 50)));
}

void TransactionCoordinator::state_log_used() {
  // The coordinator's log, __transaction_state, made at first use (the
  // epoch below is its partitions' leader epoch).
  (void)cluster::ensure_internal_topic(topics_, config_, cluster::InternalTopic::kTransactionState);
  if (state_log_exists_) return;
  storage::WriteBatch write;
  write.put(keys::metadata("txn.state.log.epoch"), "0");
  if (store_.apply(write)) return;  // the store failed: the broker stops
  state_log_exists_ = true;
  coordinator_epoch_ = 0;
}

void TransactionCoordinator::load() {
  if (auto stored = store_.get(keys::metadata("txn.state.log.epoch"))) {
    const int32_t epoch = std::atoi(stored->c_str()) + 2;
    storage::WriteBatch write;
    write.put(keys::metadata("txn.state.log.epoch"), std::to_string(epoch));
    if (!store_.apply(write)) {
      state_log_exists_ = true;
      coordinator_epoch_ = epoch;
    }
  }
  const std::string prefix = keys::transactions_prefix();
  store_.scan(prefix, keys::after_prefix(prefix), [&](std::string_view key, std::string_view value) {
    const std::string id = keys::transactional_id_of(key);
    if (auto meta = TransactionMetadata::parse(id, value)) {
      transactions_[id] = std::move(*meta);
    } else {
      spdlog::warn("Skipping the state of transactional id {}: stored in an unknown format", id);
    }
    return true;
  });
  size_t open = 0;
  for (const auto& [id, meta] : transactions_) open += meta.in_flight() ? 1 : 0;
  if (!transactions_.empty()) {
    spdlog::info("[Transaction State Manager {}]: Finished loading {} transaction metadata ({} with an open "
                 "transaction)",
                 config_.node_id(), transactions_.size(), open);
  }
}

TransactionMetadata* TransactionCoordinator::find(const std::string& transactional_id) {
  auto it = transactions_.find(transactional_id);
  return it == transactions_.end() ? nullptr : &it->second;
}

bool TransactionCoordinator::fence_and_abort(const TransactionMetadata& meta) {
  // The abort the coordinator starts itself speaks the cluster's finalized
  // transaction version. Either way the abort that fences bumps the epoch
  // once (the markers carry it); with version 2 it also remembers the fenced
  // producer's epoch (KIP-360 retries).
  const auto server_version = features_.level(cluster::Features::kTransactionVersion);
  TransactionMetadata fenced = meta;
  fenced.producer_epoch = static_cast<int16_t>(meta.producer_epoch + 1);
  fenced.last_producer_epoch = server_version >= 2 ? meta.producer_epoch : int16_t{-1};
  fenced.client_transaction_version = server_version >= 2 ? server_version : int16_t{0};
  TransactionMetadata next = fenced;
  next.state = TxnState::kCompleteAbort;
  next.partitions.clear();
  next.groups.clear();
  next.last_update_timestamp_ms = now();
  return complete(fenced, next, /*commit=*/false);
}

bool TransactionCoordinator::put(const TransactionMetadata& next) {
  storage::WriteBatch write;
  write.put(keys::transaction(next.transactional_id), next.serialize());
  if (store_.apply(write)) return false;
  transactions_[next.transactional_id] = next;
  return true;
}

ErrorCode TransactionCoordinator::check_producer(const TransactionMetadata* meta, int64_t producer_id,
                                                 int16_t epoch) const {
  if (!meta || meta->producer_id != producer_id) return ErrorCode::InvalidProducerIdMapping;
  if (meta->producer_epoch != epoch) return ErrorCode::ProducerFenced;
  if (is_prepare(meta->state)) return ErrorCode::ConcurrentTransactions;
  return ErrorCode::None;
}

bool TransactionCoordinator::rotate_producer_id(TransactionMetadata& next) {
  auto id = node_.allocate_producer_id();
  if (!id) return false;
  next.previous_producer_id = next.producer_id;
  next.producer_id = *id;
  next.producer_epoch = 0;
  return true;
}

ProducerIdAndEpoch TransactionCoordinator::init_producer_id(const std::string& transactional_id,
                                                            int32_t timeout_ms,
                                                            std::optional<std::pair<int64_t, int16_t>> expected) {
  ProducerIdAndEpoch out;
  const int64_t max_timeout = config_.get_int("transaction.max.timeout.ms", kDefaultMaxTimeoutMs);
  if (transactional_id.empty()) {
    out.error = ErrorCode::InvalidRequest;
    return out;
  }
  if (timeout_ms <= 0 || timeout_ms > max_timeout) {
    out.error = ErrorCode::InvalidTransactionTimeout;
    return out;
  }
  TransactionMetadata* existing = find(transactional_id);
  TransactionMetadata meta;
  if (existing) {
    meta = *existing;
  } else {
    auto id = node_.allocate_producer_id();
    if (!id) {
      out.error = ErrorCode::UnknownServerError;
      return out;
    }
    meta.transactional_id = transactional_id;
    meta.producer_id = *id;
    meta.timeout_ms = timeout_ms;
    meta.last_update_timestamp_ms = now();
  }
  // KIP-360: a producer that names its id and epoch is fenced unless the
  // id is this one, the state was just made, or it is a retry after a
  // rotation to a new id.
  if (expected) {
    const auto [expected_id, expected_epoch] = *expected;
    const bool valid = meta.producer_epoch < 0 || expected_id == meta.producer_id ||
                       (expected_id == meta.previous_producer_id && epoch_exhausted(expected_epoch));
    if (!valid) {
      out.error = ErrorCode::ProducerFenced;
      return out;
    }
  }
  if (is_prepare(meta.state)) {
    out.error = ErrorCode::ConcurrentTransactions;
    return out;
  }
  if (meta.state == TxnState::kOngoing) {
    // Kafka aborts the open transaction with a bumped epoch (fencing the
    // producer that held it) and answers CONCURRENT_TRANSACTIONS, so the new
    // producer retries and bumps the epoch once more.
    spdlog::info("{}Fencing producerId {} of transactionalId {}: aborting its ongoing transaction with epoch {}",
                 log_prefix_, meta.producer_id, transactional_id, meta.producer_epoch + 1);
    out.error = fence_and_abort(meta) ? ErrorCode::ConcurrentTransactions : ErrorCode::NotCoordinator;
    return out;
  }
  // Empty, CompleteCommit or CompleteAbort: a new epoch, or a new id.
  TransactionMetadata next = meta;
  if (epoch_exhausted(meta.producer_epoch) && (!expected || expected->second == meta.producer_epoch)) {
    if (!rotate_producer_id(next)) {
      out.error = ErrorCode::UnknownServerError;
      return out;
    }
    next.last_producer_epoch = expected ? meta.producer_epoch : int16_t{-1};
  } else if (!expected) {
    next.producer_epoch = static_cast<int16_t>(meta.producer_epoch + 1);
    next.last_producer_epoch = -1;
  } else if (meta.producer_epoch < 0 || expected->second == meta.producer_epoch) {
    next.producer_epoch = static_cast<int16_t>(meta.producer_epoch + 1);
    next.last_producer_epoch = meta.producer_epoch;
  } else if (expected->second != meta.last_producer_epoch) {
    out.error = ErrorCode::ProducerFenced;
    return out;
  }  // else a retry: the same epoch again
  next.state = TxnState::kEmpty;
  next.timeout_ms = timeout_ms;
  next.partitions.clear();
  next.groups.clear();
  next.start_timestamp_ms = -1;
  next.last_update_timestamp_ms = now();
  if (!put(next)) {
    out.error = ErrorCode::NotCoordinator;
    return out;
  }
  spdlog::info("{}Initialized transactionalId {} with producerId {} and producer epoch {} on partition "
               "__transaction_state-{}",
               log_prefix_, transactional_id, next.producer_id, next.producer_epoch, state_partition(transactional_id));
  out.producer_id = next.producer_id;
  out.producer_epoch = next.producer_epoch;
  return out;
}

ErrorCode TransactionCoordinator::add_to_transaction(TransactionMetadata& meta,
                                                     const std::vector<TopicPartitionName>& partitions,
                                                     const std::vector<std::string>& groups,
                                                     int16_t transaction_version) {
  if (is_prepare(meta.state)) return ErrorCode::ConcurrentTransactions;
  bool all_in = meta.state == TxnState::kOngoing;
  for (const auto& p : partitions) all_in = all_in && meta.partitions.count(p);
  for (const auto& g : groups) all_in = all_in && meta.groups.count(g);
  if (all_in) return ErrorCode::None;
  TransactionMetadata next = meta;
  const bool begins = meta.state != TxnState::kOngoing;
  if (begins) {
    next.state = TxnState::kOngoing;
    next.start_timestamp_ms = now();
    next.partitions.clear();
    next.groups.clear();
  }
  std::set<TopicPartitionName> added_partitions;
  std::set<std::string> added_groups;
  for (const auto& p : partitions) {
    if (next.partitions.insert(p).second) added_partitions.insert(p);
  }
  for (const auto& g : groups) {
    if (next.groups.insert(g).second) added_groups.insert(g);
  }
  next.client_transaction_version = transaction_version;
  next.last_update_timestamp_ms = now();
  if (!put(next)) return ErrorCode::NotCoordinator;
  if (begins) {
    spdlog::info("{}Began a transaction for transactionalId {} with producerId {} and epoch {} (timeout {} ms)",
                 log_prefix_, meta.transactional_id, meta.producer_id, meta.producer_epoch, meta.timeout_ms);
  }
  spdlog::info("{}Added partitions [{}] to the transaction of transactionalId {}", log_prefix_,
               partitions_text(added_partitions, added_groups), meta.transactional_id);
  return ErrorCode::None;
}

std::vector<ErrorCode> TransactionCoordinator::add_partitions(const std::string& transactional_id,
                                                              int64_t producer_id, int16_t epoch,
                                                              const std::vector<TopicPartitionName>& partitions,
                                                              bool verify_only, int16_t transaction_version) {
  TransactionMetadata* meta = find(transactional_id);
  ErrorCode error = transactional_id.empty() ? ErrorCode::InvalidRequest : check_producer(meta, producer_id, epoch);
  if (error == ErrorCode::None && verify_only) {
    std::vector<ErrorCode> out;
    for (const auto& p : partitions) {
      out.push_back(meta->partitions.count(p) ? ErrorCode::None : ErrorCode::TransactionAbortable);
    }
    return out;
  }
  if (error == ErrorCode::None) error = add_to_transaction(*meta, partitions, {}, transaction_version);
  return std::vector<ErrorCode>(partitions.size(), error);
}

ErrorCode TransactionCoordinator::add_offsets(const std::string& transactional_id, int64_t producer_id,
                                              int16_t epoch, const std::string& group_id,
                                              int16_t transaction_version) {
  TransactionMetadata* meta = find(transactional_id);
  if (auto error = check_producer(meta, producer_id, epoch); error != ErrorCode::None) return error;
  return add_to_transaction(*meta, {}, {group_id}, transaction_version);
}

ErrorCode TransactionCoordinator::verify_produce(const std::string& transactional_id, int64_t producer_id,
                                                 int16_t epoch, const TopicPartitionName& partition,
                                                 int16_t transaction_version) {
  TransactionMetadata* meta = find(transactional_id);
  if (auto error = check_producer(meta, producer_id, epoch); error != ErrorCode::None) return error;
  if (transaction_version >= 2) return add_to_transaction(*meta, {partition}, {}, transaction_version);
  // Verification (KIP-890 part 1): the partition must be in the transaction.
  return meta->partitions.count(partition) ? ErrorCode::None : ErrorCode::TransactionAbortable;
}

ErrorCode TransactionCoordinator::verify_offsets(const std::string& transactional_id, int64_t producer_id,
                                                 int16_t epoch, const std::string& group_id,
                                                 int16_t transaction_version) {
  TransactionMetadata* meta = find(transactional_id);
  if (auto error = check_producer(meta, producer_id, epoch); error != ErrorCode::None) return error;
  if (transaction_version >= 2) return add_to_transaction(*meta, {}, {group_id}, transaction_version);
  return meta->groups.count(group_id) ? ErrorCode::None : ErrorCode::TransactionAbortable;
}

bool TransactionCoordinator::complete(const TransactionMetadata& meta, TransactionMetadata next, bool commit) {
  const int64_t time = now();
  storage::WriteBatch write;
  std::vector<std::pair<log::PartitionLog*, log::PartitionLog::StagedMarker>> staged;
  std::vector<fetch::PartitionKey> touched;
  // The markers go to the transaction's partitions and to its groups'
  // partitions of __consumer_offsets (their transactional offset commits end
  // with them), each once.
  std::set<TopicPartitionName> marked = meta.partitions;
  if (!meta.groups.empty()) {
    (void)cluster::ensure_internal_topic(topics_, config_, cluster::InternalTopic::kConsumerOffsets);
    for (const auto& group : meta.groups) {
      marked.emplace(cluster::kConsumerOffsetsTopic, groups_.offsets_topic().partition_for(group));
    }
  }
  for (const auto& [topic_name, index] : marked) {
    cluster::Topic* topic = topics_.find(topic_name);
    log::PartitionLog* partition = topic ? topic->partition(index) : nullptr;
    if (!partition) continue;  // deleted since it joined the transaction
    staged.emplace_back(partition, partition->stage_marker(meta.producer_id, meta.producer_epoch, coordinator_epoch_,
                                                           commit, time, write, cluster::segment_rules(config_, *topic)));
    touched.push_back({topic->id, index});
  }
  for (const auto& group : meta.groups) groups_.stage_end_pending(group, meta.producer_id, commit, write);
  write.put(keys::transaction(next.transactional_id), next.serialize());
  if (store_.apply(write)) return false;
  for (auto& [partition, marker] : staged) partition->apply_staged(std::move(marker));
  for (const auto& group : meta.groups) groups_.apply_end_pending(group, meta.producer_id, commit);
  transactions_[next.transactional_id] = next;
  for (const auto& key : touched) waiters_.notify(key);
  spdlog::info("{}Completed {} of transactionalId {} with producerId {} and epoch {}: {} markers written to [{}]",
               log_prefix_, commit ? "commit" : "abort", meta.transactional_id, meta.producer_id, meta.producer_epoch,
               commit ? "COMMIT" : "ABORT",
               partitions_text(meta.partitions, meta.groups));
  return true;
}

ProducerIdAndEpoch TransactionCoordinator::end_transaction(const std::string& transactional_id, int64_t producer_id,
                                                           int16_t epoch, bool commit,
                                                           int16_t transaction_version) {
  ProducerIdAndEpoch out;
  if (transactional_id.empty()) {
    out.error = ErrorCode::InvalidRequest;
    return out;
  }
  TransactionMetadata* found = find(transactional_id);
  if (!found) {
    out.error = ErrorCode::InvalidProducerIdMapping;
    return out;
  }
  const TransactionMetadata meta = *found;
  const bool tv2 = transaction_version >= 2;
  auto answer = [&](const TransactionMetadata& m) {
    out.producer_id = m.producer_id;
    out.producer_epoch = m.producer_epoch;
    return out;
  };
  // Transaction version 2 recognises a retry of an EndTxn that completed by
  // its epoch, one below the stored (bumped) one, or, after the id rotated,
  // by the old id at the last epoch.
  const bool retry_on_bump = tv2 && meta.producer_epoch == epoch + 1;
  const bool retry_on_overflow = tv2 && producer_id == meta.previous_producer_id &&
                                 epoch == std::numeric_limits<int16_t>::max() - 1 && meta.producer_epoch == 0;
  if (meta.producer_id != producer_id && !retry_on_overflow) {
    out.error = ErrorCode::InvalidProducerIdMapping;
    return out;
  }
  bool is_retry = false;
  bool valid_epoch = epoch == meta.producer_epoch && !retry_on_overflow;
  if (tv2 && is_complete(meta.state)) {
    is_retry = retry_on_bump || retry_on_overflow;
    valid_epoch = valid_epoch || is_retry;
  } else if (tv2 && is_prepare(meta.state)) {
    valid_epoch = retry_on_bump;
  } else if (!tv2 && is_complete(meta.state)) {
    is_retry = valid_epoch;
  }
  if (!valid_epoch) {
    out.error = ErrorCode::ProducerFenced;
    return out;
  }
  auto invalid = [&] {
    spdlog::warn("{}TransactionalId: {}'s state is {}, but received transaction marker result to send: {}",
                 log_prefix_, transactional_id, enum_name(meta.state), commit ? "COMMIT" : "ABORT");
    out.error = ErrorCode::InvalidTxnState;
    return out;
  };
  bool markers = true;
  switch (meta.state) {
    case TxnState::kOngoing:
      break;
    case TxnState::kCompleteCommit:
    case TxnState::kCompleteAbort: {
      const bool same = (meta.state == TxnState::kCompleteCommit) == commit;
      if (is_retry) {
        if (same) return answer(meta);
        return invalid();
      }
      // Version 1: the same result again is answered as a retry; version 2
      // aborts with nothing open (bumping the epoch), and refuses a commit.
      if (!tv2) return same ? answer(meta) : invalid();
      if (commit) return invalid();
      markers = false;
      break;
    }
    case TxnState::kEmpty:
      if (commit || !tv2) return invalid();
      markers = false;
      break;
    case TxnState::kPrepareCommit:
    case TxnState::kPrepareAbort:
      if ((meta.state == TxnState::kPrepareCommit) == commit) {
        out.error = ErrorCode::ConcurrentTransactions;
        return out;
      }
      return invalid();
    default:
      return invalid();
  }
  TransactionMetadata marking = meta;
  TransactionMetadata next = meta;
  if (tv2) {
    // KIP-890: every EndTxn bumps the epoch, and the markers carry it.
    marking.producer_epoch = static_cast<int16_t>(meta.producer_epoch + 1);
    next.last_producer_epoch = meta.producer_epoch;
    next.producer_epoch = marking.producer_epoch;
    if (epoch_exhausted(marking.producer_epoch) && !rotate_producer_id(next)) {
      out.error = ErrorCode::UnknownServerError;
      return out;
    }
  }
  next.state = commit ? TxnState::kCompleteCommit : TxnState::kCompleteAbort;
  next.partitions.clear();
  next.groups.clear();
  next.client_transaction_version = transaction_version;
  next.last_update_timestamp_ms = now();
  if (!markers) {
    // An abort with nothing open starts and ends an empty transaction.
    marking.partitions.clear();
    marking.groups.clear();
    next.start_timestamp_ms = now();
  }
  if (!complete(marking, next, commit)) {
    out.error = ErrorCode::NotCoordinator;
    return out;
  }
  return answer(next);
}

std::optional<TransactionView> TransactionCoordinator::describe(const std::string& transactional_id) const {
  auto it = transactions_.find(transactional_id);
  if (it == transactions_.end()) return std::nullopt;
  const TransactionMetadata& m = it->second;
  TransactionView view;
  view.transactional_id = m.transactional_id;
  view.state = m.state;
  view.producer_id = m.producer_id;
  view.producer_epoch = m.producer_epoch;
  view.timeout_ms = m.timeout_ms;
  view.start_timestamp_ms = m.start_timestamp_ms;
  view.partitions.assign(m.partitions.begin(), m.partitions.end());
  const auto offsets_partitions =
      static_cast<int32_t>(config_.get_int("offsets.topic.num.partitions", kDefaultOffsetsPartitions));
  for (const auto& group : m.groups) {
    view.partitions.emplace_back("__consumer_offsets", java::partition_for(group, offsets_partitions));
  }
  return view;
}

std::vector<TransactionView> TransactionCoordinator::list() const {
  std::vector<TransactionView> out;
  for (const auto& [id, meta] : transactions_) out.push_back(*describe(id));
  return out;
}

size_t TransactionCoordinator::abort_timed_out_transactions() {
  const int64_t time = now();
  std::vector<std::string> expired;
  for (const auto& [id, meta] : transactions_) {
    if (meta.state == TxnState::kOngoing && meta.start_timestamp_ms + meta.timeout_ms < time) expired.push_back(id);
  }
  size_t aborted = 0;
  for (const auto& id : expired) {
    const TransactionMetadata meta = transactions_.at(id);
    spdlog::info("{}Aborting the ongoing transaction of transactionalId {} with producerId {} and epoch {}: it "
                 "has been open longer than its timeout of {} ms",
                 log_prefix_, id, meta.producer_id, meta.producer_epoch, meta.timeout_ms);
    if (fence_and_abort(meta)) {
      ++aborted;
      spdlog::info("{}Completed rollback of ongoing transaction for transactionalId {} due to timeout", log_prefix_,
                   id);
    } else {
      spdlog::warn("{}Rollback of ongoing transaction for transactionalId {} failed due to error NOT_COORDINATOR",
                   log_prefix_, id);
    }
  }
  return aborted;
}

size_t TransactionCoordinator::expire_transactional_ids() {
  const int64_t time = now();
  const int64_t expiration = config_.get_int("transactional.id.expiration.ms", kDefaultIdExpirationMs);
  std::vector<std::string> expired;
  for (const auto& [id, meta] : transactions_) {
    const bool idle = meta.state == TxnState::kEmpty || is_complete(meta.state);
    if (idle && meta.last_update_timestamp_ms + expiration <= time) expired.push_back(id);
  }
  if (expired.empty()) return 0;
  storage::WriteBatch write;
  for (const auto& id : expired) write.remove(keys::transaction(id));
  if (store_.apply(write)) return 0;
  for (const auto& id : expired) {
    spdlog::info("Expired transactionalId {}: no transaction for {} ms", id, expiration);
    transactions_.erase(id);
  }
  return expired.size();
}

}  // namespace kafkalite::txn
