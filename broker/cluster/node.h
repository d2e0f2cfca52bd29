// This node as clients see it: the cluster id (made once and kept in the
// store), the node id, the endpoint each listener advertises, and the
// producer ids it hands out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "broker/config/broker_config.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::cluster {

class Node {
 public:
  // The storage layout this kafkalite writes and reads (storage/README.md).
  static const char* const kStorageFormat;

  // Reads the cluster id and the next producer id from the store, making the
  // cluster id on first start. Throws std::runtime_error when the store
  // cannot keep it (start-up only).
  Node(const config::BrokerConfig& config, storage::KvStore& store);

  const std::string& cluster_id() const { return cluster_id_; }
  int32_t node_id() const { return config_.node_id(); }

  // The network layer reports each listener's bound port (port 0 picks one).
  void set_bound_port(const std::string& listener, uint16_t port) { bound_ports_.try_emplace(listener, port); }
  uint16_t bound_port(const std::string& listener) const;
  // The host and port clients should use for `listener`.
  std::pair<std::string, int32_t> advertised_endpoint(const std::string& listener) const;

  // A new producer id, stored before it is handed out; none when the store
  // refuses the write.
  std::optional<int64_t> allocate_producer_id();

 private:
  const config::BrokerConfig& config_;
  storage::KvStore& store_;
  std::string cluster_id_;
  int64_t next_producer_id_ = 0;
  std::map<std::string, uint16_t> bound_ports_;
};

}  // namespace kafkalite::cluster
