// Committed offsets, for every kind of group: kept in memory, stored under
// 'O' keys (storage/README.md) with each commit in one write, and expired by
// offsets.retention.minutes by the rule the owning group's state gives.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "broker/group/offsets_topic.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::broker::group {

struct CommittedOffset {
  int64_t offset = -1;
  int32_t leader_epoch = -1;
  std::string metadata;
  int64_t commit_timestamp_ms = 0;
  int64_t expire_timestamp_ms = -1;  // -1: by the group's retention rules
};

using GroupOffsets = std::map<std::string, std::map<int32_t, CommittedOffset>>;  // topic -> partition ->
using OffsetRef = std::pair<std::string, int32_t>;                                  // topic, partition

// Which of a group's offsets may expire, and from when (Kafka's
// offsetExpirationCondition for the group's current state).
struct ExpiryRule {
  enum class Scope { kNone, kAll, kUnsubscribed } scope = Scope::kNone;
  // Age is counted from this time when set (when an Empty group became
  // Empty), else from each offset's commit time.
  std::optional<int64_t> base_timestamp_ms;
  // For kUnsubscribed: is the group subscribed to this topic?
  std::function<bool(const std::string& topic)> subscribed;
};

class OffsetStore {
 public:
  // Each change is also a record of `topic` (__consumer_offsets), written
  // at `clock`'s time in the same write.
  OffsetStore(storage::KvStore& store, const OffsetsTopic& topic, std::function<int64_t()> clock)
      : store_(store), topic_(topic), clock_(std::move(clock)) {}

  // Reads every stored offset; returns how many, and each group id once.
  size_t load(const std::function<void(const std::string& group_id)>& on_group);

  // Stores the offsets of one commit in one write, then keeps them.
  [[nodiscard]] storage::WriteResult commit(
      const std::string& group_id, const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets);
  std::optional<CommittedOffset> committed(const std::string& group_id, const std::string& topic,
                                           int32_t partition) const;
  GroupOffsets committed(const std::string& group_id) const;
  bool has_offsets(const std::string& group_id) const;
  [[nodiscard]] storage::WriteResult delete_offsets(const std::string& group_id,
                                                    const std::vector<OffsetRef>& partitions);

  // Removals that go in a write with other changes: add the keys to `batch`
  // and the tombstones to `records`, apply them, then forget. Each returns
  // how many offsets it staged.
  size_t stage_group_removal(const std::string& group_id, storage::WriteBatch& batch, OffsetsRecords& records) const;
  void forget_group(const std::string& group_id);
  size_t stage_topic_removal(const std::string& topic, storage::WriteBatch& batch, OffsetsRecords& records) const;
  size_t forget_topic(const std::string& topic);  // returns how many went

  // Transactional offsets (TxnOffsetCommit): kept per group and producer,
  // apart from the committed ones, until the producer's transaction ends;
  // stored under 'Q' keys. The transaction coordinator stages their end
  // (committed or dropped) in the write that carries its markers.
  // Their records are the transaction's (its producer id and epoch), ended
  // by the transaction's marker in the group's partition.
  [[nodiscard]] storage::WriteResult commit_pending(
      const std::string& group_id, int64_t producer_id, int16_t producer_epoch,
      const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets);
  // Whether an open transaction holds an offset of this partition (or, with
  // no topic, of any partition) of the group.
  bool has_pending(const std::string& group_id, const std::string& topic, int32_t partition) const;
  bool has_pending(const std::string& group_id) const;
  void stage_end_pending(const std::string& group_id, int64_t producer_id, bool commit,
                         storage::WriteBatch& batch) const;
  void apply_end_pending(const std::string& group_id, int64_t producer_id, bool commit);

  // The offsets of `group_id` that have expired at `now_ms` under `rule`.
  std::vector<OffsetRef> expired(const std::string& group_id, int64_t now_ms, int64_t retention_ms,
                                 const ExpiryRule& rule) const;

 private:
  bool supersedes(const std::string& group_id, const std::string& topic, int32_t partition,
                  const CommittedOffset& pending) const;

  storage::KvStore& store_;
  const OffsetsTopic& topic_;
  std::function<int64_t()> clock_;
  std::map<std::string, GroupOffsets> offsets_;
  std::map<std::string, std::map<int64_t, GroupOffsets>> pending_;  // group -> producer id ->
};

}  // namespace kafkalite::broker::group
