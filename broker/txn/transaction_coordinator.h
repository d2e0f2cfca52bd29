// The transaction coordinator, after Kafka 4.1.1's TransactionCoordinator
// and TransactionStateManager (KIP-98, KIP-360, KIP-447, KIP-890): hands out
// producer ids and epochs per transactional id, fences zombies, tracks what
// each transaction holds, and ends it by writing COMMIT or ABORT markers to
// its partitions and committing or dropping its pending offsets.
//
// Differs from Kafka, as a single node allows: a transaction ends in one
// write — every marker, the pending offsets and the CompleteCommit or
// CompleteAbort state together — so PrepareCommit, PrepareAbort and
// PrepareEpochFence are never seen from outside, and a restart never finds
// a transaction half ended. The transaction log is kept under 'X' keys
// rather than in a __transaction_state topic.
//
// Transaction version 2 (KIP-890 part 2) is chosen per request, as Kafka
// chooses it: EndTxn v5+, AddPartitionsToTxn v4+ and Produce v12+ /
// TxnOffsetCommit v5+ (partitions added implicitly) speak it; older versions
// get version 1 behaviour.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "broker/cluster/features.h"
#include "broker/cluster/node.h"
#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"
#include "broker/fetch/partition_waiters.h"
#include "broker/group/group_coordinator.h"
#include "broker/storage/kv_store.h"
#include "broker/txn/transaction_metadata.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::txn {

using protocol::ErrorCode;

struct ProducerIdAndEpoch {
  ErrorCode error = ErrorCode::None;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
};

// What DescribeTransactions and ListTransactions show of one id.
struct TransactionView {
  std::string transactional_id;
  TxnState state = TxnState::kEmpty;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t timeout_ms = 0;
  int64_t start_timestamp_ms = -1;
  std::vector<TopicPartitionName> partitions;  // __consumer_offsets' for groups
};

class TransactionCoordinator {
 public:

  // `features` gives the cluster's finalized transaction.version, which the
  // coordinator's own aborts (fencing, timeouts) follow, as Kafka's do.
  TransactionCoordinator(const config::BrokerConfig& config, storage::KvStore& store, cluster::Node& node,
                         const cluster::Features& features, cluster::TopicRegistry& topics,
                         broker::group::GroupCoordinator& groups, fetch::PartitionWaiters& waiters);

  // Reads every transactional id's state back (at start-up), and leads the
  // transaction log two epochs on, as a restarted Kafka node does.
  void load();
  // Kafka's coordinator epoch (in markers): the leader epoch of the
  // transaction log's partitions, 0 from their creation, two more after
  // every restart since.
  int32_t coordinator_epoch() const { return coordinator_epoch_; }
  // A transactional id was looked up (FindCoordinator, InitProducerId):
  // Kafka creates __transaction_state then, if it has none yet.
  void state_log_used();
  void set_clock(std::function<int64_t()> clock) { clock_ = std::move(clock); }

  // InitProducerId with a transactional id. `expected` is the producer id
  // and epoch a producer recovering from an error sends (KIP-360).
  ProducerIdAndEpoch init_producer_id(const std::string& transactional_id, int32_t timeout_ms,
                                      std::optional<std::pair<int64_t, int16_t>> expected);

  // AddPartitionsToTxn from the client (v0-3) or from a broker (v4+): an
  // error for each partition. `verify_only` checks without adding: a
  // partition outside the transaction gets TRANSACTION_ABORTABLE.
  std::vector<ErrorCode> add_partitions(const std::string& transactional_id, int64_t producer_id, int16_t epoch,
                           const std::vector<TopicPartitionName>& partitions, bool verify_only,
                           int16_t transaction_version);
  // AddOffsetsToTxn: the group's offsets join the transaction.
  ErrorCode add_offsets(const std::string& transactional_id, int64_t producer_id, int16_t epoch,
                        const std::string& group_id, int16_t transaction_version);
  // A transactional batch for `partition` (Produce): the partition must be
  // in the transaction, or, with transaction version 2, is added now.
  ErrorCode verify_produce(const std::string& transactional_id, int64_t producer_id, int16_t epoch,
                           const TopicPartitionName& partition, int16_t transaction_version);
  // TxnOffsetCommit: the group must be in the transaction (or, with
  // transaction version 2, is added now).
  ErrorCode verify_offsets(const std::string& transactional_id, int64_t producer_id, int16_t epoch,
                           const std::string& group_id, int16_t transaction_version);
  // EndTxn: commits or aborts; with transaction version 2 the answer
  // carries the bumped epoch (or a new producer id).
  ProducerIdAndEpoch end_transaction(const std::string& transactional_id, int64_t producer_id, int16_t epoch,
                                     bool commit, int16_t transaction_version);

  std::optional<TransactionView> describe(const std::string& transactional_id) const;
  std::vector<TransactionView> list() const;

  // Aborts, fencing their producers, the transactions open longer than their
  // timeout (every transaction.abort.timed.out.transaction.cleanup.interval.ms).
  size_t abort_timed_out_transactions();
  // Forgets ids idle for transactional.id.expiration.ms with no open
  // transaction (every transaction.remove.expired.transaction.cleanup.interval.ms).
  size_t expire_transactional_ids();

 private:
  int64_t now() const { return clock_(); }
  TransactionMetadata* find(const std::string& transactional_id);
  // The checks every request on an existing id makes first.
  ErrorCode check_producer(const TransactionMetadata* meta, int64_t producer_id, int16_t epoch) const;
  // Stores `next` for its id, then makes it the id's state; false if the
  // store refused.
  bool put(const TransactionMetadata& next);
  // Fences the producer of `meta`'s open transaction and aborts it
  // (InitProducerId on an Ongoing id, the timeout); false if the store refused.
  bool fence_and_abort(const TransactionMetadata& meta);
  int32_t state_partition(const std::string& transactional_id) const;
  // Adds partitions or groups to the transaction (starting it when none is open).
  ErrorCode add_to_transaction(TransactionMetadata& meta, const std::vector<TopicPartitionName>& partitions,
                               const std::vector<std::string>& groups, int16_t transaction_version);
  // Ends the open transaction of `meta` with markers at `marker_epoch`, in
  // one write, and leaves `next` as the id's state.
  bool complete(const TransactionMetadata& meta, TransactionMetadata next, bool commit);
  // Moves `next` to a new producer id at epoch 0 (its epoch is exhausted),
  // keeping the old id as the previous one; false when no id can be stored.
  bool rotate_producer_id(TransactionMetadata& next);

  const config::BrokerConfig& config_;
  storage::KvStore& store_;
  cluster::Node& node_;
  const cluster::Features& features_;
  cluster::TopicRegistry& topics_;
  broker::group::GroupCoordinator& groups_;
  fetch::PartitionWaiters& waiters_;
  std::function<int64_t()> clock_;
  std::string log_prefix_;
  std::map<std::string, TransactionMetadata> transactions_;
  bool state_log_exists_ = false;
  int32_t coordinator_epoch_ = 0;
};

}  // namespace kafkalite::txn
