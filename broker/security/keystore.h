// Key stores and trust stores as Kafka's DefaultSslEngineFactory reads them
// (ssl.keystore.* / ssl.truststore.*), into OpenSSL objects:
//   - PEM, inline (ssl.keystore.key with ssl.keystore.certificate.chain,
//     ssl.truststore.certificates) or a file (ssl.*.location), parsed with
//     Kafka's pattern: text outside the blocks is ignored, any label that
//     contains the block's name matches, "Key: value" header lines are
//     skipped; one PKCS#8 private key (RSA, DSA or EC), encrypted exactly
//     when ssl.key.password is set; certificates in the order given;
//   - PKCS12 files (and JKS-typed files that are PKCS12, which Java 17
//     loads too); a real JKS file is refused (OpenSSL cannot read it).
// Each failure throws std::invalid_argument with Kafka's message and cause.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kafkalite::security {

struct X509Free {
  void operator()(X509* x) const;
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const;
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct KeyStore {
  PkeyPtr key;
  std::vector<X509Ptr> chain;  // the leaf first
};

// Kafka's store settings for one listener (null: not set).
struct StoreSettings {
  std::string keystore_type = "JKS";
  std::optional<std::string> keystore_location, keystore_password, key_password, keystore_key,
      keystore_certificate_chain;
  std::string truststore_type = "JKS";
  std::optional<std::string> truststore_location, truststore_password, truststore_certificates;
};

// The key store, or none when nothing is configured (as Kafka allows).
std::optional<KeyStore> load_keystore(const StoreSettings& settings);
// The trusted certificates, or none: then the system's CAs are trusted.
std::optional<std::vector<X509Ptr>> load_truststore(const StoreSettings& settings);

// Kafka's PemParser: the DER of every block whose label contains `name`
// ("CERTIFICATE", "PRIVATE KEY"); throws when there is none.
std::vector<std::string> pem_entries(const std::string& pem, const std::string& name);

}  // namespace kafkalite::security
