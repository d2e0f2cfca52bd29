#include "broker/topic_config.h"

#include <cstdlib>

namespace kafkalite::broker {
namespace {

// Converts a synonym's value to the topic config's unit (ms).
std::string to_topic_unit(const std::string& synonym, const std::string& value) {
  long long factor = 1;
  if (synonym.ends_with(".hours")) factor = 3600000;
  if (synonym.ends_with(".minutes")) factor = 60000;
  if (factor == 1) return value;
  return std::to_string(std::strtoll(value.c_str(), nullptr, 10) * factor);
}

int64_t as_int(const std::optional<std::string>& value, int64_t fallback) {
  if (!value) return fallback;
  char* end = nullptr;
  const long long n = std::strtoll(value->c_str(), &end, 10);
  return end && *end == '\0' ? n : fallback;
}

}  // namespace

std::optional<std::string> inherited_topic_value(const config::BrokerConfig& broker,
                                                 const config::ConfigDefinition& definition,
                                                 ConfigSource& source) {
  for (const auto& synonym : definition.synonyms) {
    if (auto value = broker.get(synonym)) {
      source = ConfigSource::kStaticBroker;
      return to_topic_unit(synonym, *value);
    }
  }
  source = ConfigSource::kDefault;
  return definition.default_value;
}

std::optional<std::string> topic_config_value(const config::BrokerConfig& broker,
                                              const cluster::Topic& topic, const std::string& name) {
  auto it = topic.configs.find(name);
  if (it != topic.configs.end()) return it->second;
  const auto* definition = config::find_topic_config(name);
  if (!definition) return std::nullopt;
  ConfigSource ignored;
  return inherited_topic_value(broker, *definition, ignored);
}

TopicConfig effective_topic_config(const config::BrokerConfig& broker, const cluster::Topic& topic) {
  TopicConfig c;
  c.retention_ms = as_int(topic_config_value(broker, topic, "retention.ms"), -1);
  c.retention_bytes = as_int(topic_config_value(broker, topic, "retention.bytes"), -1);
  c.max_message_bytes =
      static_cast<int32_t>(as_int(topic_config_value(broker, topic, "max.message.bytes"), 1048588));
  c.log_append_time = topic_config_value(broker, topic, "message.timestamp.type") == "LogAppendTime";
  return c;
}

}  // namespace kafkalite::broker
