// One partition's log: record batches stored as received (base offset
// rewritten), the log start and end offsets, idempotent producers' state, and
// a sparse timestamp index. Every change that belongs together — the batch,
// the partition's offsets, the producer's state, the index — goes to the
// store in one WriteBatch, before memory changes.
//
// Segments, as Kafka's: the log is cut into segments, a new one rolled when
// a batch arrives that would take the active one past segment.bytes, or
// whose largest timestamp is segment.ms past the active segment's first
// batch's (by the clock when that batch had none); compacted topics roll by
// max.compaction.lag.ms too. Retention (delete policy) removes whole
// segments, oldest first: older than retention.ms by their largest
// timestamp (their last write when no record has one, as Kafka's file
// time), or beyond retention.bytes, or wholly below the log start; when
// every segment goes, the log starts again, empty, at its end.
//
// The index cuts each segment into blocks of about 1 MiB and keeps, per
// block, the largest record timestamp and the batch holding it, and when the
// block was last written; timestamp lookups read the block list and then at
// most one block.
//
// Transactions: a producer's first transactional batch opens its
// transaction here; the coordinator's COMMIT or ABORT marker closes it. The
// last stable offset is the first offset of the oldest open transaction;
// each aborted one is kept under an 'A' key (Kafka's transaction index) for
// read_committed fetches, read from the store, never held in memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/log/producer_state.h"
#include "broker/storage/keys.h"
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

// A transaction aborted in this partition, as Kafka's transaction index
// keeps it: its first offset, its ABORT marker's offset, and the last stable
// offset once it ended.
struct AbortedTxn {
  int64_t producer_id = -1;
  int64_t first_offset = -1;
  int64_t last_offset = -1;
  int64_t last_stable_offset = -1;
};

// One entry of Kafka's leader-epoch cache: the first offset written in an epoch.
struct EpochEntry {
  int32_t epoch = 0;
  int64_t start_offset = 0;
};

// The log cleaner's settings for a partition (the topic's and broker's configs).
struct CleanerRules {
  int64_t min_compaction_lag_ms = 0;
  int64_t max_compaction_lag_ms = INT64_MAX;
  double min_cleanable_dirty_ratio = 0.5;
  int64_t delete_retention_ms = 86400000;
  int64_t segment_bytes = 1073741824;     // cleaned segments are merged up to this
  int64_t dedupe_bytes = 128 << 20;       // log.cleaner.dedupe.buffer.size: the key map's bound
};

struct CleanResult {
  bool cleaned = false;
  int64_t first_dirty = 0, end_offset = 0;  // the dirty range cleaned
  int64_t records_removed = 0;
  int64_t bytes_before = 0, bytes_after = 0;
};

// How a partition's segments roll (the topic's configs).
struct SegmentRules {
  int64_t bytes = 1073741824;  // segment.bytes
  int64_t roll_ms = 604800000;  // segment.ms (or max.compaction.lag.ms when smaller, compacted topics)
};

struct TimestampLookup {
  int64_t timestamp = -1;
  int64_t offset = -1;  // -1: no such record
  int32_t leader_epoch = -1;  // of the batch holding it
};

class PartitionLog {
 public:
  // Index blocks close once they hold this many bytes of batches.
  static constexpr int64_t kIndexBlockBytes = 1 << 20;

  // Loads the partition's offsets, producers and index from the store (not its data).
  PartitionLog(storage::KvStore& store, const wire::Uuid& topic_id, int32_t partition);

  int32_t partition() const { return partition_; }
  int64_t log_start_offset() const { return state_.log_start_offset; }
  // Single node: the high watermark is the log end offset.
  int64_t log_end_offset() const { return state_.next_offset; }
  // The first offset of the oldest open transaction, else the high
  // watermark: read_committed consumers read below it.
  // Never below the log start (DeleteRecords and retention may pass an
  // open transaction's first offset, as Kafka's may).
  int64_t last_stable_offset() const {
    return open_txns_.empty() ? state_.next_offset : std::max(open_txns_.begin()->first, state_.log_start_offset);
  }
  int64_t size_bytes() const { return state_.size_bytes; }

