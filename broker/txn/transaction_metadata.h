// One transactional id's state, as Kafka's TransactionMetadata keeps it: the
// producer id and epoch it hands out, the transaction timeout, the state of
// the current transaction and what is in it. Stored under the id's 'X' key
// (storage/README.md) in a versioned format.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace kafkalite::txn {

// Kafka's TransactionState, with its ids (TransactionState.java).
enum class TxnState : int8_t {
  kEmpty = 0,
  kOngoing = 1,
  kPrepareCommit = 2,
  kPrepareAbort = 3,
  kCompleteCommit = 4,
  kCompleteAbort = 5,
  kDead = 6,
  kPrepareEpochFence = 7,
};

// "Empty", "Ongoing", ... as DescribeTransactions and ListTransactions name them.
std::string_view state_name(TxnState state);
std::optional<TxnState> state_from_name(std::string_view name);
// "EMPTY", "ONGOING", ... as Kafka's log lines print the state.
std::string_view enum_name(TxnState state);

using TopicPartitionName = std::pair<std::string, int32_t>;

struct TransactionMetadata {
  std::string transactional_id;
  int64_t producer_id = -1;
  // The id before the last one handed out (an epoch overflow moves to a
  // new id), for a retried request to recognise.
  int64_t previous_producer_id = -1;
  int16_t producer_epoch = -1;
  // The epoch before the last bump, for a retried EndTxn (transaction version 2).
  int16_t last_producer_epoch = -1;
  int32_t timeout_ms = 0;
  TxnState state = TxnState::kEmpty;
  // The partitions in the open transaction, and the groups whose offsets
  // are in it (Kafka adds the group's __consumer_offsets partition).
  std::set<TopicPartitionName> partitions;
  std::set<std::string> groups;
  int64_t start_timestamp_ms = -1;
  int64_t last_update_timestamp_ms = -1;
  // 2 when the client speaks transaction version 2 (KIP-890): an epoch
  // bump on every EndTxn, partitions added by Produce itself.
  int16_t client_transaction_version = 0;

  bool in_flight() const { return state == TxnState::kOngoing; }
  std::string serialize() const;
  static std::optional<TransactionMetadata> parse(std::string_view transactional_id, std::string_view bytes);
};

}  // namespace kafkalite::txn
