// Command-line options the way Kafka's tools read them (joptsimple):
// "--name value" or "--name=value", an option given twice keeps every value,
// unknown options and missing arguments are errors that print the message
// and the tool's usage to stderr and exit 1, as Kafka's tools do.
#pragma once

#include <map>
#include <optional>

#include "client/security.h"
#include <string>
#include <vector>

namespace kafkalite::cli {

struct OptionSpec {
  std::string name;         // without the leading "--"
  std::string argument;     // "" for a flag, else how the usage names its value
                            // (in [brackets]: the value is optional)
  std::string description;
};

class ToolOptions {
 public:
  ToolOptions(std::string tool, std::string summary, std::vector<OptionSpec> specs)
      : tool_(std::move(tool)), summary_(std::move(summary)), specs_(std::move(specs)) {}

  // False with error() set when the arguments do not parse.
  bool parse(const std::vector<std::string>& args);
  const std::string& error() const { return error_; }

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
  std::string value_or(const std::string& name, const std::string& fallback) const {
    return value(name).value_or(fallback);
  }

  // How the tool's clients connect: security.protocol, sasl.* and ssl.*
  // from its client properties (--command-config, --producer.config,
  // --consumer.config files, then --property-style overrides).
  const client::SecurityConfig& security() const { return security_; }

  std::string usage() const;
  // Prints `message` and the usage to stderr; returns Kafka's exit code 1.
  int fail_with_usage(const std::string& message) const;

 private:
  const OptionSpec* find(const std::string& name) const;
  bool read_security();

  std::string tool_;
  std::string summary_;
  std::vector<OptionSpec> specs_;
  std::map<std::string, std::vector<std::string>> values_;
  std::string error_;
  client::SecurityConfig security_;
};

// "a=b" pairs of --config/--property style options.
std::map<std::string, std::string> key_values(const std::vector<std::string>& items, std::string* error);

}  // namespace kafkalite::cli
