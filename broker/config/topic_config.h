// A topic's effective settings: its override, else the first broker synonym
// that is set (hours and minutes converted to ms), else Kafka's default —
// the values the log and the handlers act on, and DescribeConfigs shows.
#pragma once

#include <algorithm>
#include <cstdint>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <map>

#include "broker/config/broker_config.h"
#include "broker/config/kafka_configs.h"

namespace kafkalite::config {

// DescribeConfigs' config_source numbering.
enum class ConfigSource : int8_t {
  kTopic = 1, kDynamicBroker = 2, kDynamicDefaultBroker = 3, kStaticBroker = 4, kDefault = 5,
};

struct ConfigSynonym {
  std::string name;
  std::optional<std::string> value;
  ConfigSource source;
};

// Cluster-wide dynamic defaults. A KRaft cluster starts with one:
// min.insync.replicas (written when formatting, for ELR: cluster/features.h).
std::optional<std::string> dynamic_default_config(const config::BrokerConfig& broker,
                                                  const std::string& name);

// A config's broker-level synonyms as Kafka's DescribeConfigs lists them:
// by source (this broker's dynamic config, the dynamic default, static,
// Kafka's default), each in the synonyms' order, then everything before the
// first entry named `primary` (default: the first synonym) dropped — so
// "log.retention.hours" alone does not show under retention.ms, as in Kafka.
std::vector<ConfigSynonym> broker_synonyms(const config::BrokerConfig& broker,
                                           const std::vector<std::string>& names,
                                           const std::string& primary = "");

// A broker config's synonyms, as Kafka's DynamicBrokerConfig.brokerConfigSynonyms
// lists them (log.retention.ms, .minutes and .hours are one config, ...).
std::vector<std::string> broker_config_synonyms(const std::string& name);

// The value a topic without an override sees, and where it comes from.
std::optional<std::string> inherited_topic_value(const config::BrokerConfig& broker,
                                                 const config::ConfigDefinition& definition,
                                                 ConfigSource& source);

// A topic's config overrides: name -> value.
using TopicOverrides = std::map<std::string, std::string>;

// The effective value of a topic config (an override, else inherited).
std::optional<std::string> topic_config_value(const config::BrokerConfig& broker,
                                              const TopicOverrides& overrides, const std::string& name);

struct TopicConfig {
  int64_t retention_ms = -1;      // retention.ms
  int64_t retention_bytes = -1;   // retention.bytes
  int32_t max_message_bytes = 0;  // max.message.bytes
  bool log_append_time = false;   // message.timestamp.type=LogAppendTime
  int64_t segment_bytes = 1073741824;       // segment.bytes
  int64_t segment_ms = 604800000;           // segment.ms (log.roll.ms / log.roll.hours)
  int64_t max_compaction_lag_ms = INT64_MAX;  // max.compaction.lag.ms
  int64_t min_compaction_lag_ms = 0;          // min.compaction.lag.ms
  double min_cleanable_dirty_ratio = 0.5;     // min.cleanable.dirty.ratio
  int64_t delete_retention_ms = 86400000;     // delete.retention.ms
  bool delete_policy = true;                // cleanup.policy holds "delete"
  bool compact_policy = false;              // cleanup.policy holds "compact"
  // Kafka's maxSegmentMs: a compacted topic's segments roll by
  // max.compaction.lag.ms too, so the cleaner can reach their records.
  int64_t roll_ms() const {
    return compact_policy && max_compaction_lag_ms > 0 ? std::min(segment_ms, max_compaction_lag_ms) : segment_ms;
  }
};

TopicConfig effective_topic_config(const config::BrokerConfig& broker, const TopicOverrides& overrides);

// One topic's effective config, worked out again only when its overrides or
// the broker's config have changed since the last time: the produce path
// asks on every batch, and working it out walks each setting's synonyms.
class TopicConfigCache {
 public:
  const TopicConfig& get(const config::BrokerConfig& broker, const TopicOverrides& overrides) const;

 private:
  mutable std::optional<TopicConfig> config_;
  mutable uint64_t generation_ = 0;
  mutable TopicOverrides overrides_;
};

}  // namespace kafkalite::config
