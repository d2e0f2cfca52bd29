// The users' SCRAM credentials, as Kafka's controller keeps them in its
// metadata log (UserScramCredentialRecord): per user and mechanism a salt,
// the stored and server keys and the iteration count, never the password.
// Stored under the 'U' keys; a change is written before memory is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/security/scram.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::security {

class ScramCredentials {
 public:
  explicit ScramCredentials(storage::KvStore& store);

  std::optional<ScramCredential> find(const std::string& user, ScramMechanism mechanism) const;
  bool has_user(const std::string& user) const;
  // Every user with a credential, by name, and their credentials by mechanism.
  using Key = std::pair<std::string, ScramMechanism>;
  const std::map<Key, ScramCredential>& all() const { return credentials_; }

  // One change: set (credential) or delete (nullopt).
  struct Change {
    std::string user;
    ScramMechanism mechanism = ScramMechanism::kUnknown;
    std::optional<ScramCredential> credential;
  };
  // Applies every change in one write, then in memory.
  [[nodiscard]] storage::WriteResult apply(const std::vector<Change>& changes);

 private:
  storage::KvStore& store_;
  std::map<Key, ScramCredential> credentials_;
};

}  // namespace kafkalite::security
