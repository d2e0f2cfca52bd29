#include "broker/broker.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <random>

#include "broker/net/connection.h"
#include "broker/storage/keys.h"
#include "broker/clock.h"
#include "broker/topic_config.h"

namespace kafkalite::broker {
namespace {

// A Kafka-style cluster id: 16 random bytes as URL-safe base64.
std::string new_cluster_id() {
  std::random_device rd;
  wire::Uuid id;
  for (auto& b : id.bytes) b = static_cast<uint8_t>(rd());
  return id.to_base64();
}

}  // namespace

Broker::Broker(asio::io_context& io, config::BrokerConfig config,
               std::unique_ptr<storage::KvStore> store)
    : io_(io), config_(std::move(config)), store_(std::move(store)) {
  // The cluster id is made once and kept with the data.
  if (auto id = store_->get(storage::keys::metadata("cluster.id"))) {
    cluster_id_ = *id;
  } else {
    cluster_id_ = config_.get_or("cluster.id", new_cluster_id());
    storage::WriteBatch batch;
    batch.put(storage::keys::metadata("cluster.id"), cluster_id_);
    if (auto failed = store_->apply(batch)) {
      throw std::runtime_error("cannot write to the data directory: " + failed->message);
    }
  }
  // Fail-stop, as Kafka stops when its only log directory fails: the write
  // that failed is answered with its error, then the broker shuts down.
  store_->on_failure([this](const std::string& reason) { storage_failed(reason); });
  if (auto next = store_->get(storage::keys::metadata("next.producer.id"))) {
    next_producer_id_ = std::stoll(*next);
  }
  topics_ = std::make_unique<cluster::TopicRegistry>(*store_);
  groups_ = std::make_unique<group::GroupCoordinator>(io_, config_, *store_);
  groups_->load();
}

Broker::~Broker() = default;

std::optional<int64_t> Broker::allocate_producer_id() {
  storage::WriteBatch batch;
  batch.put(storage::keys::metadata("next.producer.id"), std::to_string(next_producer_id_ + 1));
  if (store_->apply(batch)) return std::nullopt;
  return next_producer_id_++;
}

void Broker::start() {
  using asio::ip::tcp;
  for (const auto& listener : config_.listeners()) {
    tcp::resolver resolver(io_);
    const std::string host = listener.host.empty() ? "0.0.0.0" : listener.host;
    // Bind exactly the addresses the listener names ("localhost" may be two).
    auto endpoints = resolver.resolve(host, std::to_string(listener.port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service);
    for (const auto& entry : endpoints) {
      auto acceptor = std::make_unique<tcp::acceptor>(io_);
      acceptor->open(entry.endpoint().protocol());
      acceptor->set_option(tcp::acceptor::reuse_address(true));
      if (entry.endpoint().address().is_v6()) acceptor->set_option(asio::ip::v6_only(true));
      boost::system::error_code ec;
      tcp::endpoint endpoint = entry.endpoint();
      // With port 0 on a name with two addresses, use the first port for both.
      if (listener.port == 0) {
        for (const auto& bound : listeners_) {
          if (bound.listener.name == listener.name) endpoint.port(bound.acceptor->local_endpoint().port());
        }
      }
      acceptor->bind(endpoint, ec);
      if (ec) {
        // "localhost" resolving to ::1 on a machine without IPv6 is not fatal.
        if (entry.endpoint().address().is_v6() && !listeners_.empty()) continue;
        throw std::system_error(ec, "cannot listen on " + listener.name + "://" + host + ":" +
                                        std::to_string(listener.port));
      }
      acceptor->listen();
      spdlog::info("Listening on {}://{} (port {})", listener.name,
                   endpoint.address().to_string(), acceptor->local_endpoint().port());
      listeners_.push_back({listener, std::move(acceptor)});
      asio::co_spawn(io_, accept_loop(*listeners_.back().acceptor, listener.name), asio::detached);
    }
  }
  retention_timer_ = std::make_unique<asio::steady_timer>(io_);
  asio::co_spawn(io_, retention_loop(), asio::detached);
}

void Broker::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& bound : listeners_) {
    boost::system::error_code ignored;
    bound.acceptor->close(ignored);
  }
  for (auto* connection : connections_) {
    connection->idle_timer.cancel();
    if (connection->busy) continue;  // it closes itself after its response
    boost::system::error_code ignored;
    connection->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    connection->socket.close(ignored);
  }
  waiters_.notify();
  groups_->shutdown();
  if (retention_timer_) retention_timer_->cancel();
  if (on_stop_) on_stop_();
}

void Broker::storage_failed(const std::string& reason) {
  const std::string dir = config_.log_dir();
  spdlog::error("Error while writing to the data directory {}: {}", dir, reason);
  spdlog::error("Stopping serving replicas in dir {}", dir);
  spdlog::error("Shutdown broker because all log dirs in {} have failed", dir);
  exit_code_ = 1;
  // After the failing request has been answered.
  asio::post(io_, [this] { stop(); });
}

uint16_t Broker::bound_port(const std::string& listener) const {
  for (const auto& bound : listeners_) {
    if (bound.listener.name == listener) return bound.acceptor->local_endpoint().port();
  }
  return 0;
}

std::vector<std::pair<std::string, uint16_t>> Broker::bound_ports() const {
  std::vector<std::pair<std::string, uint16_t>> out;
  for (const auto& bound : listeners_) {
    out.emplace_back(bound.listener.name, bound.acceptor->local_endpoint().port());
  }
  return out;
}

std::pair<std::string, int32_t> Broker::advertised_endpoint(const std::string& listener) const {
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

asio::awaitable<void> Broker::accept_loop(asio::ip::tcp::acceptor& acceptor, std::string listener) {
  for (;;) {
    boost::system::error_code ec;
    asio::ip::tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept on {} failed: {}", listener, ec.message());
      continue;
    }
    asio::co_spawn(io_, net::serve_connection(*this, std::move(socket), listener), asio::detached);
  }
}

asio::awaitable<void> Broker::retention_loop() {
  const auto interval =
      std::chrono::milliseconds(config_.get_int("log.retention.check.interval.ms", 300000));
  while (!stopping_) {
    retention_timer_->expires_after(interval);
    boost::system::error_code ec;
    co_await retention_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_) co_return;
    enforce_retention();
  }
}

void Broker::enforce_retention() {
  const int64_t now = now_ms();
  for (auto& [name, topic] : topics_->all()) {
    const TopicConfig cfg = effective_topic_config(config_, *topic);
    for (auto& partition : topic->partitions) {
      const size_t deleted = partition->enforce_retention(
          cfg.retention_ms < 0 ? -1 : now - cfg.retention_ms, cfg.retention_bytes);
      if (deleted > 0) {
        spdlog::info("Retention deleted {} batches of {}-{}; log start offset now {}", deleted, name,
                     partition->partition(), partition->log_start_offset());
      }
    }
  }
}

}  // namespace kafkalite::broker
