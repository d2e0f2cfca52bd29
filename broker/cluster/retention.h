// The periodic work on every partition: retention.ms and retention.bytes
// (every log.retention.check.interval.ms), log compaction (every
// log.cleaner.backoff.ms), and expiring idle producers' state
// (producer.id.expiration.ms, every producer.id.expiration.check.interval.ms).
#pragma once

#include <cstdint>

#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"

namespace kafkalite::cluster {

// Deletes what retention allows at `now_ms`; logs each partition it trims.
void enforce_retention(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms);

// Compacts every partition of a compacted topic the cleaner's rules call
// for (log/log_cleaner.cpp); logs each clean as Kafka's cleaner does.
// Returns how many partitions were cleaned.
size_t clean_logs(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms);

// Forgets producers whose last batch is producer.id.expiration.ms old.
void expire_producers(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms);

}  // namespace kafkalite::cluster
