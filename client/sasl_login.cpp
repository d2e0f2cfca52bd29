#include "client/sasl_login.h"

#include <map>

#include "common/security/crypto.h"

namespace kafkalite::client {
namespace {

namespace crypto = security::crypto;

class PlainLogin : public SaslLogin {
 public:
  PlainLogin(std::string username, std::string password)
      : username_(std::move(username)), password_(std::move(password)) {}
  std::string first() override { return std::string(1, '\0') + username_ + std::string(1, '\0') + password_; }
  Step next(const std::string&) override { return {}; }

 private:
  std::string username_, password_;
};

// RFC 5802's saslname: "=" and "," escaped.
std::string sasl_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '=') {
      out += "=3D";
    } else if (c == ',') {
      out += "=2C";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class ScramLogin : public SaslLogin {
 public:
  ScramLogin(crypto::Hash hash, std::string username, std::string password)
      : hash_(hash), username_(sasl_name(username)), password_(std::move(password)),
        nonce_(crypto::base64_encode(crypto::random_bytes(24))) {}

  std::string first() override {
    client_first_bare_ = "n=" + username_ + ",r=" + nonce_;
    return "n,," + client_first_bare_;
  }

  Step next(const std::string& server) override {
    if (state_ == State::kFirstSent) return client_final(server);
    if (state_ == State::kFinalSent) {
      state_ = State::kDone;
      if (server != "v=" + crypto::base64_encode(server_signature_)) {
        return {std::nullopt, "the broker's SCRAM signature is not the one its password gives (" + server + ")"};
      }
      return {};
    }
    return {std::nullopt, "unexpected SCRAM message after the exchange ended"};
  }

 private:
  enum class State { kFirstSent, kFinalSent, kDone };

  Step client_final(const std::string& server_first) {
    std::map<char, std::string> fields;
    size_t start = 0;
    while (start < server_first.size()) {
      const size_t comma = std::min(server_first.find(',', start), server_first.size());
      if (comma > start + 1 && server_first[start + 1] == '=') {
        fields[server_first[start]] = server_first.substr(start + 2, comma - start - 2);
      }
      start = comma + 1;
    }
    const std::string nonce = fields['r'];
    const auto salt = crypto::base64_decode(fields['s']);
    int iterations = 0;
    try {
      iterations = std::stoi(fields['i']);
    } catch (const std::exception&) {
    }
    if (nonce.rfind(nonce_, 0) != 0 || nonce.size() <= nonce_.size() || !salt || iterations <= 0) {
      return {std::nullopt, "invalid SCRAM server-first message: " + server_first};
    }
    const std::string salted = crypto::pbkdf2(hash_, password_, *salt, iterations);
    const std::string client_key = crypto::hmac(hash_, salted, "Client Key");
    const std::string without_proof = "c=biws,r=" + nonce;
    const std::string auth_message = client_first_bare_ + "," + server_first + "," + without_proof;
    const std::string signature = crypto::hmac(hash_, crypto::digest(hash_, client_key), auth_message);
    std::string proof(client_key.size(), '\0');
    for (size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(client_key[i] ^ signature[i]);
    server_signature_ = crypto::hmac(hash_, crypto::hmac(hash_, salted, "Server Key"), auth_message);
    state_ = State::kFinalSent;
    return {without_proof + ",p=" + crypto::base64_encode(proof), ""};
  }

  crypto::Hash hash_;
  std::string username_, password_, nonce_;
  std::string client_first_bare_;
  std::string server_signature_;
  State state_ = State::kFirstSent;
};

}  // namespace

std::unique_ptr<SaslLogin> SaslLogin::create(const std::string& mechanism, const std::string& username,
                                             const std::string& password) {
  if (mechanism == "PLAIN") return std::make_unique<PlainLogin>(username, password);
  if (mechanism == "SCRAM-SHA-256") return std::make_unique<ScramLogin>(crypto::Hash::kSha256, username, password);
  if (mechanism == "SCRAM-SHA-512") return std::make_unique<ScramLogin>(crypto::Hash::kSha512, username, password);
  return nullptr;
}

}  // namespace kafkalite::client
