#include "broker/security/keystore.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <re2/re2.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/security/crypto.h"

namespace kafkalite::security {

void X509Free::operator()(X509* x) const { X509_free(x); }
void PkeyFree::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

namespace {

constexpr const char* kPem = "PEM";

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// An exception's message with its cause, as Java prints a chain's head.
[[noreturn]] void fail(const std::string& message, const std::string& cause) {
  throw std::invalid_argument(message + ": " + cause);
}

// OpenSSL's last error, for a cause.
std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

X509Ptr certificate(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) fail("Could not parse certificate: " + openssl_error());
  return cert;
}

// Kafka's certs(): at least one, each X.509.
std::vector<X509Ptr> certificates(const std::string& pem) {
  const auto entries = pem_entries(pem, "CERTIFICATE");
  std::vector<X509Ptr> out;
  for (const auto& der : entries) out.push_back(certificate(der));
  return out;
}

// Kafka's privateKey(): one PKCS#8 block, decrypted with the key password
// when one is set; RSA, DSA or EC.
PkeyPtr private_key(const std::string& pem, const std::optional<std::string>& password) {
  const auto entries = pem_entries(pem, "PRIVATE KEY");
  if (entries.size() != 1) fail("Expected one private key, but found " + std::to_string(entries.size()));
  const auto* p = reinterpret_cast<const unsigned char*>(entries[0].data());
  const long size = static_cast<long>(entries[0].size());
  PKCS8_PRIV_KEY_INFO* info = nullptr;
  if (password) {
    X509_SIG* encrypted = d2i_X509_SIG(nullptr, &p, size);
    if (!encrypted) fail("ssl.key.password is set, but the private key is not an encrypted PKCS#8 key (" + openssl_error() + ")");
    info = PKCS8_decrypt(encrypted, password->data(), static_cast<int>(password->size()));
    X509_SIG_free(encrypted);
    if (!info) fail("the private key could not be decrypted with ssl.key.password (" + openssl_error() + ")");
  } else {
    info = d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, size);
  }
  PkeyPtr key(info ? EVP_PKCS82PKEY(info) : nullptr);
  PKCS8_PRIV_KEY_INFO_free(info);
  if (!key) fail("Private key could not be loaded", openssl_error());
  const int type = EVP_PKEY_base_id(key.get());
  if (type != EVP_PKEY_RSA && type != EVP_PKEY_DSA && type != EVP_PKEY_EC) {
    fail("Private key could not be loaded",
         "not an RSA, DSA or EC key (" + std::string(OBJ_nid2sn(type)) + ")");
  }
  return key;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("java.nio.file.NoSuchFileException: " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A PKCS12 file (KeyStore.getInstance(type).load(file, password)); JKS is
// tried as PKCS12 too, as Java 17's keystore.type.compat does.
struct Pkcs12Contents {
  PkeyPtr key;
  std::vector<X509Ptr> certificates;  // the key's first, then the others
};
Pkcs12Contents load_pkcs12(const std::string& path, const std::string& type, const std::optional<std::string>& password) {
  const std::string failure = "Failed to load SSL keystore " + path + " of type " + type;
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const std::invalid_argument& e) {
    fail(failure, e.what());
  }
  std::string upper = type;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != "PKCS12" && upper != "JKS") fail(failure, type + " not found");
  if (bytes.size() >= 4 && static_cast<unsigned char>(bytes[0]) == 0xFE && static_cast<unsigned char>(bytes[1]) == 0xED) {
    fail(failure + " (kafkalite reads PEM and PKCS12 stores, not JKS: convert it with keytool -importkeystore "
                   "-deststoretype PKCS12, or use ssl.keystore.type=PEM)");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(bytes.size()));
  if (!p12) fail(failure, "not a PKCS12 file (" + openssl_error() + ")");
  EVP_PKEY* key = nullptr;
  X509* leaf = nullptr;
  STACK_OF(X509)* others = nullptr;
  const int parsed = PKCS12_parse(p12, password ? password->c_str() : nullptr, &key, &leaf, &others);
  PKCS12_free(p12);
  if (!parsed) fail(failure, "keystore password was incorrect (" + openssl_error() + ")");
  Pkcs12Contents out;
  out.key.reset(key);
  if (leaf) out.certificates.emplace_back(leaf);
  for (int i = 0; others && i < sk_X509_num(others); ++i) out.certificates.emplace_back(sk_X509_value(others, i));
  sk_X509_free(others);
  return out;
}

}  // namespace

