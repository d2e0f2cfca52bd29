#include "broker/cluster/quorum.h"

#include <random>
#include <stdexcept>

#include "broker/storage/keys.h"
#include "common/protocol/wire/random_uuid.h"

namespace kafkalite::cluster {
namespace {

std::optional<int64_t> stored_number(storage::KvStore& store, std::string_view name) {
  auto value = store.get(storage::keys::metadata(name));
  if (!value) return std::nullopt;
  try {
    return std::stoll(*value);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

Quorum::Quorum(const config::BrokerConfig& config, storage::KvStore& store, int64_t now_ms)
    : config_(config), store_(store) {
  idle_interval_ms_ = std::max<int64_t>(1, config_.get_int("metadata.max.idle.interval.ms", 500));
  epoch_ = static_cast<int32_t>(stored_number(store_, "quorum.epoch").value_or(0) + 1);
  // Electing itself, the leader writes a leader-change record.
  base_offset_ = stored_number(store_, "quorum.offset").value_or(0) + 1;
  base_ms_ = now_ms;
  storage::WriteBatch batch;
  auto stored_id = store_.get(storage::keys::metadata("quorum.directory.id"));
  if (auto id = stored_id ? wire::Uuid::from_base64(*stored_id) : std::nullopt) {
    directory_id_ = *id;
  } else {
    std::mt19937_64 random{std::random_device{}()};
    directory_id_ = wire::random_uuid(random);
    batch.put(storage::keys::metadata("quorum.directory.id"), directory_id_.to_base64());
  }
  batch.put(storage::keys::metadata("quorum.epoch"), std::to_string(epoch_));
  batch.put(storage::keys::metadata("quorum.offset"), std::to_string(base_offset_));
  if (auto failed = store_.apply(batch)) {
    throw std::runtime_error("cannot write to the data directory: " + failed->message);
  }
}

int64_t Quorum::end_offset(int64_t now_ms) const {
  return base_offset_ + std::max<int64_t>(0, now_ms - base_ms_) / idle_interval_ms_;
}

int64_t Quorum::stage_append(int64_t now_ms, storage::WriteBatch& batch) const {
  const int64_t offset = end_offset(now_ms);
  batch.put(storage::keys::metadata("quorum.offset"), std::to_string(offset + 1));
  return offset;
}

void Quorum::appended(int64_t offset, int64_t now_ms) {
  base_offset_ = offset + 1;
  base_ms_ = now_ms;
}

storage::WriteResult Quorum::save(int64_t now_ms) {
  storage::WriteBatch batch;
  batch.put(storage::keys::metadata("quorum.offset"), std::to_string(end_offset(now_ms)));
  return store_.apply(batch);
}

std::optional<Quorum::Endpoint> Quorum::voter_endpoint() const {
  const std::string voters = config_.get_or("controller.quorum.voters", "");
  std::string listener = config_.get_or("controller.listener.names", "CONTROLLER");
  listener = listener.substr(0, listener.find(','));
  const std::string self = std::to_string(config_.node_id()) + "@";
  size_t start = 0;
  while (start < voters.size()) {
    const size_t comma = std::min(voters.find(',', start), voters.size());
    std::string entry = voters.substr(start, comma - start);
    start = comma + 1;
    while (!entry.empty() && entry.front() == ' ') entry.erase(entry.begin());
    while (!entry.empty() && entry.back() == ' ') entry.pop_back();
    if (entry.rfind(self, 0) != 0) continue;
    const std::string address = entry.substr(self.size());
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string host = address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    try {
      return Endpoint{listener, host, std::stoi(address.substr(colon + 1))};
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace kafkalite::cluster
