// SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka's
// ScramSaslServer: client-first, server-first, client-final, server-final.
// Only the gs2 header "n" (no channel binding) is accepted; extensions are
// read and ignored (kafkalite has no delegation tokens). Every failure but
// an authorization id that differs from the user is hidden from the client
// behind the generic text, as Kafka hides it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/security/crypto.h"
#include "broker/security/sasl_server.h"

namespace kafkalite::security {

// The wire's ScramMechanism byte (DescribeUserScramCredentials and
// AlterUserScramCredentials): 1 SCRAM-SHA-256, 2 SCRAM-SHA-512.
enum class ScramMechanism : int8_t { kUnknown = 0, kSha256 = 1, kSha512 = 2 };

inline constexpr int kScramMinIterations = 4096;
inline constexpr int kScramMaxIterations = 16384;

std::optional<ScramMechanism> scram_mechanism_named(const std::string& name);
const char* scram_mechanism_name(ScramMechanism mechanism);
crypto::Hash scram_hash(ScramMechanism mechanism);

// What the broker keeps of a user's password (never the password).
struct ScramCredential {
  std::string salt;
  std::string stored_key;
  std::string server_key;
  int32_t iterations = 0;
};
// From the salted password a client sends in AlterUserScramCredentials.
ScramCredential scram_credential(ScramMechanism mechanism, const std::string& salt,
                                 const std::string& salted_password, int32_t iterations);

using ScramLookup = std::function<std::optional<ScramCredential>(const std::string& user, ScramMechanism)>;

std::unique_ptr<SaslServer> make_scram_server(ScramMechanism mechanism, ScramLookup lookup);

}  // namespace kafkalite::security
