// The client's security settings read from Java client properties, and its
// SASL logins against the broker's own SASL servers (the logins on the wire
// against both brokers are cross-checked in
// tests/crosscheck/clients/test_tls_clients.py).
#include <gtest/gtest.h>

#include "broker/security/plain.h"
#include "broker/security/scram.h"
#include "client/sasl_login.h"
#include "client/security.h"

namespace kafkalite::client {
namespace {

using Protocol = SecurityConfig::Protocol;

std::string refusal(const std::map<std::string, std::string>& properties) {
  auto result = security_from_properties(properties);
  return std::holds_alternative<std::string>(result) ? std::get<std::string>(result) : "";
}

TEST(ClientSecurity, JavaClientPropertiesAsKafkaReadsThem) {
  auto plain = std::get<SecurityConfig>(security_from_properties({}));
  EXPECT_EQ(plain.protocol, Protocol::kPlaintext);
  auto scram = std::get<SecurityConfig>(security_from_properties(
      {{"security.protocol", "sasl_ssl"},
       {"sasl.mechanism", "SCRAM-SHA-512"},
       {"sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"hana\" password=\"s3cret\";"},
       {"ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----\n..."},
       {"ssl.endpoint.identification.algorithm", ""}}));
  EXPECT_EQ(scram.protocol, Protocol::kSaslSsl);
  EXPECT_EQ(scram.mechanism, "SCRAM-SHA-512");
  EXPECT_EQ(scram.username, "hana");
  EXPECT_EQ(scram.password, "s3cret");
  EXPECT_TRUE(scram.trusted_certificates.has_value());
  EXPECT_FALSE(scram.verify_hostname);
}

TEST(ClientSecurity, WhatTheClientCannotHonourIsRefused) {
  EXPECT_NE(refusal({{"security.protocol", "TLS"}}).find("String must be one of"), std::string::npos);
  // Kafka's default mechanism, GSSAPI, and OAUTHBEARER.
  EXPECT_NE(refusal({{"security.protocol", "SASL_PLAINTEXT"}}).find("PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 only"),
            std::string::npos);
  EXPECT_NE(refusal({{"security.protocol", "SASL_PLAINTEXT"}, {"sasl.mechanism", "PLAIN"}}).find("sasl.jaas.config"),
            std::string::npos);
  EXPECT_NE(refusal({{"security.protocol", "SSL"}, {"ssl.truststore.location", "/etc/truststore.jks"}})
                .find("PEM trust stores only"),
            std::string::npos);
  EXPECT_NE(refusal({{"security.protocol", "SSL"}, {"ssl.keystore.type", "PKCS12"},
                     {"ssl.keystore.location", "/etc/keystore.p12"}})
                .find("PEM key stores only"),
            std::string::npos);
}

// Runs a login against a broker-side SASL server; the client's error or "".
std::string exchange(SaslLogin& login, security::SaslServer& server) {
  std::string token = login.first();
  for (int round = 0; round < 5; ++round) {
    auto answer = server.evaluate(token);
    if (auto* failure = std::get_if<security::SaslFailure>(&answer)) return "server: " + failure->message;
    auto step = login.next(std::get<security::SaslStep>(answer).token);
    if (!step.error.empty()) return step.error;
    if (!step.token) return std::get<security::SaslStep>(answer).complete ? "" : "client done before the server";
    token = *step.token;
  }
  return "too many rounds";
}

TEST(SaslLogin, ScramAgainstTheBrokersScramServer) {
  using security::ScramMechanism;
  const std::string salt = "0123456789abcdef";
  for (auto [name, mechanism] : {std::pair{"SCRAM-SHA-256", ScramMechanism::kSha256},
                                 std::pair{"SCRAM-SHA-512", ScramMechanism::kSha512}}) {
    const auto hash = security::scram_hash(mechanism);
    const auto credential =
        security::scram_credential(mechanism, salt, security::crypto::pbkdf2(hash, "right", salt, 4096), 4096);
    auto lookup = [&](const std::string& user, ScramMechanism) -> std::optional<security::ScramCredential> {
      if (user == "a=b,c") return credential;  // a name that must be escaped on the wire
      return std::nullopt;
    };
    auto server = security::make_scram_server(mechanism, lookup);
    auto login = SaslLogin::create(name, "a=b,c", "right");
    EXPECT_EQ(exchange(*login, *server), "") << name;
    EXPECT_EQ(server->authorization_id(), "a=b,c");
    auto refused = security::make_scram_server(mechanism, lookup);
    auto wrong = SaslLogin::create(name, "a=b,c", "wrong");
    EXPECT_NE(exchange(*wrong, *refused).find("server:"), std::string::npos) << name;
  }
}

TEST(SaslLogin, PlainAgainstTheBrokersPlainServer) {
  const auto users = security::plain_users({{"user_alice", "alice-secret"}});
  auto server = security::make_plain_server(users);
  EXPECT_EQ(exchange(*SaslLogin::create("PLAIN", "alice", "alice-secret"), *server), "");
  auto refused = security::make_plain_server(users);
  EXPECT_NE(exchange(*SaslLogin::create("PLAIN", "alice", "wrong"), *refused).find("server:"), std::string::npos);
}

TEST(SaslLogin, ScramDoesNotBelieveAServerWithoutThePassword) {
  auto login = SaslLogin::create("SCRAM-SHA-256", "u", "p");
  const std::string first = login->first();
  const std::string nonce = first.substr(first.find("r=") + 2);
  auto step = login->next("r=" + nonce + "xyz,s=" + security::crypto::base64_encode("salt") + ",i=4096");
  ASSERT_TRUE(step.token.has_value());
  EXPECT_NE(login->next("v=" + security::crypto::base64_encode("not the signature")).error, "");
  // A server nonce that does not extend the client's is refused.
  auto other = SaslLogin::create("SCRAM-SHA-256", "u", "p");
  other->first();
  EXPECT_NE(other->next("r=someone-else,s=c2FsdA==,i=4096").error, "");
  EXPECT_EQ(SaslLogin::create("GSSAPI", "u", "p"), nullptr);
}

}  // namespace
}  // namespace kafkalite::client
