#include "broker/cluster/node.h"

#include <random>
#include <stdexcept>

#include "broker/storage/keys.h"
#include "common/protocol/wire/random_uuid.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::cluster {
namespace {

// A cluster id as `kafka-storage random-uuid` makes one.
std::string new_cluster_id() {
  std::mt19937_64 random{std::random_device{}()};
  return wire::random_uuid(random).to_base64();
}

}  // namespace

// A format-1 directory is read as it is (its batches stay whole) and marked
// 2, since batches written from then on may be pointers into value files,
// which a kafkalite of format 1 would misread.
const char* const Node::kStorageFormat = storage::kStorageFormat.data();

Node::Node(const config::BrokerConfig& config, storage::KvStore& store) : config_(config), store_(store) {
  // The layout of everything stored (storage/README.md); a data directory in
  // another layout is refused rather than misread.
  const std::string format = store_.get(storage::keys::metadata("storage.format")).value_or("0");
  const auto known = store_.get(storage::keys::metadata("cluster.id"));
  if (known && !storage::readable_storage_format(format)) {
    throw std::runtime_error("the data directory holds storage format " + format + ", and this kafkalite reads " +
                             "formats 1 and " + kStorageFormat + " only: start it with an empty data directory");
  }
  storage::WriteBatch batch;
  if (format != kStorageFormat) batch.put(storage::keys::metadata("storage.format"), kStorageFormat);
  if (known) {
    cluster_id_ = *known;
  } else {
    cluster_id_ = config_.get_or("cluster.id", new_cluster_id());
    batch.put(storage::keys::metadata("cluster.id"), cluster_id_);
  }
  if (!batch.empty()) {
    if (auto failed = store_.apply(batch)) {
      throw std::runtime_error("cannot write to the data directory: " + failed->message);
    }
  }
  if (auto next = store_.get(storage::keys::metadata("next.producer.id"))) {
    next_producer_id_ = std::stoll(*next);
  }
}

uint16_t Node::bound_port(const std::string& listener) const {
  auto it = bound_ports_.find(listener);
  return it == bound_ports_.end() ? 0 : it->second;
}

std::pair<std::string, int32_t> Node::advertised_endpoint(const std::string& listener) const {
  for (const auto& adv : config_.advertised_listeners()) {
    if (adv.name != listener) continue;
    std::string host = adv.host;
    int32_t port = adv.port;
    if (port == 0) port = bound_port(listener);
    if (host.empty() || host == "0.0.0.0" || host == "::") host = "localhost";
    return {host, port};
  }
  return {"localhost", bound_port(listener)};
}

std::optional<int64_t> Node::allocate_producer_id() {
  storage::WriteBatch batch;
  batch.put(storage::keys::metadata("next.producer.id"), std::to_string(next_producer_id_ + 1));
  if (store_.apply(batch)) return std::nullopt;
  return next_producer_id_++;
}

}  // namespace kafkalite::cluster
