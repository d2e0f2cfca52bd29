// How kafkalite's clients secure a connection, set by the Java client's
// properties (Kafka's names and defaults):
//   security.protocol   PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
//   sasl.mechanism      PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (Kafka's
//                       default, GSSAPI, and OAUTHBEARER are refused)
//   sasl.jaas.config    the login module's username="..." password="..."
//   ssl.truststore.location (+ ssl.truststore.type=PEM) or
//   ssl.truststore.certificates: the CAs to trust; none: the system's
//   ssl.keystore.location (+ ssl.keystore.type=PEM: key and certificates in
//   one file), or ssl.keystore.key + ssl.keystore.certificate.chain; with
//   ssl.key.password for an encrypted key
//   ssl.endpoint.identification.algorithm  https (the default) checks the
//                       broker's name against its certificate; empty does not
// A setting kafkalite's client cannot honour (a JKS or PKCS12 store, an
// unknown protocol) is refused, never ignored.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>

namespace kafkalite::client {

struct SecurityConfig {
  enum class Protocol { kPlaintext, kSsl, kSaslPlaintext, kSaslSsl };
  Protocol protocol = Protocol::kPlaintext;
  std::string mechanism = "GSSAPI";
  std::string username;
  std::string password;
  // PEM text (from a file or inline); none: the system's trusted CAs.
  std::optional<std::string> trusted_certificates;
  std::optional<std::string> private_key;         // PEM
  std::optional<std::string> certificate_chain;   // PEM
  std::optional<std::string> key_password;
  bool verify_hostname = true;

  bool tls() const { return protocol == Protocol::kSsl || protocol == Protocol::kSaslSsl; }
  bool sasl() const { return protocol == Protocol::kSaslPlaintext || protocol == Protocol::kSaslSsl; }
};

// The security of a Java client's properties, or why kafkalite's client
// cannot connect as they say.
std::variant<SecurityConfig, std::string> security_from_properties(
    const std::map<std::string, std::string>& properties);

}  // namespace kafkalite::client
