#include "broker/config/broker_config.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "common/java_properties.h"

namespace kafkalite::config {
namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace

BrokerConfig::BrokerConfig() {
  // Where the lab's clients look: its EXTERNAL listener and the usual 9092.
  values_["listeners"] = "PLAINTEXT://localhost:9092,EXTERNAL://localhost:19092";
  // Kafka's default map, plus the lab's listener names.
  values_["listener.security.protocol.map"] =
      "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,"
      "SASL_SSL:SASL_SSL";
  values_["node.id"] = "1";
  // The lab's KRaft settings: one combined node, its own only voter
  // (kafkalite answers for the quorum; it has no controller listener).
  values_["process.roles"] = "broker,controller";
  values_["controller.listener.names"] = "CONTROLLER";
  values_["controller.quorum.voters"] = "1@localhost:9093";
  values_["log.dirs"] = "kafkalite-data";
  // The lab's (and Kafka's shipped server.properties') single-node internal
  // topics: Kafka's default of 3 replicas cannot be placed on one node.
  values_["offsets.topic.replication.factor"] = "1";
  values_["transaction.state.log.replication.factor"] = "1";
  values_["transaction.state.log.min.isr"] = "1";
}

std::optional<std::vector<Listener>> parse_listeners(const std::string& text, std::string& error) {
  std::vector<Listener> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = trim(text.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    const size_t scheme = item.find("://");
    const size_t colon = item.rfind(':');
    if (scheme == std::string::npos || colon == std::string::npos || colon < scheme + 3) {
      error = "listener '" + item + "' is not NAME://host:port";
      return std::nullopt;
    }
    Listener l;
    l.name = item.substr(0, scheme);
    l.host = item.substr(scheme + 3, colon - scheme - 3);
    if (l.host.size() >= 2 && l.host.front() == '[' && l.host.back() == ']') {
      l.host = l.host.substr(1, l.host.size() - 2);
    }
    const std::string port = item.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
      error = "listener '" + item + "' has an invalid port";
      return std::nullopt;
    }
    l.port = static_cast<uint16_t>(std::stoi(port));
    out.push_back(l);
  }
  return out;
}

std::optional<std::string> BrokerConfig::get(const std::string& key) const {
  for (const auto* layer : {&dynamic_broker_, &dynamic_default_, &values_}) {
    auto it = layer->find(key);
    if (it != layer->end()) return it->second;
  }
  return std::nullopt;
}

std::optional<std::string> BrokerConfig::static_value(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string BrokerConfig::get_or(const std::string& key, const std::string& fallback) const {
  return get(key).value_or(fallback);
}

int64_t BrokerConfig::get_int(const std::string& key, int64_t fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  try {
    return std::stoll(*v);
  } catch (...) {
    return fallback;
  }
}

bool BrokerConfig::get_bool(const std::string& key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  return *v == "true";
}

bool BrokerConfig::load_properties_file(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  // Values are trimmed as Kafka's ConfigDef trims them when it parses them.
  for (auto& [key, value] : java::parse_properties(text.str())) values_[key] = trim(value);
  ++generation_;
  return true;
}

void BrokerConfig::load_environment(char** environ) {
  for (char** env = environ; env && *env; ++env) {
    const std::string entry = *env;
    if (entry.rfind("KAFKA_", 0) != 0) continue;
    const size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(6, eq - 6);
    // Not configuration: the image's own knobs.
    if (name == "HEAP_OPTS" || name == "OPTS" || name == "JVM_PERFORMANCE_OPTS" ||
        name == "LOG4J_OPTS" || name == "GC_LOG_OPTS" || name == "JMX_OPTS" || name == "DEBUG") {
      continue;
    }
    // The image's rule: '_' -> '.', '__' -> '_', '___' -> '-'.
    std::string key;
    for (size_t i = 0; i < name.size(); ++i) {
      if (name.compare(i, 3, "___") == 0) {
        key += '-';
        i += 2;
      } else if (name.compare(i, 2, "__") == 0) {
        key += '_';
        i += 1;
      } else if (name[i] == '_') {
        key += '.';
      } else {
        key += static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
      }
    }
    values_[key] = entry.substr(eq + 1);
  }
  ++generation_;
}

std::string BrokerConfig::listener_prefix(const std::string& listener) {
  std::string prefix = "listener.name.";
  for (char c : listener) prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prefix + ".";
}

std::optional<std::string> BrokerConfig::listener_value(const std::string& listener, const std::string& key) const {
  if (auto own = get(listener_prefix(listener) + key)) return own;
  return get(key);
}

std::vector<Listener> BrokerConfig::listeners() const {
  std::string error;
  auto parsed = parse_listeners(get_or("listeners", ""), error);
  std::vector<Listener> out;
  if (!parsed) return out;
  // The KRaft controller listener is not a client listener; kafkalite has none.
  const std::string controller = get_or("controller.listener.names", "CONTROLLER");
  for (auto& l : *parsed) {
    if (l.name != controller) out.push_back(l);
  }
  return out;
}

std::vector<Listener> BrokerConfig::advertised_listeners() const {
  std::string error;
  auto parsed = parse_listeners(get_or("advertised.listeners", ""), error);
  if (!parsed || parsed->empty()) return listeners();
  return *parsed;
}

std::optional<std::string> BrokerConfig::security_protocol(const std::string& listener) const {
  const std::string map = get_or("listener.security.protocol.map", "");
  size_t start = 0;
  while (start <= map.size()) {
    const size_t comma = std::min(map.find(',', start), map.size());
    const std::string entry = map.substr(start, comma - start);
    const size_t colon = entry.find(':');
    if (colon != std::string::npos) {
      auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t"));
        s.erase(s.find_last_not_of(" \t") + 1);
        return s;
      };
      if (trim(entry.substr(0, colon)) == listener) return trim(entry.substr(colon + 1));
    }
    start = comma + 1;
  }
  return std::nullopt;
}

std::string BrokerConfig::log_dir() const {
  std::string dirs = get_or("log.dirs", get_or("log.dir", "kafkalite-data"));
  return dirs.substr(0, dirs.find(','));
}

}  // namespace kafkalite::config
