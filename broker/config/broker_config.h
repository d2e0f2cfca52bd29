// The broker's configuration, by Kafka's own property names. Sources, in
// increasing precedence: Kafka's defaults, a server.properties file, the
// Docker image's KAFKA_* environment variables, and --override key=value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kafkalite::config {

struct Listener {
  std::string name;  // e.g. PLAINTEXT, EXTERNAL
  std::string host;  // empty or 0.0.0.0: all addresses
  uint16_t port = 0;
};

// Parses "NAME://host:port,NAME2://host:port". nullopt with `error` on failure.
std::optional<std::vector<Listener>> parse_listeners(const std::string& text, std::string& error);

class BrokerConfig {
 public:
  BrokerConfig();

  void set(const std::string& key, const std::string& value) {
    values_[key] = value;
    ++generation_;
  }
  // The effective value: this node's dynamic config, else the cluster-wide
  // dynamic default, else the static one (file, environment, --override).
  std::optional<std::string> get(const std::string& key) const;
  std::optional<std::string> static_value(const std::string& key) const;
  // Dynamic configs (AlterConfigs on the BROKER resource; cluster::DynamicConfigs
  // keeps them in the store): this node's, or the cluster-wide defaults.
  const std::map<std::string, std::string>& dynamic(bool cluster_default) const {
    return cluster_default ? dynamic_default_ : dynamic_broker_;
  }
  void set_dynamic(bool cluster_default, std::map<std::string, std::string> configs) {
    (cluster_default ? dynamic_default_ : dynamic_broker_) = std::move(configs);
    ++generation_;
  }
  // Counts the changes made so far: what was worked out from the config is
  // still good while this has not moved (TopicConfigCache).
  uint64_t generation() const { return generation_; }
  std::string get_or(const std::string& key, const std::string& fallback) const;
  int64_t get_int(const std::string& key, int64_t fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  bool is_set(const std::string& key) const { return values_.count(key) != 0; }
  const std::map<std::string, std::string>& values() const { return values_; }

  // Reads a Java properties file (key=value or key: value, # and ! comments).
  bool load_properties_file(const std::string& path, std::string& error);
  // KAFKA_LOG_DIRS=/x -> log.dirs=/x, as the apache/kafka Docker image maps them.
  void load_environment(char** environ);

  int32_t node_id() const { return static_cast<int32_t>(get_int("node.id", 1)); }
  std::vector<Listener> listeners() const;
  std::vector<Listener> advertised_listeners() const;
  // A listener's own value of `key` (listener.name.<listener, lowercase>.<key>),
  // else the broker-wide one.
  std::optional<std::string> listener_value(const std::string& listener, const std::string& key) const;
  static std::string listener_prefix(const std::string& listener);
  // The security protocol listener.security.protocol.map gives a listener.
  std::optional<std::string> security_protocol(const std::string& listener) const;
  std::string log_dir() const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> dynamic_broker_;
  std::map<std::string, std::string> dynamic_default_;
  uint64_t generation_ = 0;
};

}  // namespace kafkalite::config
