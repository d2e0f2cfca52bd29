// One partition's log: record batches stored as received (base offset
// rewritten), the log start and end offsets, and idempotent producers' state.
// Every change that belongs together — the batch, the partition's offsets and
// the producer's state — goes to the store in one WriteBatch.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "broker/log/producer_state.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/generated/error_code.h"
#include "common/protocol/wire/types.h"
#include "common/records/record_batch.h"

namespace kafkalite::log {

struct AppendResult {
  protocol::ErrorCode error = protocol::ErrorCode::None;
  std::string message;
  int64_t base_offset = -1;
  int64_t log_append_time = -1;  // set when the topic uses LogAppendTime
};

struct TimestampLookup {
  int64_t timestamp = -1;
  int64_t offset = -1;  // -1: no such record
};

class PartitionLog {
 public:
  // Loads the partition's offsets and producers from the store (not its data).
  PartitionLog(storage::KvStore& store, const wire::Uuid& topic_id, int32_t partition);

  int32_t partition() const { return partition_; }
  int64_t log_start_offset() const { return state_.log_start_offset; }
  // Single node: the high watermark is the log end offset.
  int64_t log_end_offset() const { return state_.next_offset; }
  int64_t size_bytes() const { return state_.size_bytes; }

  // Appends one validated batch. With `log_append_time` >= 0 the batch's
  // timestamps become that time (LogAppendTime topics).
  AppendResult append(std::span<const uint8_t> batch, const records::BatchHeader& header,
                      int64_t log_append_time);

  // Appends up to `max_bytes` of the log, starting with the batch holding
  // `offset`, as a raw slice (the last batch may be cut short, as Kafka's
  // are) — but at least that whole first batch when `at_least_one` (KIP-74,
  // so a large batch cannot block a consumer). Returns the bytes appended.
  size_t read(int64_t offset, size_t max_bytes, bool at_least_one, wire::Bytes& out) const;

  // The first offset whose record timestamp is >= `timestamp`.
  TimestampLookup offset_for_timestamp(int64_t timestamp) const;
  // The record with the largest timestamp (ListOffsets MAX_TIMESTAMP).
  TimestampLookup max_timestamp() const;

  // Moves the log start forward, deleting batches entirely below it.
  storage::WriteResult delete_records_before(int64_t offset);
  // Retention: deletes the oldest batches whose newest record is older than
  // `older_than` (-1: no time limit) or that take the log over `max_bytes`
  // (-1: no size limit). Returns how many batches went.
  size_t enforce_retention(int64_t older_than, int64_t max_bytes);

  // Idempotent producers that have written here (DescribeProducers).
  const std::map<int64_t, ProducerState>& producers() const { return producers_; }

 private:
  // The partition's offsets, stored under its 'P' key.
  struct State {
    int64_t log_start_offset = 0;
    int64_t next_offset = 0;
    int64_t size_bytes = 0;
    TimestampLookup max_timestamp;
  };
  void put_state(storage::WriteBatch& batch, const State& state) const;
  template <typename Visit>
  void for_each_batch_from(int64_t offset, Visit&& visit) const;

  storage::KvStore& store_;
  wire::Uuid topic_id_;
  int32_t partition_;
  State state_;
  std::map<int64_t, ProducerState> producers_;
};

}  // namespace kafkalite::log
