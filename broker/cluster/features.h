// Feature levels (KIP-584, in KRaft form): what this node supports, what the
// cluster has finalized, and UpdateFeatures' checks, with Kafka 4.1.1's
// ranges, defaults and messages (FeatureControlManager).
//
// Claimed, because kafkalite honours them:
// - metadata.version 7-27 (3.3-IV3 to 4.1-IV1), finalized 27;
// - kraft.version 0-1, finalized 0 (static voters): 1 turns the voter's
//   directory id on, as Kafka's upgrade does (cluster/quorum.h);
// - transaction.version 0-2, finalized 2 (KIP-890: the epoch bump at every
//   EndTxn, partitions added by Produce);
// - eligible.leader.replicas.version 0-1, finalized 1 (KIP-966: with one
//   replica the ELR lists stay empty; the rules that come with it are kept:
//   no broker-level min.insync.replicas, the cluster-level one cannot be
//   removed, and turning it on writes the cluster-level one).
// - group.version 0-1, finalized 1 (KIP-848: ConsumerGroupHeartbeat is
//   served at 1 and above).
// Not claimed: share.version (no share groups); streams.version is not
// claimed by 4.1.1 either. A feature not claimed is refused as Kafka refuses a feature
// it does not know.
//
// Levels are kept under 'M feature.<name>'; the first start writes the
// defaults of a freshly formatted 4.1.1 cluster. Every change is a metadata
// record (cluster/quorum.h), and the finalized features' epoch is the
// metadata log's last offset, as Kafka's is.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "broker/cluster/dynamic_configs.h"
#include "broker/cluster/quorum.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::cluster {

struct FeatureRange {
  std::string name;
  int16_t min = 0;
  int16_t max = 0;
};

class Features {
 public:
  static constexpr const char* kMetadataVersion = "metadata.version";
  static constexpr const char* kKraftVersion = "kraft.version";
  static constexpr const char* kTransactionVersion = "transaction.version";
  static constexpr const char* kElrVersion = "eligible.leader.replicas.version";
  static constexpr const char* kGroupVersion = "group.version";

  // Reads the finalized levels; on the first start, writes a new cluster's
  // (with the cluster-level min.insync.replicas ELR wants). Throws
  // std::runtime_error when the store refuses (start-up only).
  Features(storage::KvStore& store, Quorum& quorum, DynamicConfigs& dynamic_configs);

  // What this node supports, in Kafka's order (its hash map's).
  std::vector<FeatureRange> supported() const;
  // The finalized levels above 0, in Kafka's order.
  std::vector<std::pair<std::string, int16_t>> finalized() const;
  // A feature's finalized level (0 when not finalized).
  int16_t level(const std::string& name) const;
  bool elr_enabled() const { return level(kElrVersion) >= 1; }

  enum class UpgradeType : int8_t { kUpgrade = 1, kSafeDowngrade = 2, kUnsafeDowngrade = 3 };
  struct Update {
    std::string feature;
    int16_t level = 0;
    int8_t upgrade_type = 1;
  };
  struct Error {
    protocol::ErrorCode code = protocol::ErrorCode::None;
    std::string message;
  };
  // UpdateFeatures: all updates or none; the first failing one fails them all.
  Error update(const std::vector<Update>& updates, bool validate_only, int64_t now_ms);

 private:
  // Why `update` cannot be applied over `proposed` (the levels so far), or "".
  std::string refusal(const Update& update, const std::map<std::string, int16_t>& proposed) const;

  storage::KvStore& store_;
  Quorum& quorum_;
  DynamicConfigs& dynamic_configs_;
  std::map<std::string, int16_t> levels_;  // finalized, level > 0
};

}  // namespace kafkalite::cluster
