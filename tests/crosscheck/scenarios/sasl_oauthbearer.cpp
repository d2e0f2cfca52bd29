// SASL/OAUTHBEARER with Kafka's default validator of unsecured JWS tokens
// (secure.properties: the scope "kafka" is required): good and bad tokens,
// the client's \x01 after an error, retrying in the same exchange, and the
// malformed messages Kafka drops the connection on.
#include <chrono>

#include "common/security/crypto.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

namespace crypto = security::crypto;

// A JWS part: standard base64 without padding (4.1.1 decodes with the
// standard alphabet); `url` makes it base64url, as librdkafka and Java encode.
std::string part(const std::string& text, bool url = false) {
  std::string out = crypto::base64_encode(text);
  while (!out.empty() && out.back() == '=') out.pop_back();
  if (url) {
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  return out;
}

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string token(const std::string& claims, const std::string& header = R"({"alg":"none"})", bool url = false) {
  return part(header) + "." + part(claims, url) + ".";
}

std::string claims(const std::string& sub, int64_t exp_from_now, const std::string& scope = R"(["kafka"])") {
  const int64_t now = now_seconds();
  std::string out = R"({"sub":")" + sub + R"(","iat":)" + std::to_string(now) + R"(,"exp":)" +
                    std::to_string(now + exp_from_now);
  if (!scope.empty()) out += R"(,"scope":)" + scope;
  return out + "}";
}

std::string first_message(const std::string& auth, const std::string& authzid = "") {
  return "n," + (authzid.empty() ? "" : "a=" + authzid) + ",\x01" + "auth=" + auth + "\x01\x01";
}

// Sends one SaslAuthenticate; records the answer (the session lifetime as
// whether it is within the token's hour), or that the connection closed.
bool step(Session& s, client::Connection& c, const std::string& label, const std::string& bytes) {
  SaslAuthenticateRequest request;
  request.auth_bytes.assign(bytes.begin(), bytes.end());
  try {
    const auto response = c.request<SaslAuthenticateApi>(request, 2);
    s.note(label, {{"ErrorCode", static_cast<int>(response.error_code)},
                   {"ErrorMessage", response.error_message ? json(*response.error_message) : json(nullptr)},
                   {"AuthBytes", std::string(response.auth_bytes.begin(), response.auth_bytes.end())},
                   {"lifetime within the token's hour",
                    response.session_lifetime_ms > 3500000 && response.session_lifetime_ms <= 3600000}});
    return response.error_code == ErrorCode::None;
  } catch (const std::exception&) {
    s.note(label, "connection closed");
    return false;
  }
}

// A new connection with a v1 handshake for OAUTHBEARER.
std::unique_ptr<client::Connection> oauth_connection(Session& s, const std::string& label) {
  auto c = s.sasl_connection();
  SaslHandshakeRequest handshake;
  handshake.mechanism = "OAUTHBEARER";
  const auto answer = c->request<SaslHandshakeApi>(handshake, 1);
  s.note(label + ": handshake", to_json(answer));
  return c;
}

void after_failure(Session& s, client::Connection& c, const std::string& label) {
  try {
    s.note(label, c.readable_within(std::chrono::seconds(10)) ? (c.receive_frame(), "answered") : "nothing");
  } catch (const std::exception&) {
    s.note(label, "closed");
  }
}

}  // namespace

CROSSCHECK_SECURE_SCENARIO(sasl_oauthbearer) {
  {
    auto c = oauth_connection(s, "alice");
    if (step(s, *c, "alice's token", first_message("Bearer " + token(claims("alice", 3600))))) {
      MetadataRequest metadata;
      metadata.topics.emplace();
      s.note("alice served", c->request<MetadataApi>(metadata, 12).brokers.size());
    }
  }
  // Bad tokens: the error as a challenge, \x01, then SASL_AUTHENTICATION_FAILED.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"without the scope", token(claims("bob", 3600, R"(["other"])"))},
      {"expired", token(claims("bob", -60))},
      {"signed", token(claims("bob", 3600), R"({"alg":"HS256"})")},
      {"no exp", token(R"({"sub":"bob","scope":"kafka"})")},
      {"a numeric sub", token(R"({"sub":7,"exp":4102444800,"scope":"kafka"})")},
      {"base64url with '_'", token(R"({"sub":"abc?","exp":4102444800,"scope":["kafka"]})", R"({"alg":"none"})", true)},
      {"not three parts", part(R"({"alg":"none"})") + "." + part(claims("bob", 3600))},
  };
  for (const auto& [label, jws] : bad) {
    auto c = oauth_connection(s, label);
    step(s, *c, label + ": token", first_message("Bearer " + jws));
    step(s, *c, label + ": \\x01", "\x01");
    after_failure(s, *c, label + ": then");
  }
  {
    // The same character in the standard alphabet is taken.
    auto c = oauth_connection(s, "base64 with '/'");
    step(s, *c, "base64 with '/': token",
         first_message("Bearer " + token(R"({"sub":"abc?","exp":4102444800,"scope":["kafka"]})")));
  }
  {
    // After an error, a new first message instead of \x01 starts again.
    auto c = oauth_connection(s, "retry");
    step(s, *c, "retry: expired token", first_message("Bearer " + token(claims("carol", -60))));
    step(s, *c, "retry: a good one", first_message("Bearer " + token(claims("carol", 3600))));
  }
  const std::vector<std::pair<std::string, std::string>> malformed = {
      {"no auth", "n,,\x01" "user=bob\x01\x01"},
      {"not ending in kvsep", "n,,\x01" "auth=Bearer " + token(claims("bob", 3600)) + "\x01"},
      {"bad auth format", first_message("Bearer")},
      {"another authzid", first_message("Bearer " + token(claims("bob", 3600)), "alice")},
      {"the same authzid", first_message("Bearer " + token(claims("bob", 3600)), "bob")},
      {"no alg", first_message("Bearer " + token(claims("bob", 3600), "{}"))},
      {"another scheme", first_message("Basic " + token(claims("bob", 3600)))},
  };
  for (const auto& [label, message] : malformed) {
    auto c = oauth_connection(s, label);
    if (!step(s, *c, label, message)) after_failure(s, *c, label + ": then");
  }
}

}  // namespace kafkalite::crosscheck
