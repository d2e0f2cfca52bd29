#include "broker/security/listener_security.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "common/security/jaas.h"
#include "broker/security/tls_context.h"
#include "common/java_hash.h"
#include "common/text.h"

namespace kafkalite::security {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}


// new ArrayList<>(new HashSet<>(list)): duplicates dropped, hash order.
std::vector<std::string> hash_set_order(const std::vector<std::string>& list) {
  java::HashMap set(std::max(static_cast<uint32_t>(static_cast<float>(list.size()) / 0.75f) + 1, 16u));
  for (const auto& item : list) set.put(item);
  return set.keys();
}

SecurityProtocol protocol_named(const std::string& listener, const std::string& name) {
  if (name == "PLAINTEXT") return SecurityProtocol::kPlaintext;
  if (name == "SSL") return SecurityProtocol::kSsl;
  if (name == "SASL_PLAINTEXT") return SecurityProtocol::kSaslPlaintext;
  if (name == "SASL_SSL") return SecurityProtocol::kSaslSsl;
  throw std::invalid_argument("No enum constant org.apache.kafka.common.security.auth.SecurityProtocol." + name +
                              " (listener " + listener + " in listener.security.protocol.map)");
}

int64_t number(const config::BrokerConfig& config, const std::string& listener, const std::string& key,
               int64_t fallback) {
  const auto value = config.listener_value(listener, key);
  if (!value) return fallback;
  try {
    size_t used = 0;
    const int64_t n = std::stoll(text::trim(*value), &used);
    if (used == text::trim(*value).size()) return n;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("Invalid value " + *value + " for configuration " + key + ": Not a number of type LONG");
}

void read_sasl(const config::BrokerConfig& config, ListenerSecurity& security) {
  const std::string& listener = security.listener;
  const auto configured =
      text::split_list(config.listener_value(listener, "sasl.enabled.mechanisms").value_or("GSSAPI"));
  security.mechanisms = hash_set_order(configured);
  if (security.mechanisms.empty()) {
    throw std::invalid_argument("No SASL mechanisms are enabled (sasl.enabled.mechanisms) for listener " + listener);
  }
  for (const auto& mechanism : security.mechanisms) {
    if (mechanism != "PLAIN" && mechanism != "SCRAM-SHA-256" && mechanism != "SCRAM-SHA-512" &&
        mechanism != "OAUTHBEARER") {
      throw std::invalid_argument(
          "SASL mechanism " + mechanism + " is enabled for listener " + listener +
          " (sasl.enabled.mechanisms), but kafkalite offers PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER "
          "only; it will not serve " + listener + " without the mechanisms it was configured with");
    }
    const std::string jaas_key = "listener.name." + lower(listener) + "." + lower(mechanism) + ".sasl.jaas.config";
    const auto jaas = config.get(jaas_key);
    if (!jaas) {
      throw std::invalid_argument("Could not find a 'KafkaServer' or '" + lower(listener) +
                                  ".KafkaServer' entry in the JAAS configuration. System property "
                                  "'java.security.auth.login.config' is not set (kafkalite reads " + jaas_key + ")");
    }
    std::vector<LoginModule> modules;
    try {
      modules = parse_jaas(*jaas);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(e.what()) + " (" + jaas_key + ")");
    }
    if (modules.size() != 1) {
      throw std::invalid_argument("JAAS config property contains " + std::to_string(modules.size()) +
                                  " login modules, should be 1 module (" + jaas_key + ")");
    }
    if (mechanism == "PLAIN" && modules[0].class_name == kPlainLoginModule) {
      security.plain_users = plain_users(modules[0].options);
    }
    if (mechanism == "OAUTHBEARER") security.oauthbearer_options = modules[0].options;
    security.max_reauth_ms[mechanism] =
        number(config, listener, lower(mechanism) + ".connections.max.reauth.ms",
               number(config, listener, "connections.max.reauth.ms", 0));
  }
}

}  // namespace

std::map<std::string, ListenerSecurity> listener_security(const config::BrokerConfig& config) {
  std::map<std::string, ListenerSecurity> out;
  for (const auto& listener : config.listeners()) {
    const auto protocol = config.security_protocol(listener.name);
    if (!protocol) {
      throw std::invalid_argument("No security protocol defined for listener " + listener.name +
                                  " (listener.security.protocol.map)");
    }
    ListenerSecurity security;
    security.listener = listener.name;
    security.protocol = protocol_named(listener.name, *protocol);
    if (security.tls_protocol()) {
      try {
        security.tls = tls_listener(config, listener.name, security.sasl());
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string(e.what()) + " (listener " + listener.name + ")");
      }
    }
    security.failed_authentication_delay =
        std::chrono::milliseconds(number(config, listener.name, "connection.failed.authentication.delay.ms", 100));
    security.max_receive_size =
        static_cast<int32_t>(number(config, listener.name, "sasl.server.max.receive.size", 524288));
    if (security.sasl()) read_sasl(config, security);
    out.emplace(listener.name, std::move(security));
  }
  // Kafka's own start-up check (KafkaConfig): the broker's mechanism must be
  // one its inter-broker listener offers.
  const std::string inter_broker = config.get_or("inter.broker.listener.name", "");
  auto it = out.find(inter_broker);
  if (it != out.end() && it->second.sasl()) {
    const std::string mechanism = config.get_or("sasl.mechanism.inter.broker.protocol", "GSSAPI");
    const auto& enabled = it->second.mechanisms;
    if (std::find(enabled.begin(), enabled.end(), mechanism) == enabled.end()) {
      throw std::invalid_argument(
          "requirement failed: sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms "
          "when SASL is used for inter-broker communication");
    }
  }
  return out;
}

}  // namespace kafkalite::security
