// Config rules shared by DescribeConfigs, AlterConfigs and
// IncrementalAlterConfigs: Kafka's resource types, sources and validation.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "broker/broker.h"
#include "broker/config/kafka_configs.h"
#include "broker/topic_config.h"

namespace kafkalite::broker::api {

enum class ResourceType : int8_t { kTopic = 2, kBroker = 4 };

// Kafka's message for a value its ConfigDef would refuse, or nullopt if valid.
std::optional<std::string> invalid_config_value(const config::ConfigDefinition& definition,
                                                const std::string& value);



// Applies `changes` (name -> value, or nullopt to remove the override) to a
// topic's overrides after checking each; returns Kafka's error, if any.
struct ConfigChangeError {
  protocol::ErrorCode code = protocol::ErrorCode::None;
  std::string message;
};
ConfigChangeError check_topic_configs(const std::map<std::string, std::optional<std::string>>& changes);

// The topic an alter request's resource names, or null with Kafka's error
// (only topics can be altered in kafkalite).
cluster::Topic* alterable_topic(Broker& broker, int8_t resource_type, const std::string& name,
                                ConfigChangeError& error);

}  // namespace kafkalite::broker::api
