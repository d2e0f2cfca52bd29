// What security each listener is configured with, from Kafka's settings:
//   listener.security.protocol.map    NAME:PROTOCOL pairs (PLAINTEXT, SSL,
//                                     SASL_PLAINTEXT, SASL_SSL)
//   sasl.enabled.mechanisms           and listener.name.<l>.sasl.enabled.mechanisms
//   listener.name.<l>.<mechanism>.sasl.jaas.config
//                                     the JAAS entry of each enabled mechanism
//                                     (PLAIN's users are its user_<name> options)
//   connections.max.reauth.ms         (also per listener, and per listener and
//                                     mechanism) KIP-368's session lifetime
//   connection.failed.authentication.delay.ms, sasl.server.max.receive.size
//   ssl.*                             SSL and SASL_SSL listeners (tls_context.h)
// Read and checked once at start: a configuration Kafka refuses to start
// with is refused in Kafka's words, and one kafkalite cannot serve as
// configured (GSSAPI, a JKS key store) is refused rather than served with
// less security.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/security/plain.h"
#include "broker/security/tls_context.h"

namespace kafkalite::security {

enum class SecurityProtocol { kPlaintext, kSsl, kSaslPlaintext, kSaslSsl };

struct ListenerSecurity {
  std::string listener;
  SecurityProtocol protocol = SecurityProtocol::kPlaintext;
  bool sasl() const { return protocol == SecurityProtocol::kSaslPlaintext || protocol == SecurityProtocol::kSaslSsl; }
  bool tls_protocol() const { return protocol == SecurityProtocol::kSsl || protocol == SecurityProtocol::kSaslSsl; }
  // SSL and SASL_SSL listeners: the server's TLS context and client auth.
  std::optional<TlsListener> tls;
  // The enabled mechanisms in the order SaslHandshake lists them (Kafka
  // passes the list through a HashSet, so hash order, not config order).
  std::vector<std::string> mechanisms;
  PlainUsers plain_users;
  // The OAUTHBEARER entry's options (its unsecured validator's settings).
  std::map<std::string, std::string> oauthbearer_options;
  // connections.max.reauth.ms for each enabled mechanism (0: no expiry).
  std::map<std::string, int64_t> max_reauth_ms;
  std::chrono::milliseconds failed_authentication_delay{100};
  int32_t max_receive_size = 524288;
};

// Every configured listener's security. Throws std::invalid_argument with
// the reason when the broker must not start.
std::map<std::string, ListenerSecurity> listener_security(const config::BrokerConfig& config);

}  // namespace kafkalite::security
