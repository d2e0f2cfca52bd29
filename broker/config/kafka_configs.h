// Kafka 4.1.1's config definitions, generated from its jars
// (kafka_configs_generated.cpp): what DescribeConfigs lists, with Kafka's
// defaults as Kafka renders them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkalite::config {

// DescribeConfigs' config_type numbering.
enum class ConfigType : int8_t {
  kBoolean = 1, kString = 2, kInt = 3, kShort = 4, kLong = 5, kDouble = 6, kList = 7,
  kClass = 8, kPassword = 9,
};

// A Kafka validator kafkalite reproduces: ConfigDef.Range, or ValidString,
// CaseInsensitiveValidString and ValidList (kOneOf).
enum class ValidatorKind { kNone, kRange, kOneOf };
struct ConfigValidator {
  ValidatorKind kind = ValidatorKind::kNone;
  std::optional<std::string> min;  // as Java prints the bound
  std::optional<std::string> max;
  std::vector<std::string> values;
  bool list = false;              // each element of a list must be one of `values`
  bool case_insensitive = false;
};

struct ConfigDefinition {
  std::string name;
  ConfigType type;
  std::optional<std::string> default_value;  // as DescribeConfigs shows it
  bool sensitive;
  bool dynamic;                         // broker configs: updatable at run time
  std::vector<std::string> synonyms;    // topic configs: broker configs, in precedence order
  ConfigValidator validator{};          // topic configs only
  bool per_broker = false;              // broker configs: dynamic for one broker only, never cluster-wide
};

const std::vector<ConfigDefinition>& topic_config_definitions();
const std::vector<ConfigDefinition>& broker_config_definitions();
const ConfigDefinition* find_topic_config(std::string_view name);
const ConfigDefinition* find_broker_config(std::string_view name);

}  // namespace kafkalite::config
