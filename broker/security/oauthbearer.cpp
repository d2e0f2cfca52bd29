#include "broker/security/oauthbearer.h"

#include <re2/re2.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <variant>
#include <vector>

#include "common/security/crypto.h"
#include "common/text.h"

namespace kafkalite::security {
namespace {

using nlohmann::json;

const RE2& gs2_message_pattern() {
  static const RE2 pattern(
      "n,(?:a=((?:[\\x01-\\x2B\\x2D-\\x3C\\x3E-\\x7F]|=2C|=3D)+))?,\\x01((?:[A-Za-z]+=[\\x21-\\x7E \\t\\r\\n]+\\x01)*)"
      "\\x01");
  return pattern;
}
const RE2& auth_pattern() {
  static const RE2 pattern("(\\w+)[ ]+([-_~+/.a-zA-Z0-9]+=*)");
  return pattern;
}
const RE2& scope_item_pattern() {
  static const RE2 pattern("[\\x23-\\x5B\\x5D-\\x7E\\x21]+");
  return pattern;
}

// A claim as Kafka's unsecured JWS reads it from Jackson: numbers stay
// numbers, arrays become lists of their elements' text, anything else its
// text (true, null, "" for an object).
using Claim = std::variant<double, std::string, std::vector<std::string>>;
using Claims = std::map<std::string, Claim>;

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_null()) return "null";
  if (v.is_number()) return v.dump();
  return "";
}

// Java's basic Base64 decoder, padding optional (as 4.1.1 decodes JWS parts).
std::optional<std::string> decode_part(const std::string& part) {
  if (part.size() % 4 == 1) return std::nullopt;
  std::string padded = part;
  if (padded.find('=') == std::string::npos) padded.append((4 - padded.size() % 4) % 4, '=');
  return crypto::base64_decode(padded);
}

std::optional<Claims> to_map(const std::string& part) {
  auto bytes = decode_part(part);
  if (!bytes) return std::nullopt;  // malformed Base64 URL encoded value
  Claims out;
  if (bytes->empty()) return out;
  json parsed = json::parse(*bytes, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;  // malformed JSON
  if (!parsed.is_object()) return out;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_number()) {
      out[key] = value.get<double>();
    } else if (value.is_array()) {
      std::vector<std::string> items;
      for (const auto& item : value) items.push_back(as_text(item));
      out[key] = items;
    } else {
      out[key] = as_text(value);
    }
  }
  return out;
}

const double* number(const Claims& claims, const std::string& name) {
  auto it = claims.find(name);
  return it == claims.end() ? nullptr : std::get_if<double>(&it->second);
}

struct Options {
  std::string principal_claim = "sub";
  std::string scope_claim = "scope";
  std::vector<std::string> required_scope;
  int64_t clock_skew_ms = 0;
};

