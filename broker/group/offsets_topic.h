// __consumer_offsets, as Kafka's group coordinator writes it: each offset
// commit, each change of a classic group's membership and each removal is a
// record in the partition abs(hash(groupId)) % offsets.topic.num.partitions,
// in Kafka's format (common/protocol/generated/coordinator_records.h): the
// key is the record type and the key fields, the value its version and
// fields, a removal is a tombstone. The topic is compacted, so what it keeps
// is each group's newest record per key.
//
// The records go in the same write as the coordinator's own keys ('G', 'O',
// 'Q'), and the coordinator loads from those keys at start rather than by
// reading the topic back: the keys hold exactly what a replay of the topic
// would give (its newest value per key), they are written atomically with
// the records so the two never disagree, and a start-up then reads one key
// per group and offset instead of the whole log.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/log/partition_log.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/generated/coordinator_records.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::broker::group {

struct CommittedOffset;

// A partition of __consumer_offsets and how its segments roll; no log when
// the topic cannot be had.
struct OffsetsPartition {
  log::PartitionLog* log = nullptr;
  log::SegmentRules rules;
};

class OffsetsTopic {
 public:
  static constexpr const char* kName = "__consumer_offsets";
  // `open` finds (or makes) the topic's partition; `appended` hears of each
  // partition written (to wake fetches waiting on it). Until attached,
  // records go nowhere (a coordinator on its own, in unit tests).
  void attach(int32_t partitions, std::function<OffsetsPartition(int32_t partition)> open,
              std::function<void(int32_t partition)> appended = nullptr) {
    partitions_ = partitions;
    open_ = std::move(open);
    appended_ = std::move(appended);
  }
  bool attached() const { return static_cast<bool>(open_); }
  // Kafka's partitionFor: abs(groupId.hashCode()) % partitions.
  int32_t partition_for(const std::string& group_id) const;
  OffsetsPartition open(int32_t partition) const { return open_ ? open_(partition) : OffsetsPartition{}; }
  void appended(int32_t partition) const {
    if (appended_) appended_(partition);
  }

 private:
  int32_t partitions_ = 50;
  std::function<OffsetsPartition(int32_t)> open_;
  std::function<void(int32_t)> appended_;
};

// The records of one write, a batch per partition, staged into the write
// that carries the coordinator's keys and put in memory once it is stored.
class OffsetsRecords {
 public:
  explicit OffsetsRecords(const OffsetsTopic* topic) : topic_(topic) {}

  void offset_commit(const std::string& group_id, const std::string& topic, int32_t partition,
                     const CommittedOffset& offset);
  void offset_tombstone(const std::string& group_id, const std::string& topic, int32_t partition);
  void group_metadata(const std::string& group_id, const protocol::GroupMetadataValue& value);
  void group_tombstone(const std::string& group_id);
  bool empty() const { return records_.empty(); }

  // Adds the batches to `write`: plain ones, or a transaction's
  // (TxnOffsetCommit) with its producer id and epoch.
  void stage(storage::WriteBatch& write, int64_t now_ms, int64_t producer_id = -1, int16_t producer_epoch = -1);
  // After the write is stored.
  void apply();

 private:
  void add(const std::string& group_id, wire::Bytes key, std::optional<wire::Bytes> value);

  const OffsetsTopic* topic_;
  std::map<int32_t, std::vector<std::pair<wire::Bytes, std::optional<wire::Bytes>>>> records_;
  struct Staged {
    int32_t partition;
    log::PartitionLog* log;
    log::PartitionLog::StagedAppend append;
  };
  std::vector<Staged> staged_;
};

}  // namespace kafkalite::broker::group
