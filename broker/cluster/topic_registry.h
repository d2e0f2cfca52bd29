// The topics this broker holds: names, ids, partition logs and config
// overrides. Topic records live in the store; partition data is loaded lazily
// by each PartitionLog (offsets only), so start-up does not read the log.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "broker/config/topic_config.h"
#include "broker/log/partition_log.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/generated/error_code.h"
#include "common/protocol/strong_types.h"

namespace kafkalite::cluster {

struct Topic {
  std::string name;
  wire::Uuid id;
  std::map<std::string, std::string> configs;  // overrides only
  std::vector<std::unique_ptr<log::PartitionLog>> partitions;
  config::TopicConfigCache config_cache;

  // Its settings: `configs` over the broker's.
  const config::TopicConfig& effective_config(const config::BrokerConfig& broker) const {
    return config_cache.get(broker, configs);
  }

  int32_t partition_count() const { return static_cast<int32_t>(partitions.size()); }
  log::PartitionLog* partition(int32_t index) const {
    return index >= 0 && index < partition_count() ? partitions[static_cast<size_t>(index)].get()
                                                   : nullptr;
  }
};

class TopicRegistry {
 public:
  explicit TopicRegistry(storage::KvStore& store);

  Topic* find(const std::string& name);
  Topic* find(const protocol::TopicName& name) { return find(name.value()); }
  Topic* find(const wire::Uuid& id);
  const std::map<std::string, std::unique_ptr<Topic>>& all() const { return topics_; }
  // How many topics this broker has created since it started (the group
  // coordinator re-resolves regular expressions when it grows).
  uint64_t creations() const { return creations_; }
  // An existing topic whose name collides with `name` ('.' vs '_'), if any.
  Topic* find_collision(const std::string& name);

  // A fresh random (version 4) id no topic has.
  wire::Uuid new_topic_id();
  // Each change is stored before it is made in memory; when the store
  // refuses the write nothing changes (create returns null).
  Topic* create(const std::string& name, int32_t partitions,
                std::map<std::string, std::string> configs);
  [[nodiscard]] storage::WriteResult add_partitions(Topic& topic, int32_t new_count);
  [[nodiscard]] storage::WriteResult set_configs(Topic& topic,
                                                 std::map<std::string, std::string> configs);
  // Deleting a topic is two steps, so that whatever else goes with it (its
  // committed offsets) is removed in the same write: add the topic's keys to
  // `batch`, apply the batch, then forget the topic.
  void stage_removal(const Topic& topic, storage::WriteBatch& batch) const;
  void forget(const Topic& topic);
  // At start-up: every partition's leader epoch moves two on, as a Kafka
  // node's do across its restart (fenced at shutdown, unfenced at start),
  // in one write.
  [[nodiscard]] storage::WriteResult lead_again();

 private:
  static std::string serialize_with_partitions(const Topic& topic, int32_t partitions);
  void open_partitions(Topic& topic, int32_t count);

  storage::KvStore& store_;
  std::map<std::string, std::unique_ptr<Topic>> topics_;
  uint64_t creations_ = 0;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace kafkalite::cluster
