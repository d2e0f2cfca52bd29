#include "broker/config/validation.h"

#include <cstdlib>

#include "common/text.h"

namespace kafkalite::config {
namespace {

bool parses_as_integer(const std::string& v, long long min, long long max) {
  if (v.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  return errno == 0 && *end == '\0' && n >= min && n <= max;
}

bool one_of(const ConfigValidator& v, const std::string& item) {
  for (const auto& allowed : v.values) {
    if (allowed == item) return true;
    if (v.case_insensitive && text::lower(allowed) == text::lower(item)) return true;
  }
  return false;
}

// Kafka's ConfigException text: "Invalid value V for configuration N: why".
std::string invalid(const std::string& name, const std::string& value, const std::string& why) {
  return "Invalid value " + value + " for configuration " + name + ": " + why;
}

// Checks a value of the right type against the config's validator, with
// the validator's message, as ConfigDef does after parsing.
std::optional<std::string> validator_problem(const ConfigDefinition& d, const std::string& raw) {
  const ConfigValidator& v = d.validator;
  const std::string value = text::trim(raw);
  if (v.kind == ValidatorKind::kRange) {
    const bool is_double = d.type == ConfigType::kDouble;
    const double n = std::strtod(value.c_str(), nullptr);
    // Java prints the parsed number: a long as digits, a double with a fraction.
    std::string shown = is_double ? value : std::to_string(std::strtoll(value.c_str(), nullptr, 10));
    if (is_double && shown.find_first_of(".eE") == std::string::npos) shown += ".0";
    if (v.min && n < std::strtod(v.min->c_str(), nullptr)) {
      return invalid(d.name, shown, "Value must be at least " + *v.min);
    }
    if (v.max && n > std::strtod(v.max->c_str(), nullptr)) {
      return invalid(d.name, shown, "Value must be no more than " + *v.max);
    }
  } else if (v.kind == ValidatorKind::kOneOf) {
    std::vector<std::string> items;
    if (v.list) {
      size_t start = 0;
      for (;;) {
        const size_t comma = value.find(',', start);
        const std::string item = text::trim(value.substr(start, comma - start));
        if (!item.empty()) items.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else {
      items.push_back(value);
    }
    for (const auto& item : items) {
      if (!one_of(v, item)) {
        return invalid(d.name, item,
                       std::string("String must be one of") +
                           (v.case_insensitive ? " (case insensitive)" : "") + ": " + text::join(v.values, ", "));
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> invalid_config_value(const ConfigDefinition& d,
                                                const std::string& untrimmed) {
  // Java's ConfigDef trims a value before parsing it.
  const std::string value = text::trim(untrimmed);
  bool ok = true;
  std::string kind;
  switch (d.type) {
    case ConfigType::kInt:
      ok = parses_as_integer(value, INT32_MIN, INT32_MAX);
      kind = "INT";
      break;
    case ConfigType::kShort:
      ok = parses_as_integer(value, INT16_MIN, INT16_MAX);
      kind = "SHORT";
      break;
    case ConfigType::kLong:
      ok = parses_as_integer(value, INT64_MIN, INT64_MAX);
      kind = "LONG";
      break;
    case ConfigType::kDouble: {
      char* end = nullptr;
      std::strtod(value.c_str(), &end);
      ok = !value.empty() && *end == '\0';
      kind = "DOUBLE";
      break;
    }
    case ConfigType::kBoolean:
      if (text::lower(value) != "true" && text::lower(value) != "false") {
        return "Invalid value " + untrimmed + " for configuration " + d.name +
               ": Expected value to be either true or false";
      }
      break;
    default:
      break;
  }
  if (ok) return validator_problem(d, value);
  return "Invalid value " + untrimmed + " for configuration " + d.name + ": Not a number of type " + kind;
}

std::optional<std::string> static_config_problem(const BrokerConfig& config) {
  for (const auto& d : broker_config_definitions()) {
    auto value = config.static_value(d.name);
    if (!value) continue;
    if (auto problem = invalid_config_value(d, *value)) return problem;
  }
  return std::nullopt;
}


ConfigChangeError check_topic_configs(const std::map<std::string, std::optional<std::string>>& changes) {
  for (const auto& [name, value] : changes) {
    const auto* d = find_topic_config(name);
    if (!d) return {protocol::ErrorCode::InvalidConfig, "Unknown topic config name: " + name};
    if (value) {
      if (auto problem = invalid_config_value(*d, *value)) {
        return {protocol::ErrorCode::InvalidConfig, *problem};
      }
    }
  }
  return {};
}

std::optional<std::string> group_coordinator_config_problem(const BrokerConfig& config) {
  const std::string prefix = "group.consumer.";
  auto value = [&](const std::string& name, int64_t fallback) { return config.get_int(prefix + name, fallback); };
  const int64_t interval = value("heartbeat.interval.ms", 5000);
  const int64_t min_interval = value("min.heartbeat.interval.ms", 5000);
  const int64_t max_interval = value("max.heartbeat.interval.ms", 15000);
  const int64_t session = value("session.timeout.ms", 45000);
  const int64_t min_session = value("min.session.timeout.ms", 45000);
  const int64_t max_session = value("max.session.timeout.ms", 60000);
  // Kafka's order of checks.
  const struct {
    bool holds;
    const char* first;
    const char* relation;
    const char* second;
  } rules[] = {
      {max_interval >= min_interval, "max.heartbeat.interval.ms", "greater than or equal to", "min.heartbeat.interval.ms"},
      {interval >= min_interval, "heartbeat.interval.ms", "greater than or equal to", "min.heartbeat.interval.ms"},
      {interval <= max_interval, "heartbeat.interval.ms", "less than or equal to", "max.heartbeat.interval.ms"},
      {max_session >= min_session, "max.session.timeout.ms", "greater than or equal to", "min.session.timeout.ms"},
      {session >= min_session, "session.timeout.ms", "greater than or equal to", "min.session.timeout.ms"},
      {session <= max_session, "session.timeout.ms", "less than or equal to", "max.session.timeout.ms"},
      {interval < session, "heartbeat.interval.ms", "less than", "session.timeout.ms"},
  };
  for (const auto& rule : rules) {
    if (!rule.holds) return prefix + rule.first + " must be " + rule.relation + " " + prefix + rule.second;
  }
  return std::nullopt;
}

}  // namespace kafkalite::config
