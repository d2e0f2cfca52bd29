// A topic's effective settings: its overrides, else the broker's setting,
// else Kafka's default — the values the log and the handlers act on.
#pragma once

#include <cstdint>
#include <string>

#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"

namespace kafkalite::broker {

struct TopicConfig {
  int64_t retention_ms = 604800000;    // retention.ms (log.retention.ms; 7 days)
  int64_t retention_bytes = -1;        // retention.bytes (log.retention.bytes)
  int32_t max_message_bytes = 1048588; // max.message.bytes (message.max.bytes)
  bool log_append_time = false;        // message.timestamp.type=LogAppendTime
};

TopicConfig effective_topic_config(const config::BrokerConfig& broker, const cluster::Topic& topic);

}  // namespace kafkalite::broker
