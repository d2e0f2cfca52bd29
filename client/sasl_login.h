// The client's side of a SASL login, token by token, as Kafka's
// SaslClientAuthenticator runs it over SaslAuthenticate: PLAIN (RFC 4616:
// one token) and SCRAM-SHA-256/512 (RFC 5802 without channel binding:
// client-first, client-final with the proof, then the server's signature
// checked, so a broker that does not know the password is not believed).
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace kafkalite::client {

class SaslLogin {
 public:
  // Null for a mechanism kafkalite's client does not speak.
  static std::unique_ptr<SaslLogin> create(const std::string& mechanism, const std::string& username,
                                           const std::string& password);
  virtual ~SaslLogin() = default;

  struct Step {
    std::optional<std::string> token;  // the next token to send; none: done
    std::string error;                 // the server's answer is not to be believed
  };
  // The first token.
  virtual std::string first() = 0;
  // What to send after the server's answer to the last token.
  virtual Step next(const std::string& server_token) = 0;
};

}  // namespace kafkalite::client
