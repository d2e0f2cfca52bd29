#include "broker/config/kafka_configs.h"

namespace kafkalite::config {
namespace {

const ConfigDefinition* find_in(const std::vector<ConfigDefinition>& definitions,
                                std::string_view name) {
  for (const auto& d : definitions) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace

const ConfigDefinition* find_topic_config(std::string_view name) {
  return find_in(topic_config_definitions(), name);
}

const ConfigDefinition* find_broker_config(std::string_view name) {
  return find_in(broker_config_definitions(), name);
}

}  // namespace kafkalite::config