  // Leader epochs (KIP-101, KIP-320). A partition starts at epoch 0; Kafka's
  // single node leads it again two epochs on after every restart (fenced,
  // then unfenced). Batches are stamped with the epoch they were written in;
  // the cache keeps where each epoch began, as Kafka's does, and what lies
  // below the log start is dropped from it (Kafka truncates it).
  int32_t leader_epoch() const { return leader_epoch_; }
  std::vector<EpochEntry> epoch_entries() const;
  // Leads the partition `epoch` on, from the log end: stages the change in
  // `batch`; apply_leader_epoch once it is written.
  void stage_leader_epoch(int32_t epoch, storage::WriteBatch& batch) const;
  void apply_leader_epoch(int32_t epoch);
  // OffsetForLeaderEpoch: the largest epoch at or below `requested` this
  // log knows and the offset it ended at (Kafka's LeaderEpochFileCache.endOffsetFor);
  // {-1, -1} when unknown.
  std::pair<int32_t, int64_t> end_offset_for_epoch(int32_t requested) const;

  // Appends one validated batch at wall-clock time `now_ms`. With
  // `log_append_time` >= 0 the batch's timestamps become that time
  // (LogAppendTime topics). `max_timestamp_delta` is the offset delta of the
  // batch's first record carrying its largest timestamp.
  AppendResult append(std::span<const uint8_t> batch, const records::BatchHeader& header,
                      int64_t log_append_time, int64_t now_ms, int32_t max_timestamp_delta = 0,
                      const SegmentRules& rules = {});

  // A batch the broker writes with other changes (a coordinator's records
  // with its state): stage_append adds the batch and the partition's
  // changes to `write`, unchecked; once the write is applied, apply_staged
  // puts them in memory. One staged append per partition and write.
  struct StagedAppend;
  StagedAppend stage_append(std::span<const uint8_t> batch, const records::BatchHeader& header,
                            int64_t log_append_time, int64_t now_ms, int32_t max_timestamp_delta,
                            const SegmentRules& rules, storage::WriteBatch& write) const;
  void apply_staged(StagedAppend&& staged);

  // Appends up to `max_bytes` of the log, within the segment of the first
  // batch read (as Kafka reads one segment at a time), starting with the batch holding
  // `offset`, as a raw slice (the last batch may be cut short, as Kafka's
  // are) — but at least that whole first batch when `at_least_one` (KIP-74,
  // so a large batch cannot block a consumer), and nothing when the limit
  // cannot hold the first batch. Returns the bytes appended.
  // Batches from `max_offset` on are left out (read_committed reads below
  // the last stable offset).
  // `end_offset`, when given, gets the offset after the last batch read.
  // Large batches in value files are left there (`out.files`), to be sent
  // from the file; the Bytes form reads them in.
  size_t read(int64_t offset, size_t max_bytes, bool at_least_one, wire::Records& out,
              int64_t max_offset = INT64_MAX, int64_t* end_offset = nullptr) const;
  size_t read(int64_t offset, size_t max_bytes, bool at_least_one, wire::Bytes& out,
              int64_t max_offset = INT64_MAX, int64_t* end_offset = nullptr) const;
  // Batches of a file read together of at least this many bytes go out
  // from the file (sendfile) instead of being copied: below it a copy
  // costs less than the extra system calls.
  static constexpr size_t kSendFromFileBytes = 32 << 10;
  // The aborted transactions a read_committed fetch from `fetch_offset` that
  // returned data below `upper_bound` must report (Kafka's
  // collectAbortedTxns), oldest marker first.
  std::vector<AbortedTxn> aborted_transactions(int64_t fetch_offset, int64_t upper_bound) const;

