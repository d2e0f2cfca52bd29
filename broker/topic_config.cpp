#include "broker/topic_config.h"

namespace kafkalite::broker {
namespace {

std::string setting(const config::BrokerConfig& broker, const cluster::Topic& topic,
                    const std::string& topic_key, const std::string& broker_key,
                    const std::string& fallback) {
  auto it = topic.configs.find(topic_key);
  if (it != topic.configs.end()) return it->second;
  return broker.get_or(broker_key, fallback);
}

int64_t to_int(const std::string& s, int64_t fallback) {
  try {
    return std::stoll(s);
  } catch (...) {
    return fallback;
  }
}

}  // namespace

TopicConfig effective_topic_config(const config::BrokerConfig& broker, const cluster::Topic& topic) {
  TopicConfig c;
  // Kafka derives log.retention.ms from log.retention.minutes/hours when unset.
  int64_t broker_retention = broker.get_int("log.retention.hours", 168) * 3600000;
  if (broker.is_set("log.retention.minutes")) {
    broker_retention = broker.get_int("log.retention.minutes", 0) * 60000;
  }
  if (broker.is_set("log.retention.ms")) broker_retention = broker.get_int("log.retention.ms", 0);
  c.retention_ms = to_int(setting(broker, topic, "retention.ms", "log.retention.ms",
                                  std::to_string(broker_retention)),
                          broker_retention);
  c.retention_bytes =
      to_int(setting(broker, topic, "retention.bytes", "log.retention.bytes", "-1"), -1);
  c.max_message_bytes = static_cast<int32_t>(
      to_int(setting(broker, topic, "max.message.bytes", "message.max.bytes", "1048588"), 1048588));
  c.log_append_time = setting(broker, topic, "message.timestamp.type",
                              "log.message.timestamp.type", "CreateTime") == "LogAppendTime";
  return c;
}

}  // namespace kafkalite::broker
