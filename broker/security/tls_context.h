// A TLS listener's server context, from Kafka's settings (each one also
// listener.name.<l>.<key>, which wins):
//   ssl.keystore.*, ssl.key.password, ssl.truststore.*   (keystore.h)
//   ssl.client.auth          none | requested | required; on a SASL_SSL
//                            listener only the listener's own setting counts
//                            (Kafka warns when the broker-wide one is set)
//   ssl.enabled.protocols    TLSv1.2,TLSv1.3 (TLSv1 and TLSv1.1 are off in
//                            Java 17, so they enable nothing here either)
//   ssl.protocol             TLSv1.3 (TLS, TLSv1.2 and TLSv1.3 are taken)
//   ssl.cipher.suites        IANA names; empty: the library's defaults
//   ssl.principal.mapping.rules  (SSL listeners) principal_mapping.h
// One context per listener, made at start; renegotiation is refused, as
// Kafka refuses it. Differences: Kafka's store types are JKS by default;
// kafkalite reads PEM and PKCS12 only (a JKS-typed PKCS12 file is read, as
// Java 17 reads it); a cipher suite or protocol Java does not know fails
// each connection in Kafka, and the start here.
#pragma once

#include <memory>
#include <string>

#include "broker/config/broker_config.h"
#include "broker/security/principal_mapping.h"

namespace boost::asio::ssl {
class context;
}

namespace kafkalite::security {

enum class ClientAuth { kNone, kRequested, kRequired };

struct TlsListener {
  std::shared_ptr<boost::asio::ssl::context> context;
  ClientAuth client_auth = ClientAuth::kNone;
  // ssl.principal.mapping.rules (SSL listeners; none on SASL_SSL).
  std::shared_ptr<PrincipalMapper> principal_mapper;
};

// Throws std::invalid_argument with Kafka's message when the listener's
// settings are refused.
TlsListener tls_listener(const config::BrokerConfig& config, const std::string& listener, bool sasl);

}  // namespace kafkalite::security
