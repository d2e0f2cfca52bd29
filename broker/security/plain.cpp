#include "broker/security/plain.h"

#include <vector>

#include "common/security/crypto.h"

namespace kafkalite::security {
namespace {

class PlainServer : public SaslServer {
 public:
  explicit PlainServer(const PlainUsers& users) : users_(users) {}
  const char* mechanism() const override { return "PLAIN"; }
  const std::string& authorization_id() const override { return user_; }
  std::optional<std::string> claimed_user() const override { return claimed_; }

  std::variant<SaslStep, SaslFailure> evaluate(const std::string& token) override {
    // Split at NULs into at most four pieces; exactly three are wanted.
    std::vector<std::string> parts;
    size_t start = 0;
    while (parts.size() < 3) {
      const size_t nul = token.find('\0', start);
      if (nul == std::string::npos) break;
      parts.push_back(token.substr(start, nul - start));
      start = nul + 1;
    }
    parts.push_back(token.substr(start));
    if (parts.size() != 3) {
      return fail("Invalid SASL/PLAIN response: expected 3 tokens, got " + std::to_string(parts.size()));
    }
    const std::string& authzid = parts[0];
    const std::string& user = parts[1];
    const std::string& password = parts[2];
    if (user.empty()) return fail("Authentication failed: username not specified");
    claimed_ = user;
    if (password.empty()) return fail("Authentication failed: password not specified");
    auto it = users_.find(user);
    // Compared in constant time even for an unknown user.
    const bool known = it != users_.end();
    const bool matches = crypto::equal_constant_time(known ? it->second : std::string(password.size() + 1, '\0'),
                                                     password);
    if (!known || !matches) return fail("Authentication failed: Invalid username or password");
    if (!authzid.empty() && authzid != user) {
      return fail("Authentication failed: Client requested an authorization id that is different from username");
    }
    user_ = user;
    return SaslStep{"", true};
  }

 private:
  static SaslFailure fail(std::string message) { return {SaslFailure::Kind::kAuthentication, std::move(message)}; }
  const PlainUsers& users_;
  std::string user_;
  std::optional<std::string> claimed_;
};

}  // namespace

PlainUsers plain_users(const std::map<std::string, std::string>& jaas_options) {
  PlainUsers users;
  for (const auto& [key, value] : jaas_options) {
    if (key.rfind("user_", 0) == 0) users[key.substr(5)] = value;
  }
  return users;
}

std::unique_ptr<SaslServer> make_plain_server(const PlainUsers& users) { return std::make_unique<PlainServer>(users); }

}  // namespace kafkalite::security
