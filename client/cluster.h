// The client's view of a Kafka cluster: connections to its brokers, the API
// versions each side supports, metadata and coordinators. Everything the
// admin client, the producer and the consumer send goes through call<Api>(),
// which picks the newest version both sides know, as Kafka's clients do, and
// turns every failure (refused connection, closed socket, timeout) into an
// Error value.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/async_connection.h"
#include "client/error.h"
#include "client/security.h"
#include "common/protocol/generated/visit_api.h"

namespace kafkalite::client {

struct ClientConfig {
  // "host:port[,host:port...]", Kafka's bootstrap.servers.
  std::string bootstrap_servers = "localhost:9092";
  std::string client_id = "kafkalite";
  std::chrono::milliseconds request_timeout{30000};
  // security.protocol, sasl.*, ssl.* (client/security.h).
  SecurityConfig security;
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
  // or at `version` when given, and waits for the response (at most the
  // configured request timeout). The blocking facade over async_call.
  template <typename Api>
  Result<typename Api::Response> call(const typename Api::Request& request, int32_t node = -1,
                                      std::optional<int16_t> version = std::nullopt) {
    return run<Result<typename Api::Response>>(async_call<Api>(request, node, version), Api::name);
  }

  // The same as a coroutine on this cluster's io_context.
  template <typename Api>
  boost::asio::awaitable<Result<typename Api::Response>> async_call(typename Api::Request request, int32_t node = -1,
                                                                    std::optional<int16_t> version = std::nullopt) {
    const int16_t v = version ? *version : this->version<Api>();
    if (v < 0) {
      co_return Error(ErrorCode::UnsupportedVersion, "the broker does not support " + std::string(Api::name));
    }
    AsyncConnection* connection = nullptr;
    if (Error e = co_await connection_to(node, connection)) co_return e;
    auto response = co_await connection->request<Api>(request, v);
    if (!response) drop(node);
    co_return response;
  }

  // Sends a request that gets no response (Produce with acks=0).
  template <typename Api>
  Error send_only(const typename Api::Request& request, int32_t node, int16_t version) {
    return run<Error>(async_send_only<Api>(request, node, version), Api::name);
  }

  boost::asio::io_context& io() { return io_; }

  // Metadata for the named topics (all topics when `topics` is null).
  Result<ClusterMetadata> metadata(const std::optional<std::vector<std::string>>& topics,
                                   bool allow_auto_create = false);
  // The coordinator's node id for a group (key_type 0) or transactional id (1).
  Result<int32_t> coordinator(const std::string& key, int8_t key_type = 0);

 private:
  explicit Cluster(ClientConfig config) : config_(std::move(config)) {}
  template <typename Api>
  boost::asio::awaitable<Error> async_send_only(typename Api::Request request, int32_t node, int16_t version) {
    AsyncConnection* connection = nullptr;
    if (Error e = co_await connection_to(node, connection)) co_return e;
    Error e = co_await connection->send_only<Api>(request, version);
    if (e) drop(node);
    co_return e;
  }

  // Runs `task` on the io_context until it completes or the request timeout
  // passes (then every connection is closed, and the error is
  // REQUEST_TIMED_OUT naming `what`).
  template <typename T>
  T run(boost::asio::awaitable<T> task, std::string_view what) {
    std::optional<T> out;
    bool crashed = false;
    boost::asio::co_spawn(
        io_, [&, task = std::move(task)]() mutable -> boost::asio::awaitable<void> { out.emplace(co_await std::move(task)); },
        [&](std::exception_ptr e) { crashed = e != nullptr; });
    if (!run_until_done([&] { return out.has_value() || crashed; })) {
      return T(Error(ErrorCode::RequestTimedOut, std::string(what) + " got no response within " +
                                                     std::to_string(config_.request_timeout.count()) + " ms"));
    }
    if (crashed || !out) return T(Error(ErrorCode::UnknownServerError, std::string(what) + " failed in the client"));
    return std::move(*out);
  }
  // Runs the io_context until `finished()`; false on timeout.
  bool run_until_done(const std::function<bool()>& finished);

  boost::asio::awaitable<Error> connection_to(int32_t node, AsyncConnection*& connection);
  std::string address_of(int32_t node) const;
  void drop(int32_t node) { connections_.erase(node); }

  ClientConfig config_;
  boost::asio::io_context io_;
  std::string bootstrap_address_;
  protocol::ApiVersionsResponse api_versions_;
  std::map<int32_t, std::unique_ptr<AsyncConnection>> connections_;  // -1: bootstrap
  std::map<int32_t, std::string> addresses_;                         // from metadata
};

// Splits "a:1,b:2" into its addresses.
std::vector<std::string> split_servers(const std::string& servers);

}  // namespace kafkalite::client
