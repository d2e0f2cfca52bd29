// The client's view of a Kafka cluster: connections to its brokers, the API
// versions each side supports, metadata and coordinators. Everything the
// admin client, the producer and the consumer send goes through call<Api>(),
// which picks the newest version both sides know, as Kafka's clients do, and
// turns every failure (refused connection, closed socket, timeout) into an
// Error value.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/connection.h"
#include "client/error.h"
#include "common/protocol/generated/visit_api.h"

namespace kafkalite::client {

struct ClientConfig {
  // "host:port[,host:port...]", Kafka's bootstrap.servers.
  std::string bootstrap_servers = "localhost:9092";
  std::string client_id = "kafkalite";
  std::chrono::milliseconds request_timeout{30000};
};

struct BrokerInfo {
  int32_t node_id = -1;
  std::string host;
  int32_t port = 0;
  std::optional<std::string> rack;
  std::string address() const { return host + ":" + std::to_string(port); }
};

struct PartitionInfo {
  int32_t partition = 0;
  int32_t leader = -1;
  int32_t leader_epoch = -1;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  std::vector<int32_t> offline;
  Error error;
};

struct TopicInfo {
  std::string name;
  wire::Uuid id;
  bool internal = false;
  std::vector<PartitionInfo> partitions;  // by partition index
  Error error;
};

struct ClusterMetadata {
  std::string cluster_id;
  int32_t controller_id = -1;
  std::vector<BrokerInfo> brokers;
  std::vector<TopicInfo> topics;  // in the broker's order
  const TopicInfo* topic(const std::string& name) const;
  const BrokerInfo* broker(int32_t node_id) const;
};

class Cluster {
 public:
  // Connects to the first reachable bootstrap server and asks its API
  // versions. The error names every address tried.
  static Result<std::unique_ptr<Cluster>> connect(const ClientConfig& config);

  const ClientConfig& config() const { return config_; }
  // The bootstrap address that answered.
  const std::string& bootstrap_address() const { return bootstrap_address_; }

  // The version call<Api>() uses: the newest both sides support; -1 when none.
  template <typename Api>
  int16_t version() const {
    return usable_version(Api::key, Api::min_version, Api::max_stable_version);
  }
  // The negotiated version, but no newer than `cap` (for the requests whose
  // newer versions name topics by id only).
  template <typename Api>
  int16_t version_up_to(int16_t cap) const {
    return usable_version(Api::key, Api::min_version, std::min(cap, Api::max_stable_version));
  }
  int16_t usable_version(protocol::ApiKey key, int16_t client_min, int16_t client_max) const;
  const protocol::ApiVersionsResponse& api_versions() const { return api_versions_; }

  // Sends to `node` (-1: the bootstrap connection) at the negotiated version,
  // or at `version` when given.
  template <typename Api>
  Result<typename Api::Response> call(const typename Api::Request& request, int32_t node = -1,
                                      std::optional<int16_t> version = std::nullopt) {
    const int16_t v = version ? *version : this->version<Api>();
    if (v < 0) {
      return Error(ErrorCode::UnsupportedVersion,
                   "the broker does not support " + std::string(Api::name));
    }
    Connection* connection = nullptr;
    if (Error e = connection_to(node, connection)) return e;
    try {
      return connection->request<Api>(request, v);
    } catch (const Timeout& e) {
      drop(node);
      return Error(ErrorCode::RequestTimedOut, e.what());
    } catch (const std::exception& e) {
      drop(node);
      return Error(ErrorCode::NetworkException, std::string(Api::name) + " to " + address_of(node) + ": " + e.what());
    }
  }

  // Sends a request that gets no response (Produce with acks=0).
  template <typename Api>
  Error send_only(const typename Api::Request& request, int32_t node, int16_t version) {
    Connection* connection = nullptr;
    if (Error e = connection_to(node, connection)) return e;
    try {
      connection->send_only<Api>(request, version);
      return {};
    } catch (const std::exception& e) {
      drop(node);
      return Error(ErrorCode::NetworkException, std::string(Api::name) + " to " + address_of(node) + ": " + e.what());
    }
  }

  // Metadata for the named topics (all topics when `topics` is null).
  Result<ClusterMetadata> metadata(const std::optional<std::vector<std::string>>& topics,
                                   bool allow_auto_create = false);
  // The coordinator's node id for a group (key_type 0) or transactional id (1).
  Result<int32_t> coordinator(const std::string& key, int8_t key_type = 0);

 private:
  explicit Cluster(ClientConfig config) : config_(std::move(config)) {}
  Error connection_to(int32_t node, Connection*& connection);
  std::string address_of(int32_t node) const;
  void drop(int32_t node) { connections_.erase(node); }

  ClientConfig config_;
  std::string bootstrap_address_;
  protocol::ApiVersionsResponse api_versions_;
  std::map<int32_t, std::unique_ptr<Connection>> connections_;  // -1: bootstrap
  std::map<int32_t, std::string> addresses_;                    // from metadata
};

// Splits "a:1,b:2" into its addresses.
std::vector<std::string> split_servers(const std::string& servers);

}  // namespace kafkalite::client
