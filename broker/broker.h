// The broker: configuration, storage, topics, listeners. Everything runs on
// one io_context thread, so broker state needs no locks; handlers are C++20
// coroutines so a long-polling Fetch waits without blocking anyone else.
#pragma once

#include "common/net/asio.h"
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"
#include "broker/fetch_sessions.h"
#include "broker/group/group_coordinator.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::broker {
namespace net {
struct Connection;
}

namespace asio = boost::asio;

// What a handler knows about the request beyond its body.
struct RequestContext {
  int32_t correlation_id = 0;
  std::optional<std::string> client_id;
  int16_t api_version = 0;
  std::string listener;  // the listener name the request came in on
  std::string peer;      // "host:port" of the client, for logs
};

// Fetches waiting for data park a timer here; an append wakes them all.
class DataWaiters {
 public:
  void add(asio::steady_timer* timer) { timers_.insert(timer); }
  void remove(asio::steady_timer* timer) { timers_.erase(timer); }
  void notify() {
    for (auto* timer : timers_) timer->cancel();
  }

 private:
  std::set<asio::steady_timer*> timers_;
};

class Broker {
 public:
  Broker(asio::io_context& io, config::BrokerConfig config, std::unique_ptr<storage::KvStore> store);
  ~Broker();

  // Binds every listener (throws std::system_error when one cannot be bound)
  // and starts accepting. Port 0 picks a free port; see bound_port().
  void start();
  // Stops accepting; idle connections close at once, busy ones after
  // answering the request in hand; waiting fetches return early.
  void stop();
  // Called when the broker stops, also when it stops itself (its storage
  // failed): the owner cancels whatever else it keeps waiting on the loop.
  void on_stop(std::function<void()> callback) { on_stop_ = std::move(callback); }

  uint16_t bound_port(const std::string& listener) const;
  std::vector<std::pair<std::string, uint16_t>> bound_ports() const;
  // The host and port clients should use for `listener`.
  std::pair<std::string, int32_t> advertised_endpoint(const std::string& listener) const;

  asio::io_context& io() { return io_; }
  const config::BrokerConfig& config() const { return config_; }
  cluster::TopicRegistry& topics() { return *topics_; }
  storage::KvStore& store() { return *store_; }
  DataWaiters& data_waiters() { return waiters_; }
  FetchSessionCache& fetch_sessions() { return fetch_sessions_; }
  group::GroupCoordinator& groups() { return *groups_; }
  const std::string& cluster_id() const { return cluster_id_; }
  int32_t node_id() const { return config_.node_id(); }
  // A new producer id, stored before it is handed out; none when the store
  // refuses the write.
  std::optional<int64_t> allocate_producer_id();
  // Applies retention.ms and retention.bytes to every partition now (the
  // retention loop does this every log.retention.check.interval.ms).
  void enforce_retention();

  // Connections register so stop() can close them.
  void track(net::Connection* connection) { connections_.insert(connection); }
  void untrack(net::Connection* connection) { connections_.erase(connection); }
  // Makes everything acknowledged durable against an OS crash (at shutdown).
  storage::WriteResult flush_storage() { return store_->flush(); }
  bool stopping() const { return stopping_; }
  // 0, or 1 once the broker stopped because its storage failed.
  int exit_code() const { return exit_code_; }

 private:
  asio::awaitable<void> accept_loop(asio::ip::tcp::acceptor& acceptor, std::string listener);
  asio::awaitable<void> retention_loop();
  void storage_failed(const std::string& reason);

  asio::io_context& io_;
  config::BrokerConfig config_;
  std::unique_ptr<storage::KvStore> store_;
  std::unique_ptr<cluster::TopicRegistry> topics_;
  std::unique_ptr<group::GroupCoordinator> groups_;
  DataWaiters waiters_;
  FetchSessionCache fetch_sessions_;
  std::string cluster_id_;
  int64_t next_producer_id_ = 0;
  struct BoundListener {
    config::Listener listener;
    std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
  };
  std::vector<BoundListener> listeners_;
  std::set<net::Connection*> connections_;
  std::unique_ptr<asio::steady_timer> retention_timer_;
  bool stopping_ = false;
  int exit_code_ = 0;
  std::function<void()> on_stop_;
};

}  // namespace kafkalite::broker