  // A transaction marker for `producer_id`, written by the transaction
  // coordinator with its other changes: stage_marker adds the control batch
  // and the partition's changes to `write`; once the write is applied,
  // apply_staged puts them in memory. Staging never fails; the write may.
  struct StagedMarker;
  StagedMarker stage_marker(int64_t producer_id, int16_t producer_epoch, int32_t coordinator_epoch, bool commit,
                            int64_t now_ms, storage::WriteBatch& write, const SegmentRules& rules = {}) const;
  void apply_staged(StagedMarker&& staged);

  // The first record at or after the log start whose timestamp is >= `timestamp`.
  TimestampLookup offset_for_timestamp(int64_t timestamp) const;
  // The record with the largest timestamp (ListOffsets MAX_TIMESTAMP); the
  // earliest such record when several share it. As Kafka answers from its
  // segments' figures, after DeleteRecords this may be a record below the
  // log start; retention never leaves one.
  TimestampLookup max_timestamp() const;

  // Moves the log start forward, deleting batches entirely below it
  // (DeleteRecords: the segments stay, with their figures, as Kafka's do).
  [[nodiscard]] storage::WriteResult delete_records_before(int64_t offset) { return delete_before(offset, false); }
  // Retention (see above): deletes the oldest segments whose newest record
  // is older than `older_than` (-1: no time limit), then those that take
  // the log over `max_bytes` (-1: no size limit), then those wholly below
  // the log start; `delete_policy` false (compact only): only the last.
  // Returns how many segments went.
  size_t enforce_retention(int64_t older_than, int64_t max_bytes, bool delete_policy = true);
  // The segments' base offsets, oldest first (inspect, tests).
  std::vector<int64_t> segment_bases() const;

  // Log compaction (cleanup.policy compact), as Kafka's cleaner does it (log/log_cleaner.cpp).
  CleanResult clean(const CleanerRules& rules, int64_t now_ms);
  // Where the cleaner has cleaned up to (its checkpoint).
  int64_t cleaned_to() const { return state_.cleaned_to; }

  // Producers (idempotent and transactional) that have written here (DescribeProducers).
  const std::map<int64_t, ProducerState>& producers() const { return producers_; }
  // Forgets producers whose last batch's timestamp is `expiration_ms` or
  // more before `now_ms` (producer.id.expiration.ms). Returns how many went.
  size_t expire_producers(int64_t now_ms, int64_t expiration_ms);

 private:
  // The partition's offsets, stored under its 'P' key.
  struct State {
    int64_t log_start_offset = 0;
    int64_t next_offset = 0;
    int64_t size_bytes = 0;
    int64_t cleaned_to = 0;  // the log cleaner's checkpoint: its first dirty offset
  };
  // One index block, stored under its 'K' key.
  struct Block {
    int64_t first_offset = 0;
    int64_t last_offset = -1;
    int64_t bytes = 0;
    int64_t max_timestamp = -1;
    int64_t max_timestamp_offset = -1;  // the first record carrying it
    int64_t last_append_ms = -1;
    // The segment it belongs to: its base offset, its first batch's largest
    // timestamp and when it was rolled (its roll clock), and its bytes up to
    // and including this block.
    int64_t segment_base = 0;
    int64_t segment_first_timestamp = -1;
    int64_t segment_created_ms = -1;
    int64_t segment_bytes = 0;
  };
  void put_state(storage::WriteBatch& batch, const State& state) const;
  void put_block(storage::WriteBatch& batch, const Block& block) const;
  // The block holding `offset`, or blocks_.end().
  std::map<int64_t, Block>::const_iterator block_of(int64_t offset) const;
  storage::WriteResult delete_before(int64_t offset, bool drop_segments);
  // A segment's figures, from its blocks.
  struct SegmentFigures {
    int64_t base = 0, last_offset = -1, bytes = 0, max_timestamp = -1, first_timestamp = -1, last_append_ms = -1;
  };
  std::vector<SegmentFigures> segments() const;
  // The base of the segment after the one holding `offset` (INT64_MAX: none).
  int64_t end_of_segment(int64_t offset) const;
  // Visits the batches from the one holding `offset` on, each whole with
  // its header, until `visit` returns false.
  template <typename Visit>
  void for_each_batch_from(int64_t offset, Visit&& visit) const;
  // As for_each_batch_from, each batch as stored (its base offset and its
  // bytes, read only as far as `visit` asks).
  template <typename Visit>
  void for_each_stored_batch_from(int64_t offset, Visit&& visit) const;
  // Fails the store (fail-stop) and throws storage::ReadError: a value
  // file no longer holds what the log points at.
  [[noreturn]] void file_cut_short() const;
  // A stored batch's header (its first bytes only).
  static std::optional<records::BatchHeader> read_header(const storage::StoredValue& value);

