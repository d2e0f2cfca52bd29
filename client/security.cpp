#include "client/security.h"

#include <fstream>
#include <sstream>

#include "common/security/jaas.h"
#include "common/text.h"

namespace kafkalite::client {
namespace {

std::optional<std::string> get(const std::map<std::string, std::string>& p, const std::string& key) {
  auto it = p.find(key);
  if (it == p.end()) return std::nullopt;
  return text::trim(it->second);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::variant<SecurityConfig, std::string> security_from_properties(
    const std::map<std::string, std::string>& p) {
  using Protocol = SecurityConfig::Protocol;
  SecurityConfig out;
  const std::string protocol = text::upper(get(p, "security.protocol").value_or("PLAINTEXT"));
  if (protocol == "PLAINTEXT") {
    out.protocol = Protocol::kPlaintext;
  } else if (protocol == "SSL") {
    out.protocol = Protocol::kSsl;
  } else if (protocol == "SASL_PLAINTEXT") {
    out.protocol = Protocol::kSaslPlaintext;
  } else if (protocol == "SASL_SSL") {
    out.protocol = Protocol::kSaslSsl;
  } else {
    return "Invalid value " + protocol + " for configuration security.protocol: String must be one of: PLAINTEXT, "
           "SSL, SASL_PLAINTEXT, SASL_SSL";
  }
  if (out.sasl()) {
    out.mechanism = get(p, "sasl.mechanism").value_or("GSSAPI");
    if (out.mechanism != "PLAIN" && out.mechanism != "SCRAM-SHA-256" && out.mechanism != "SCRAM-SHA-512") {
      return "sasl.mechanism=" + out.mechanism + ": kafkalite's client logs in with PLAIN, SCRAM-SHA-256 or "
             "SCRAM-SHA-512 only";
    }
    const auto jaas = get(p, "sasl.jaas.config");
    if (!jaas) return "sasl.jaas.config is not set: it names the user to log in as (username=\"...\" password=\"...\")";
    std::vector<security::LoginModule> modules;
    try {
      modules = security::parse_jaas(*jaas);
    } catch (const std::invalid_argument& e) {
      return std::string("sasl.jaas.config: ") + e.what();
    }
    if (modules.size() != 1) return "sasl.jaas.config must have exactly one login module";
    const auto& options = modules.front().options;
    auto username = options.find("username");
    auto password = options.find("password");
    if (username == options.end() || password == options.end()) {
      return "sasl.jaas.config has no username and password for " + out.mechanism;
    }
    out.username = username->second;
    out.password = password->second;
  }
  if (out.tls()) {
    const std::string truststore_type = text::upper(get(p, "ssl.truststore.type").value_or("JKS"));
    if (auto inline_cas = get(p, "ssl.truststore.certificates")) {
      out.trusted_certificates = *inline_cas;
    } else if (auto location = get(p, "ssl.truststore.location")) {
      if (truststore_type != "PEM") {
        return "ssl.truststore.type=" + truststore_type + ": kafkalite's client reads PEM trust stores only "
               "(ssl.truststore.type=PEM)";
      }
      out.trusted_certificates = read_file(*location);
      if (!out.trusted_certificates) return "Failed to load SSL truststore " + *location + " of type PEM";
    }
    const std::string keystore_type = text::upper(get(p, "ssl.keystore.type").value_or("JKS"));
    if (auto key = get(p, "ssl.keystore.key")) {
      out.private_key = *key;
      out.certificate_chain = get(p, "ssl.keystore.certificate.chain");
      if (!out.certificate_chain) {
        return "SSL private key is specified, but certificate chain is not specified.";
      }
    } else if (auto location = get(p, "ssl.keystore.location")) {
      if (keystore_type != "PEM") {
        return "ssl.keystore.type=" + keystore_type + ": kafkalite's client reads PEM key stores only "
               "(ssl.keystore.type=PEM, the key and its certificates in one file)";
      }
      auto pem = read_file(*location);
      if (!pem) return "Failed to load SSL keystore " + *location + " of type PEM";
      out.private_key = *pem;
      out.certificate_chain = *pem;
    }
    out.key_password = get(p, "ssl.key.password");
    out.verify_hostname = !get(p, "ssl.endpoint.identification.algorithm").value_or("https").empty();
  }
  return out;
}

}  // namespace kafkalite::client
