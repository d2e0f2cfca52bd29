#include "broker/cluster/retention.h"

#include <spdlog/spdlog.h>

#include "broker/config/topic_config.h"

namespace kafkalite::cluster {

void enforce_retention(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms) {
  for (auto& [name, topic] : topics.all()) {
    const config::TopicConfig& cfg = topic->effective_config(config);
    for (auto& partition : topic->partitions) {
      const size_t deleted = partition->enforce_retention(cfg.retention_ms < 0 ? -1 : now_ms - cfg.retention_ms,
                                                          cfg.retention_bytes, cfg.delete_policy);
      if (deleted > 0) {
        spdlog::info("[UnifiedLog partition={}-{}] Deleted {} segment(s) by retention; log start offset now {}", name,
                     partition->partition(), deleted, partition->log_start_offset());
      }
    }
  }
}

size_t clean_logs(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms) {
  if (!config.get_bool("log.cleaner.enable", true)) return 0;
  size_t cleaned = 0;
  for (auto& [name, topic] : topics.all()) {
    const config::TopicConfig& cfg = topic->effective_config(config);
    if (!cfg.compact_policy) continue;
    log::CleanerRules rules;
    rules.min_compaction_lag_ms = cfg.min_compaction_lag_ms;
    rules.max_compaction_lag_ms = cfg.max_compaction_lag_ms;
    rules.min_cleanable_dirty_ratio = cfg.min_cleanable_dirty_ratio;
    rules.delete_retention_ms = cfg.delete_retention_ms;
    rules.segment_bytes = cfg.segment_bytes;
    rules.dedupe_bytes = config.get_int("log.cleaner.dedupe.buffer.size", rules.dedupe_bytes);
    for (auto& partition : topic->partitions) {
      const auto result = partition->clean(rules, now_ms);
      if (!result.cleaned) continue;
      ++cleaned;
      spdlog::info("[kafka-log-cleaner-thread-0]: Log cleaner thread 0 cleaned log {}-{} (dirty section = [{}, {}]): "
                   "{} record(s) removed, {} bytes before, {} after",
                   name, partition->partition(), result.first_dirty, result.end_offset, result.records_removed,
                   result.bytes_before, result.bytes_after);
    }
  }
  return cleaned;
}

void expire_producers(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms) {
  // Kafka's default: a day.
  const int64_t expiration = config.get_int("producer.id.expiration.ms", 86400000);
  for (auto& [name, topic] : topics.all()) {
    for (auto& partition : topic->partitions) {
      if (const size_t expired = partition->expire_producers(now_ms, expiration)) {
        spdlog::info("Expired {} producer(s) of {}-{} (producer.id.expiration.ms {})", expired, name,
                     partition->partition(), expiration);
      }
    }
  }
}

}  // namespace kafkalite::cluster
