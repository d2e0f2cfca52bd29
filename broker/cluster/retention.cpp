#include "broker/cluster/retention.h"

#include <spdlog/spdlog.h>

#include "broker/config/topic_config.h"

namespace kafkalite::cluster {

void enforce_retention(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms) {
  for (auto& [name, topic] : topics.all()) {
    const config::TopicConfig cfg = config::effective_topic_config(config, topic->configs);
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
