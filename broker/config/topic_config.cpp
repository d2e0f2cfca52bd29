#include "broker/config/topic_config.h"

#include <algorithm>
#include <cstdlib>

namespace kafkalite::config {
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

std::optional<std::string> dynamic_default_config(const config::BrokerConfig& broker,
                                                  const std::string& name) {
  auto it = broker.dynamic(true).find(name);
  if (it != broker.dynamic(true).end()) return it->second;
  return std::nullopt;
}

namespace {

std::optional<std::string> dynamic_broker_config(const config::BrokerConfig& broker, const std::string& name) {
  auto it = broker.dynamic(false).find(name);
  if (it == broker.dynamic(false).end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::vector<ConfigSynonym> broker_synonyms(const config::BrokerConfig& broker,
                                           const std::vector<std::string>& names, const std::string& primary) {
  std::vector<ConfigSynonym> out;
  for (const auto& n : names) {
    if (auto v = dynamic_broker_config(broker, n)) out.push_back({n, v, ConfigSource::kDynamicBroker});
  }
  for (const auto& n : names) {
    if (auto v = dynamic_default_config(broker, n)) out.push_back({n, v, ConfigSource::kDynamicDefaultBroker});
  }
  for (const auto& n : names) {
    if (auto v = broker.static_value(n)) out.push_back({n, v, ConfigSource::kStaticBroker});
  }
  for (const auto& n : names) {
    const auto* d = config::find_broker_config(n);
    if (d && d->default_value) out.push_back({n, d->default_value, ConfigSource::kDefault});
  }
  if (names.empty()) return out;
  auto first = std::find_if(out.begin(), out.end(),
                            [&](const ConfigSynonym& s) { return s.name == (primary.empty() ? names.front() : primary); });
  out.erase(out.begin(), first);
  return out;
}

std::vector<std::string> broker_config_synonyms(const std::string& name) {
  static const std::vector<std::vector<std::string>> groups = {
      {"log.roll.ms", "log.roll.hours"},
      {"log.roll.jitter.ms", "log.roll.jitter.hours"},
      {"log.retention.ms", "log.retention.minutes", "log.retention.hours"},
  };
  // log.flush.interval.ms falls back to the flush scheduler's interval.
  if (name == "log.flush.interval.ms") return {name, "log.flush.scheduler.interval.ms"};
  for (const auto& group : groups) {
    if (std::find(group.begin(), group.end(), name) != group.end()) return group;
  }
  return {name};
}

std::optional<std::string> inherited_topic_value(const config::BrokerConfig& broker,
                                                 const config::ConfigDefinition& definition,
                                                 ConfigSource& source) {
  const auto listed = broker_synonyms(broker, definition.synonyms);
  source = listed.empty() ? ConfigSource::kDefault : listed.front().source;
  // The value itself follows the broker's effective setting, whether or not
  // DescribeConfigs lists the synonym it came from: the first synonym set at
  // any level (this node's dynamic config, the cluster default, the static one).
  for (const auto& synonym : definition.synonyms) {
    if (auto value = dynamic_broker_config(broker, synonym)) return to_topic_unit(synonym, *value);
    if (auto value = dynamic_default_config(broker, synonym)) return to_topic_unit(synonym, *value);
    if (auto value = broker.static_value(synonym)) return to_topic_unit(synonym, *value);
  }
  return definition.default_value;
}

std::optional<std::string> topic_config_value(const config::BrokerConfig& broker,
                                              const TopicOverrides& overrides, const std::string& name) {
  auto it = overrides.find(name);
  if (it != overrides.end()) return it->second;
  const auto* definition = config::find_topic_config(name);
  if (!definition) return std::nullopt;
  ConfigSource ignored;
  return inherited_topic_value(broker, *definition, ignored);
}

TopicConfig effective_topic_config(const config::BrokerConfig& broker, const TopicOverrides& topic) {
  TopicConfig c;
  c.retention_ms = as_int(topic_config_value(broker, topic, "retention.ms"), -1);
  c.retention_bytes = as_int(topic_config_value(broker, topic, "retention.bytes"), -1);
  c.max_message_bytes =
      static_cast<int32_t>(as_int(topic_config_value(broker, topic, "max.message.bytes"), 1048588));
  c.log_append_time = topic_config_value(broker, topic, "message.timestamp.type") == "LogAppendTime";
  c.segment_bytes = as_int(topic_config_value(broker, topic, "segment.bytes"), c.segment_bytes);
  c.segment_ms = as_int(topic_config_value(broker, topic, "segment.ms"), c.segment_ms);
  c.max_compaction_lag_ms = as_int(topic_config_value(broker, topic, "max.compaction.lag.ms"), c.max_compaction_lag_ms);
  c.min_compaction_lag_ms = as_int(topic_config_value(broker, topic, "min.compaction.lag.ms"), 0);
  c.delete_retention_ms = as_int(topic_config_value(broker, topic, "delete.retention.ms"), c.delete_retention_ms);
  if (auto ratio = topic_config_value(broker, topic, "min.cleanable.dirty.ratio")) {
    try {
      c.min_cleanable_dirty_ratio = std::stod(*ratio);
    } catch (const std::exception&) {
    }
  }
  const auto policy = topic_config_value(broker, topic, "cleanup.policy").value_or("delete");
  c.delete_policy = policy.find("delete") != std::string::npos;
  c.compact_policy = policy.find("compact") != std::string::npos;
  return c;
}

const TopicConfig& TopicConfigCache::get(const config::BrokerConfig& broker, const TopicOverrides& overrides) const {
  if (!config_ || generation_ != broker.generation() || overrides_ != overrides) {
    config_ = effective_topic_config(broker, overrides);
    generation_ = broker.generation();
    overrides_ = overrides;
  }
  return *config_;
}

}  // namespace kafkalite::config
