#include "broker/security/scram_credentials.h"

#include <spdlog/spdlog.h>

#include "broker/storage/keys.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::security {
namespace {

constexpr int16_t kFormat = 1;

wire::Bytes bytes_of(const std::string& s) { return wire::Bytes(s.begin(), s.end()); }
std::string string_of(const wire::Bytes& b) { return std::string(b.begin(), b.end()); }

std::string serialize(const ScramCredential& credential) {
  wire::Writer w;
  w.write_int16(kFormat);
  w.write_bytes(bytes_of(credential.salt), false);
  w.write_bytes(bytes_of(credential.stored_key), false);
  w.write_bytes(bytes_of(credential.server_key), false);
  w.write_int32(credential.iterations);
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<ScramCredential> parse(std::string_view value) {
  wire::Reader r({reinterpret_cast<const uint8_t*>(value.data()), value.size()});
  if (r.read_int16() != kFormat) return std::nullopt;
  ScramCredential credential;
  credential.salt = string_of(r.read_bytes(false));
  credential.stored_key = string_of(r.read_bytes(false));
  credential.server_key = string_of(r.read_bytes(false));
  credential.iterations = r.read_int32();
  if (!r.ok()) return std::nullopt;
  return credential;
}

}  // namespace

ScramCredentials::ScramCredentials(storage::KvStore& store) : store_(store) {
  const std::string begin = storage::keys::scram_credentials_prefix();
  store_.scan(begin, storage::keys::after_prefix(begin), [&](std::string_view key, std::string_view value) {
    const auto parsed_key = storage::keys::parse_scram_credential(key);
    auto credential = parse(value);
    if (!credential) {
      spdlog::error("Skipping a SCRAM credential of user {} that cannot be read (format unknown)", parsed_key.user);
      return true;
    }
    credentials_[{parsed_key.user, static_cast<ScramMechanism>(parsed_key.mechanism)}] = std::move(*credential);
    return true;
  });
}

std::optional<ScramCredential> ScramCredentials::find(const std::string& user, ScramMechanism mechanism) const {
  auto it = credentials_.find({user, mechanism});
  if (it == credentials_.end()) return std::nullopt;
  return it->second;
}

bool ScramCredentials::has_user(const std::string& user) const {
  auto it = credentials_.lower_bound({user, ScramMechanism::kUnknown});
  return it != credentials_.end() && it->first.first == user;
}

storage::WriteResult ScramCredentials::apply(const std::vector<Change>& changes) {
  storage::WriteBatch batch;
  for (const auto& change : changes) {
    std::string key = storage::keys::scram_credential(change.user, static_cast<int8_t>(change.mechanism));
    if (change.credential) {
      batch.put(std::move(key), serialize(*change.credential));
    } else {
      batch.remove(std::move(key));
    }
  }
  if (auto failed = store_.apply(batch)) return failed;
  for (const auto& change : changes) {
    if (change.credential) {
      credentials_[{change.user, change.mechanism}] = *change.credential;
    } else {
      credentials_.erase({change.user, change.mechanism});
    }
  }
  return std::nullopt;
}

}  // namespace kafkalite::security
