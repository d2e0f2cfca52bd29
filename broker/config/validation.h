// Kafka's validation of config values (ConfigDef's types and validators, with
// their messages), shared by CreateTopics, AlterConfigs and
// IncrementalAlterConfigs.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "broker/config/broker_config.h"
#include "broker/config/kafka_configs.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::config {

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

// The first static broker config (file, environment, --override) whose
// value is not of its type, in Kafka's words ("Invalid value abc for
// configuration x: Not a number of type INT"); Kafka refuses to start then.
std::optional<std::string> static_config_problem(const BrokerConfig& config);

// What Kafka's GroupCoordinatorConfig requires of the group.consumer.*
// heartbeat intervals and session timeouts (each within its min and max,
// the interval below the timeout), in its words; nullopt when they hold.
// Kafka refuses to start otherwise.
std::optional<std::string> group_coordinator_config_problem(const BrokerConfig& config);

}  // namespace kafkalite::config