// The options as UVH reads them at each login; nullopt where Kafka throws
// (an uncaught OAuthBearerConfigException).
std::optional<Options> read_options(const std::map<std::string, std::string>& jaas) {
  Options o;
  auto option = [&](const char* name) -> std::optional<std::string> {
    auto it = jaas.find(name);
    if (it == jaas.end()) return std::nullopt;
    return text::trim(it->second);
  };
  if (auto v = option("unsecuredValidatorPrincipalClaimName"); v && !v->empty()) o.principal_claim = *v;
  if (auto v = option("unsecuredValidatorScopeClaimName"); v && !v->empty()) o.scope_claim = *v;
  if (auto v = option("unsecuredValidatorRequiredScope")) {
    for (const auto& item : text::split(*v, ' ')) {
      if (item.empty()) continue;
      if (!RE2::FullMatch(item, scope_item_pattern())) return std::nullopt;
      o.required_scope.push_back(item);
    }
  }
  if (auto v = option("unsecuredValidatorAllowableClockSkewMs")) {
    try {
      size_t used = 0;
      const long long skew = std::stoll(*v, &used);
      if (used != v->size() || skew < 0 || skew > INT32_MAX) return std::nullopt;
      o.clock_skew_ms = skew;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return o;
}

struct Token {
  std::string principal;
  int64_t lifetime_ms = 0;  // exp, in wall-clock ms
};
struct Invalid {
  std::optional<std::string> scope;  // insufficient_scope's required list
};
struct Unexpected {
  std::string why;
};

std::variant<Token, Invalid, Unexpected> validate(const std::string& token, const Options& o, int64_t now) {
  if (token.find("..") != std::string::npos) return Invalid{};
  std::vector<std::string> parts = text::split(token, '.');
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  if (!token.empty() && token.back() == '.') parts.push_back("");
  if (parts.size() != 3) return Invalid{};
  auto header = to_map(parts[0]);
  if (!header) return Invalid{};
  auto claims = to_map(parts[1]);
  if (!claims) return Invalid{};
  auto alg = header->find("alg");
  if (alg == header->end()) return Unexpected{"JWS header must have an Algorithm value"};
  const std::string* alg_text = std::get_if<std::string>(&alg->second);
  if (!alg_text || *alg_text != "none" || !parts[2].empty()) return Invalid{};
  std::set<std::string> scope;
  if (auto it = claims->find(o.scope_claim); it != claims->end()) {
    if (std::holds_alternative<double>(it->second)) return Invalid{};
    if (auto* s = std::get_if<std::string>(&it->second)) {
      if (!text::trim(*s).empty()) scope.insert(text::trim(*s));
    } else {
      for (const auto& item : std::get<std::vector<std::string>>(it->second)) {
        if (!text::trim(item).empty()) scope.insert(text::trim(item));
      }
    }
  }
  const double* exp = number(*claims, "exp");
  if (!exp) return Invalid{};
  auto principal = claims->find(o.principal_claim);
  if (principal == claims->end()) return Invalid{};
  const std::string* name = std::get_if<std::string>(&principal->second);
  if (!name || text::trim(*name).empty()) return Invalid{};
  const double* iat = number(*claims, "iat");
  if (claims->count("iat") && !iat) return Invalid{};
  if (iat && 1000 * *iat > static_cast<double>(now + o.clock_skew_ms)) return Invalid{};
  if (static_cast<double>(now - o.clock_skew_ms) >= 1000 * *exp) return Invalid{};
  if (iat && *exp <= *iat) return Invalid{};
  for (const auto& required : o.required_scope) {
    if (!scope.count(required)) return Invalid{"[" + text::join(o.required_scope, ", ") + "]"};
  }
  return Token{*name, static_cast<int64_t>(std::floor(*exp * 1000 + 0.5))};
}

class OAuthBearerServer : public SaslServer {
 public:
  OAuthBearerServer(const std::map<std::string, std::string>& options, WallClockMs now)
      : options_(options), now_(std::move(now)) {}
  const char* mechanism() const override { return "OAUTHBEARER"; }
  const std::string& authorization_id() const override { return principal_; }
  std::optional<std::string> claimed_user() const override { return claimed_; }
  std::optional<int64_t> credential_expiry_ms() const override { return expiry_; }

  std::variant<SaslStep, SaslFailure> evaluate(const std::string& response) override {
    if (response == "\x01" && error_) {
      return SaslFailure{SaslFailure::Kind::kAuthentication, *error_};
    }
    error_.reset();
    std::string authzid, kvpairs;
    if (!RE2::FullMatch(response, gs2_message_pattern(), &authzid, &kvpairs)) {
      return SaslFailure{SaslFailure::Kind::kHidden, "Invalid OAUTHBEARER client first message"};
    }
    std::map<std::string, std::string> pairs;
    for (const auto& pair : text::split(kvpairs, '\x01')) {
      const size_t eq = pair.find('=');
      if (eq != std::string::npos) pairs[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    auto auth = pairs.find("auth");
    if (auth == pairs.end()) {
      return SaslFailure{SaslFailure::Kind::kHidden, "Invalid OAUTHBEARER client first message: 'auth' not specified"};
    }
    std::string scheme, token;
    if (!RE2::FullMatch(auth->second, auth_pattern(), &scheme, &token)) {
      return SaslFailure{SaslFailure::Kind::kHidden, "Invalid OAUTHBEARER client first message: invalid 'auth' format"};
    }
    // Kafka's own message here names a regex group that does not exist, so
    // what it throws is caught by no one.
    if (text::lower(scheme) != "bearer") {
      return SaslFailure{SaslFailure::Kind::kUnexpected, "No group with name <scheme>"};
    }
    auto options = read_options(options_);
    if (!options) return SaslFailure{SaslFailure::Kind::kUnexpected, "Invalid unsecuredValidator* option"};
    auto result = validate(token, *options, now_());
    if (auto* unexpected = std::get_if<Unexpected>(&result)) {
      return SaslFailure{SaslFailure::Kind::kUnexpected, unexpected->why};
    }
    if (auto* invalid = std::get_if<Invalid>(&result)) {
      error_ = invalid->scope ? "{\"status\":\"insufficient_scope\", \"scope\":\"" + *invalid->scope + "\"}"
                              : std::string("{\"status\":\"invalid_token\"}");
      return SaslStep{*error_, false};
    }
    const Token& valid = std::get<Token>(result);
    claimed_ = valid.principal;
    if (!authzid.empty() && authzid != valid.principal) {
      return SaslFailure{SaslFailure::Kind::kAuthentication,
                         "Authentication failed: Client requested an authorization id (" + authzid +
                             ") that is different from the token's principal name (" + valid.principal + ")"};
    }
    principal_ = valid.principal;
    expiry_ = valid.lifetime_ms;
    return SaslStep{"", true};
  }

 private:
  const std::map<std::string, std::string>& options_;
  WallClockMs now_;
  std::optional<std::string> error_;  // the error sent, awaiting the client's \x01
  std::optional<std::string> claimed_;
  std::string principal_;
  std::optional<int64_t> expiry_;
};

}  // namespace

std::unique_ptr<SaslServer> make_oauthbearer_server(const std::map<std::string, std::string>& jaas_options,
                                                    WallClockMs now_ms) {
  return std::make_unique<OAuthBearerServer>(jaas_options, std::move(now_ms));
}

}  // namespace kafkalite::security