  // The block a batch of `bytes` at `first_offset`..`last_offset`, with
  // `max_timestamp`, goes to: the active segment's, or a new segment's.
  Block next_block(int64_t first_offset, int64_t last_offset, int64_t bytes, int64_t max_timestamp, int64_t now_ms,
                   const SegmentRules& rules) const;

  storage::KvStore& store_;
  wire::Uuid topic_id_;
  int32_t partition_;
  State state_;
  std::map<int64_t, Block> blocks_;  // by first offset
  std::map<int64_t, ProducerState> producers_;
  std::map<int64_t, int64_t> open_txns_;  // first offset -> producer id
  // The newest aborted transaction's marker offset (-1: none), not below the
  // newest one stored; looked up on the first read_committed fetch. A fetch
  // past it has none to report and reads no index.
  mutable std::optional<int64_t> last_aborted_marker_;
  int32_t leader_epoch_ = 0;
  std::map<int32_t, int64_t> epochs_{{0, 0}};  // epoch -> start offset, as stored
  std::map<int32_t, int64_t> epochs_after(int32_t epoch, int64_t start) const;
  // The leader epoch stamped on the batch holding `offset` (-1: none).
  int32_t batch_epoch_at(int64_t offset) const;

 public:
  struct StagedMarker {
    State state;
    Block block;
    int64_t producer_id = -1;
    ProducerState producer;
    int64_t offset = -1;           // the marker's
    int64_t closed_first = -1;     // the open transaction it closed, -1: none here
    bool aborted = false;          // it adds an entry to the aborted transactions
  };
  struct StagedAppend {
    State state;
    Block block;
    int64_t base = -1;
    int64_t producer_id = -1;
    std::optional<ProducerState> producer;
  };
};

template <typename Visit>
inline void PartitionLog::for_each_stored_batch_from(int64_t offset, Visit&& visit) const {
  const std::string begin = storage::keys::batches_begin(topic_id_, partition_);
  const std::string end = storage::keys::batches_end(topic_id_, partition_);
  // Start at the batch holding `offset`: the last one whose base is <= offset.
  const std::string start = storage::keys::batch(topic_id_, partition_, offset);
  store_.scan_from_floor(begin, start, end, [&](std::string_view key, const storage::StoredValue& value) {
    return visit(storage::keys::batch_base_offset(key), value);
  });
}

template <typename Visit>
inline void PartitionLog::for_each_batch_from(int64_t offset, Visit&& visit) const {
  std::string buffer;
  for_each_stored_batch_from(offset, [&](int64_t, const storage::StoredValue& stored) {
    const auto value = stored.whole(buffer);
    if (!value) return true;  // gone from under a reader beside the broker
    records::RecordsError ignored;
    const auto h = records::peek_batch_header(
        {reinterpret_cast<const uint8_t*>(value->data()), value->size()}, ignored);
    return visit(*value, h.value_or(records::BatchHeader{}));
  });
}

}  // namespace kafkalite::log
