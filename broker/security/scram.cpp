#include "broker/security/scram.h"

#include <re2/re2.h>

#include <stdexcept>

namespace kafkalite::security {
namespace {

// Kafka's ScramMessages patterns, in RE2's syntax (RE2 has no class
// intersection, so the excluded characters are left out of the ranges).
#define SASLNAME "(?:[\\x01-\\x2B\\x2D-\\x3C\\x3E-\\x7F]|=2C|=3D)+"
#define VALUE "[\\x01-\\x2B\\x2D-\\x7F]+"
#define PRINTABLE "[\\x21-\\x2B\\x2D-\\x7E]+"
#define BASE64 "(?:[a-zA-Z0-9/+]{4})*(?:[a-zA-Z0-9/+]{3}=|[a-zA-Z0-9/+]{2}==)?"
#define EXTENSIONS "(?:,[A-Za-z]+=" VALUE ")*"

const RE2& client_first_pattern() {
  static const RE2 pattern("n,(?:a=(" SASLNAME "))?,(?:m=" VALUE ",)?n=(" SASLNAME "),r=(" PRINTABLE ")(" EXTENSIONS
                           ")");
  return pattern;
}
const RE2& client_final_pattern() {
  static const RE2 pattern("c=(" BASE64 "),r=(" PRINTABLE ")" EXTENSIONS ",p=(" BASE64 ")");
  return pattern;
}

// saslname -> user name: "=2C" is ',' and "=3D" is '=' (the pattern allows
// no other '=').
std::string username_of(const std::string& saslname) {
  std::string out;
  for (size_t i = 0; i < saslname.size(); ++i) {
    if (saslname[i] == '=') {
      out.push_back(saslname.compare(i, 3, "=2C") == 0 ? ',' : '=');
      i += 2;
    } else {
      out.push_back(saslname[i]);
    }
  }
  return out;
}

// 130 random bits in base 36, as Kafka's server nonce (BigInteger.toString(36)).
std::string server_nonce() {
  std::string bits = crypto::random_bytes(17);
  bits[0] = static_cast<char>(static_cast<unsigned char>(bits[0]) & 0x03);  // 2 + 128 bits
  std::string digits;
  std::string number = bits;
  auto is_zero = [](const std::string& n) {
    for (char c : n) {
      if (c != 0) return false;
    }
    return true;
  };
  while (!is_zero(number)) {
    int remainder = 0;
    for (char& c : number) {
      const int value = remainder * 256 + static_cast<unsigned char>(c);
      c = static_cast<char>(value / 36);
      remainder = value % 36;
    }
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[remainder]);
  }
  return digits.empty() ? "0" : digits;
}

std::string xor_of(const std::string& a, const std::string& b) {
  std::string out(a.size(), '\0');
  for (size_t i = 0; i < a.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

class ScramServer : public SaslServer {
 public:
  ScramServer(ScramMechanism mechanism, ScramLookup lookup) : mechanism_(mechanism), lookup_(std::move(lookup)) {}
  const char* mechanism() const override { return scram_mechanism_name(mechanism_); }
  const std::string& authorization_id() const override { return user_; }
  std::optional<std::string> claimed_user() const override { return claimed_; }

  std::variant<SaslStep, SaslFailure> evaluate(const std::string& token) override {
    if (state_ == State::kClientFirst) return client_first(token);
    if (state_ == State::kClientFinal) return client_final(token);
    return hidden("Unexpected challenge in Sasl server state");
  }

 private:
  enum class State { kClientFirst, kClientFinal, kDone };

  static SaslFailure hidden(std::string message) { return {SaslFailure::Kind::kHidden, std::move(message)}; }

  std::variant<SaslStep, SaslFailure> client_first(const std::string& token) {
    state_ = State::kDone;
    std::string authzid, saslname, nonce, extensions;
    if (!RE2::FullMatch(token, client_first_pattern(), &authzid, &saslname, &nonce, &extensions)) {
      return hidden("Invalid SCRAM client first message format");
    }
    const std::string user = username_of(saslname);
    claimed_ = user;
    credential_ = lookup_(user, mechanism_);
    if (!credential_) return hidden("Authentication failed: Invalid user credentials");
    if (!authzid.empty() && authzid != user) {
      return SaslFailure{SaslFailure::Kind::kAuthentication,
                         "Authentication failed: Client requested an authorization id that is different from username"};
    }
    if (credential_->iterations < kScramMinIterations) {
      return hidden("Iterations " + std::to_string(credential_->iterations) + " is less than the minimum " +
                    std::to_string(kScramMinIterations) + " for " + mechanism());
    }
    user_candidate_ = user;
    client_first_bare_ = "n=" + saslname + ",r=" + nonce + extensions;
    nonce_ = nonce + server_nonce();
    server_first_ = "r=" + nonce_ + ",s=" + crypto::base64_encode(credential_->salt) +
                    ",i=" + std::to_string(credential_->iterations);
    state_ = State::kClientFinal;
    return SaslStep{server_first_, false};
  }

  std::variant<SaslStep, SaslFailure> client_final(const std::string& token) {
    state_ = State::kDone;
    std::string channel, nonce, proof64;
    if (!RE2::FullMatch(token, client_final_pattern(), &channel, &nonce, &proof64)) {
      return hidden("Invalid SCRAM client final message format");
    }
    if (nonce != nonce_) return hidden("Invalid client nonce in the final client message.");
    const crypto::Hash hash = scram_hash(mechanism_);
    // The pattern has checked both are base64.
    const std::string proof = crypto::base64_decode(proof64).value_or("");
    const std::string auth_message =
        client_first_bare_ + "," + server_first_ + "," + "c=" + channel + ",r=" + nonce;
    const std::string client_signature = crypto::hmac(hash, credential_->stored_key, auth_message);
    // Kafka fails a proof of the wrong length outright; it is a bad proof here.
    if (proof.size() != client_signature.size() ||
        !crypto::equal_constant_time(crypto::digest(hash, xor_of(client_signature, proof)), credential_->stored_key)) {
      return hidden("Invalid client credentials");
    }
    user_ = user_candidate_;
    const std::string server_signature = crypto::hmac(hash, credential_->server_key, auth_message);
    credential_.reset();
    return SaslStep{"v=" + crypto::base64_encode(server_signature), true};
  }

  ScramMechanism mechanism_;
  ScramLookup lookup_;
  State state_ = State::kClientFirst;
  std::optional<ScramCredential> credential_;
  std::optional<std::string> claimed_;
  std::string user_candidate_;
  std::string user_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;
};

}  // namespace

std::optional<ScramMechanism> scram_mechanism_named(const std::string& name) {
  if (name == "SCRAM-SHA-256") return ScramMechanism::kSha256;
  if (name == "SCRAM-SHA-512") return ScramMechanism::kSha512;
  return std::nullopt;
}

const char* scram_mechanism_name(ScramMechanism mechanism) {
  switch (mechanism) {
    case ScramMechanism::kSha256: return "SCRAM-SHA-256";
    case ScramMechanism::kSha512: return "SCRAM-SHA-512";
    default: return "UNKNOWN";
  }
}

crypto::Hash scram_hash(ScramMechanism mechanism) {
  return mechanism == ScramMechanism::kSha512 ? crypto::Hash::kSha512 : crypto::Hash::kSha256;
}

ScramCredential scram_credential(ScramMechanism mechanism, const std::string& salt,
                                 const std::string& salted_password, int32_t iterations) {
  const crypto::Hash hash = scram_hash(mechanism);
  const std::string client_key = crypto::hmac(hash, salted_password, "Client Key");
  return ScramCredential{salt, crypto::digest(hash, client_key), crypto::hmac(hash, salted_password, "Server Key"),
                         iterations};
}

std::unique_ptr<SaslServer> make_scram_server(ScramMechanism mechanism, ScramLookup lookup) {
  return std::make_unique<ScramServer>(mechanism, std::move(lookup));
}

}  // namespace kafkalite::security