std::vector<std::string> pem_entries(const std::string& pem, const std::string& name) {
  // Kafka's pattern; Java's '.' stops at line ends, RE2's only at '\n'.
  std::string spaced;
  for (char c : name) spaced += c == ' ' ? std::string("\\s+") : std::string(1, c);
  const std::string edge = "-+%s\\s*[^\\r\\n]*" + spaced + "[^-]*-+\\s+";
  auto edge_of = [&](const std::string& word) {
    std::string out = edge;
    out.replace(out.find("%s"), 2, word);
    return out;
  };
  const RE2 pattern(edge_of("BEGIN") + "(?:\\s*[^\\r\\n]*:[^\\r\\n]*[\\r\\n]+)*([a-zA-Z0-9/+=\\s]*)" + edge_of("END"));
  const std::string text = pem + "\n";  // the last newline may be left out
  re2::StringPiece rest(text);
  std::string base64;
  std::vector<std::string> entries;
  while (RE2::FindAndConsume(&rest, pattern, &base64)) {
    std::string compact;
    for (char c : base64) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') compact += c;
    }
    auto der = crypto::base64_decode(compact);
    if (!der) fail("Illegal base64 character in a " + name + " block");
    entries.push_back(std::move(*der));
  }
  if (entries.empty()) fail("No matching " + name + " entries in PEM file");
  return entries;
}

std::optional<KeyStore> load_keystore(const StoreSettings& s) {
  const std::string& type = s.keystore_type;
  if (s.keystore_key) {
    if (type != kPem) fail("SSL private key can be specified only for PEM, but key store type is " + type + ".");
    if (!s.keystore_certificate_chain) fail("SSL private key is specified, but certificate chain is not specified.");
    if (s.keystore_location) fail("Both SSL key store location and separate private key are specified.");
    if (s.keystore_password) {
      fail("SSL key store password cannot be specified with PEM format, only key password may be specified.");
    }
    try {
      KeyStore store{private_key(*s.keystore_key, s.key_password), certificates(*s.keystore_certificate_chain)};
      return store;
    } catch (const std::invalid_argument& e) {
      fail("Invalid PEM keystore configs", e.what());
    }
  }
  if (s.keystore_certificate_chain) fail("SSL certificate chain is specified, but private key is not specified");
  if (type == kPem && s.keystore_location) {
    if (s.keystore_password) {
      fail("SSL key store password cannot be specified with PEM format, only key password may be specified");
    }
    try {
      const std::string contents = read_file(*s.keystore_location);
      try {
        KeyStore store{private_key(contents, s.key_password), certificates(contents)};
        return store;
      } catch (const std::invalid_argument& e) {
        fail("Invalid PEM keystore configs", e.what());
      }
    } catch (const std::invalid_argument& e) {
      fail("Failed to load PEM SSL keystore " + *s.keystore_location, e.what());
    }
  }
  if (!s.keystore_location && s.keystore_password) {
    fail("SSL key store is not specified, but key store password is specified.");
  }
  if (s.keystore_location && !s.keystore_password) {
    fail("SSL key store is specified, but key store password is not specified.");
  }
  if (!s.keystore_location) return std::nullopt;
  auto contents = load_pkcs12(*s.keystore_location, type, s.keystore_password);
  if (!contents.key || contents.certificates.empty()) {
    fail("Failed to load SSL keystore " + *s.keystore_location + " of type " + type,
         "no private key entry with a certificate in it");
  }
  // The key password (ssl.key.password, else the store's) opens the key in
  // Java; PKCS12_parse opened it with the store's, which is what keytool writes.
  KeyStore store{std::move(contents.key), std::move(contents.certificates)};
  return store;
}

std::optional<std::vector<X509Ptr>> load_truststore(const StoreSettings& s) {
  const std::string& type = s.truststore_type;
  if (s.truststore_certificates) {
    if (type != kPem) fail("SSL trust store certs can be specified only for PEM, but trust store type is " + type + ".");
    if (s.truststore_location) fail("Both SSL trust store location and separate trust certificates are specified.");
    if (s.truststore_password) fail("SSL trust store password cannot be specified for PEM format.");
    try {
      return certificates(*s.truststore_certificates);
    } catch (const std::invalid_argument& e) {
      const std::string message = e.what();
      if (message.rfind("No matching", 0) == 0) throw;
      fail("Invalid PEM truststore configs", message);
    }
  }
  if (type == kPem && s.truststore_location) {
    if (s.truststore_password) fail("SSL trust store password cannot be specified for PEM format.");
    try {
      return certificates(read_file(*s.truststore_location));
    } catch (const std::invalid_argument& e) {
      fail("Failed to load PEM SSL keystore " + *s.truststore_location, e.what());
    }
  }
  if (!s.truststore_location && s.truststore_password) {
    fail("SSL trust store is not specified, but trust store password is specified.");
  }
  if (!s.truststore_location) return std::nullopt;
  auto contents = load_pkcs12(*s.truststore_location, type, s.truststore_password);
  return std::move(contents.certificates);
}

}  // namespace kafkalite::security
