#include "broker/security/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl/context.hpp>
#include <set>
#include <stdexcept>

#include "broker/security/keystore.h"
#include "common/text.h"

namespace kafkalite::security {
namespace {

namespace ssl = boost::asio::ssl;

ClientAuth client_auth_named(const std::string& value) {
  if (value == "required") return ClientAuth::kRequired;
  if (value == "requested") return ClientAuth::kRequested;
  if (value == "none") return ClientAuth::kNone;
  throw std::invalid_argument("Invalid value " + value +
                              " for configuration ssl.client.auth: String must be one of: required, requested, none");
}

// Kafka's rule (ChannelBuilders): SSL listeners take the broker-wide
// setting, SASL_SSL listeners only their own.
ClientAuth client_auth(const config::BrokerConfig& config, const std::string& listener, bool sasl) {
  const auto own = config.get(config::BrokerConfig::listener_prefix(listener) + "ssl.client.auth");
  const auto broker_wide = config.get("ssl.client.auth");
  if (broker_wide) client_auth_named(text::trim(*broker_wide));  // checked wherever it is used
  if (own) return client_auth_named(text::trim(*own));
  if (!sasl) return broker_wide ? client_auth_named(text::trim(*broker_wide)) : ClientAuth::kNone;
  if (broker_wide && text::trim(*broker_wide) != "none") {
    spdlog::warn(
        "Broker configuration 'ssl.client.auth' is applied only to SSL listeners. Listener-prefixed configuration "
        "can be used to enable SSL client authentication for SASL_SSL listeners. In future releases, broker-wide "
        "option without listener prefix may be applied to SASL_SSL listeners as well. All configuration options "
        "intended for specific listeners should be listener-prefixed.");
  }
  return ClientAuth::kNone;
}

// The TLS versions ssl.enabled.protocols leaves on (Java 17 has TLSv1 and
// TLSv1.1 off whatever this says).
void set_protocols(SSL_CTX* ctx, const std::string& listener, const std::vector<std::string>& enabled,
                   const std::string& protocol) {
  if (protocol != "TLSv1.3" && protocol != "TLSv1.2" && protocol != "TLS") {
    throw std::invalid_argument("java.security.NoSuchAlgorithmException: " + protocol +
                                " SSLContext not available (ssl.protocol of listener " + listener + ")");
  }
  bool tls12 = false;
  bool tls13 = false;
  for (const auto& name : enabled) {
    if (name == "TLSv1.2") tls12 = true;
    else if (name == "TLSv1.3") tls13 = true;
    else if (name != "TLSv1" && name != "TLSv1.1" && name != "SSLv3") {
      throw std::invalid_argument("Unsupported protocol " + name + " in ssl.enabled.protocols of listener " + listener +
                                  " (Java would refuse every connection to it)");
    }
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  if (!tls12) SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_2);
  if (!tls13) SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_3);
}

// ssl.cipher.suites by their IANA names, as Java takes them.
void set_cipher_suites(SSL_CTX* ctx, const std::string& listener, const std::vector<std::string>& suites) {
  if (suites.empty()) return;
  static const std::set<std::string> kTls13{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                            "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256",
                                            "TLS_AES_128_CCM_8_SHA256"};
  std::string tls13;
  std::string tls12;
  for (const auto& suite : suites) {
    if (kTls13.count(suite)) {
      tls13 += (tls13.empty() ? "" : ":") + suite;
      continue;
    }
    const char* openssl_name = OPENSSL_cipher_name(suite.c_str());
    if (openssl_name == nullptr || std::string(openssl_name) == "(NONE)") {
      throw std::invalid_argument("Unsupported CipherSuite: " + suite + " (ssl.cipher.suites of listener " + listener +
                                  "; Java would refuse every connection to it)");
    }
    tls12 += (tls12.empty() ? "" : ":") + std::string(openssl_name);
  }
  SSL_CTX_set_ciphersuites(ctx, tls13.c_str());
  if (tls12.empty()) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_TLSv1_2);
  } else if (SSL_CTX_set_cipher_list(ctx, tls12.c_str()) != 1) {
    throw std::invalid_argument("no usable TLS 1.2 cipher suite in ssl.cipher.suites of listener " + listener);
  }
}

