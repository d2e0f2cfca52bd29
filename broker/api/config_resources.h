// What the config handlers (DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs) share: Kafka's resource types, and finding the
// topic an alter request names.
#pragma once

#include <string>

#include "broker/api/services.h"
#include "broker/config/topic_config.h"
#include "broker/config/validation.h"

namespace kafkalite::broker::api {

using config::broker_synonyms;
using config::check_topic_configs;
using config::ConfigChangeError;
using config::ConfigSource;
using config::ConfigSynonym;
using config::dynamic_default_config;
using config::inherited_topic_value;
using config::invalid_config_value;
using config::topic_config_value;

enum class ResourceType : int8_t { kTopic = 2, kBroker = 4 };

// The topic an alter request's resource names, or null with Kafka's error
// (only topics can be altered in kafkalite).
inline cluster::Topic* alterable_topic(Services& broker, int8_t resource_type, const std::string& name,
                                       config::ConfigChangeError& error) {
  if (static_cast<ResourceType>(resource_type) != ResourceType::kTopic) {
    error = {protocol::ErrorCode::InvalidRequest, "kafkalite alters topic configs only"};
    return nullptr;
  }
  cluster::Topic* topic = broker.topics().find(name);
  if (!topic) {
    error = {protocol::ErrorCode::UnknownTopicOrPartition, "The topic '" + name + "' does not exist."};
  }
  return topic;
}

}  // namespace kafkalite::broker::api
