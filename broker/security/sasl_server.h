// One SASL exchange on the broker's side, as Java's SaslServer: tokens from
// the client in, tokens to it out, until complete or failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace kafkalite::security {

// How an exchange failed. Kafka tells the client the message of an
// authentication failure as it is (PLAIN's messages), but hides the reason
// of any other SASL failure behind a generic text naming the mechanism
// (SCRAM's unknown user and bad proof).
struct SaslFailure {
  // kUnexpected: Kafka's server throws something no one catches; the
  // connection closes at once, unanswered.
  enum class Kind { kAuthentication, kHidden, kUnexpected };
  Kind kind = Kind::kAuthentication;
  std::string message;  // what the broker logs; the client's text when kAuthentication
};

struct SaslStep {
  std::string token;  // the server's answer (may be empty)
  bool complete = false;
};

class SaslServer {
 public:
  virtual ~SaslServer() = default;
  virtual const char* mechanism() const = 0;
  virtual std::variant<SaslStep, SaslFailure> evaluate(const std::string& client_token) = 0;
  // The authenticated user, once complete (the principal's name).
  virtual const std::string& authorization_id() const = 0;
  // The user the client claimed, when it got that far (for log lines).
  virtual std::optional<std::string> claimed_user() const = 0;
  // When the credential itself expires (wall clock, ms), once complete: an
  // OAUTHBEARER token's exp. The session ends then at the latest.
  virtual std::optional<int64_t> credential_expiry_ms() const { return std::nullopt; }
};

}  // namespace kafkalite::security