StoreSettings store_settings(const config::BrokerConfig& config, const std::string& listener) {
  auto value = [&](const std::string& key) -> std::optional<std::string> {
    auto v = config.listener_value(listener, key);
    if (v) v = text::trim(*v);
    return v;
  };
  StoreSettings s;
  s.keystore_type = value("ssl.keystore.type").value_or("JKS");
  s.keystore_location = value("ssl.keystore.location");
  s.keystore_password = value("ssl.keystore.password");
  s.key_password = value("ssl.key.password");
  s.keystore_key = value("ssl.keystore.key");
  s.keystore_certificate_chain = value("ssl.keystore.certificate.chain");
  s.truststore_type = value("ssl.truststore.type").value_or("JKS");
  s.truststore_location = value("ssl.truststore.location");
  s.truststore_password = value("ssl.truststore.password");
  s.truststore_certificates = value("ssl.truststore.certificates");
  return s;
}

void use_keystore(SSL_CTX* ctx, const std::string& listener, const KeyStore& store) {
  if (SSL_CTX_use_certificate(ctx, store.chain.front().get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, store.key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    throw std::invalid_argument("The private key of listener " + listener +
                                "'s key store does not match its first certificate");
  }
  for (size_t i = 1; i < store.chain.size(); ++i) SSL_CTX_add1_chain_cert(ctx, store.chain[i].get());
}

void use_truststore(SSL_CTX* ctx, const std::optional<std::vector<X509Ptr>>& trusted) {
  if (!trusted) {
    SSL_CTX_set_default_verify_paths(ctx);
    return;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  for (const auto& cert : *trusted) {
    X509_STORE_add_cert(store, cert.get());
    sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(cert.get())));
  }
  // The certificate request names the trusted CAs, as Java's does.
  SSL_CTX_set_client_CA_list(ctx, names);
}

// Java refuses a client certificate it cannot trust with the alert
// certificate_unknown (expired, revoked and not yet valid ones have their
// own alerts, as in OpenSSL); OpenSSL would name the cause (unknown_ca, ...).
int verify_as_java(int ok, X509_STORE_CTX* store) {
  if (!ok) {
    const int error = X509_STORE_CTX_get_error(store);
    spdlog::debug("Client certificate refused: {}", X509_verify_cert_error_string(error));
    if (error != X509_V_ERR_CERT_HAS_EXPIRED && error != X509_V_ERR_CERT_REVOKED &&
        error != X509_V_ERR_CERT_NOT_YET_VALID) {
      // An error OpenSSL has no particular alert for: certificate_unknown.
      X509_STORE_CTX_set_error(store, X509_V_ERR_SUBJECT_ISSUER_MISMATCH);
    }
  }
  return ok;
}

}  // namespace

TlsListener tls_listener(const config::BrokerConfig& config, const std::string& listener, bool sasl) {
  TlsListener out;
  if (!sasl) {  // Kafka reads the rules for SSL listeners only, before the stores
    out.principal_mapper = std::make_shared<PrincipalMapper>(
        config.listener_value(listener, "ssl.principal.mapping.rules").value_or("DEFAULT"));
  }
  out.client_auth = client_auth(config, listener, sasl);
  out.context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = out.context->native_handle();
  // No renegotiation (Kafka refuses it), and the server's order of suites.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_num_tickets(ctx, 1);
  // Sessions a client resumes (Java's clients do, on their next connection)
  // are this listener's: with client certificates asked for, OpenSSL refuses
  // every resumption ("session id context uninitialized") unless one is set.
  const std::string session_context = ("kafkalite:" + listener).substr(0, SSL_MAX_SID_CTX_LENGTH);
  SSL_CTX_set_session_id_context(ctx, reinterpret_cast<const unsigned char*>(session_context.data()),
                                 static_cast<unsigned int>(session_context.size()));
  set_protocols(ctx, listener,
                text::split_list(config.listener_value(listener, "ssl.enabled.protocols").value_or("TLSv1.2,TLSv1.3")),
                text::trim(config.listener_value(listener, "ssl.protocol").value_or("TLSv1.3")));
  set_cipher_suites(ctx, listener, text::split_list(config.listener_value(listener, "ssl.cipher.suites").value_or("")));
  const StoreSettings settings = store_settings(config, listener);
  if (auto keystore = load_keystore(settings)) use_keystore(ctx, listener, *keystore);
  use_truststore(ctx, load_truststore(settings));
  switch (out.client_auth) {
    case ClientAuth::kNone: SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr); break;
    case ClientAuth::kRequested: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_as_java); break;
    case ClientAuth::kRequired:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_as_java);
      break;
  }
  return out;
}

}  // namespace kafkalite::security
