#include "broker/net/server.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "broker/net/connection.h"

namespace kafkalite::net {

using asio::ip::tcp;

namespace {

constexpr int64_t kUnlimited = -1;

// Kafka's Integer.MAX_VALUE defaults mean no limit.
int64_t limit(const config::BrokerConfig& config, const std::string& key, int64_t fallback) {
  const int64_t value = config.get_int(key, fallback);
  return value >= INT32_MAX ? kUnlimited : value;
}

}  // namespace

Server::Server(asio::io_context& io, const config::BrokerConfig& config, ConnectionHandlerFactory handlers,
               std::map<std::string, std::shared_ptr<asio::ssl::context>> tls)
    : io_(io), config_(config), handlers_(std::move(handlers)), tls_(std::move(tls)),
      requests_(config.get_int("queued.max.requests", 500)),
      request_bytes_(config.get_int("queued.max.request.bytes", -1)),
      all_connections_(limit(config, "max.connections", INT32_MAX)) {}

Server::~Server() = default;

void Server::start() {
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
      spdlog::info("Listening on {}://{} (port {})", listener.name, endpoint.address().to_string(),
                   acceptor->local_endpoint().port());
      listeners_.push_back({listener, std::move(acceptor)});
      asio::co_spawn(io_, accept_loop(*listeners_.back().acceptor, listener.name), asio::detached);
    }
  }
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  for (auto& bound : listeners_) {
    boost::system::error_code ignored;
    bound.acceptor->close(ignored);
  }
  for (auto* connection : connections_) connection->shutdown();
  requests_.close();
  request_bytes_.close();
  all_connections_.close();
  for (auto& [name, budget] : per_listener_) budget.close();
}

Budget& Server::listener_budget(const std::string& listener) {
  auto it = per_listener_.find(listener);
  if (it == per_listener_.end()) {
    it = per_listener_.emplace(listener, limit(config_, config::BrokerConfig::listener_prefix(listener) + "max.connections",
                                               INT32_MAX)).first;
  }
  return it->second;
}

int64_t Server::max_connections_for(const std::string& address) const {
  // "host:count,host:count" overrides the default for those hosts.
  const std::string overrides = config_.get_or("max.connections.per.ip.overrides", "");
  size_t start = 0;
  while (start < overrides.size()) {
    const size_t comma = std::min(overrides.find(',', start), overrides.size());
    const std::string entry = overrides.substr(start, comma - start);
    const size_t colon = entry.rfind(':');
    if (colon != std::string::npos && entry.substr(0, colon) == address) {
      return std::strtoll(entry.c_str() + colon + 1, nullptr, 10);
    }
    start = comma + 1;
  }
  return limit(config_, "max.connections.per.ip", INT32_MAX);
}

std::vector<std::pair<std::string, uint16_t>> Server::bound_ports() const {
  std::vector<std::pair<std::string, uint16_t>> out;
  for (const auto& bound : listeners_) {
    out.emplace_back(bound.listener.name, bound.acceptor->local_endpoint().port());
  }
  return out;
}

asio::awaitable<void> Server::accept_loop(tcp::acceptor& acceptor, std::string listener) {
  Budget& listener_slots = listener_budget(listener);
  auto tls_it = tls_.find(listener);
  asio::ssl::context* tls = tls_it == tls_.end() ? nullptr : tls_it->second.get();
  for (;;) {
    // At max.connections the acceptor waits, as Kafka's does: new clients
    // queue in the kernel's backlog until a connection closes.
    co_await all_connections_.take(1);
    Taken slot(all_connections_, 1);
    co_await listener_slots.take(1);
    Taken listener_slot(listener_slots, 1);
    if (stopping_) co_return;
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept on {} failed: {}", listener, ec.message());
      continue;
    }
    const std::string address = socket.remote_endpoint(ec).address().to_string();
    const int64_t per_ip = max_connections_for(address);
    if (per_ip >= 0 && per_address_[address] >= per_ip) {
      spdlog::info("Rejected connection from /{}, address already has the configured maximum of {} connections.",
                   address, per_ip);
      socket.close(ec);
      continue;
    }
    ++per_address_[address];
    asio::co_spawn(io_,
                   // The slots taken are given back when the connection ends.
                   [](Server& server, tcp::socket s, std::string name, asio::ssl::context* context, std::string from,
                      [[maybe_unused]] Taken a, [[maybe_unused]] Taken b) -> asio::awaitable<void> {
                     co_await serve_connection(server, std::move(s), std::move(name), context);
                     if (--server.per_address_[from] == 0) server.per_address_.erase(from);
                   }(*this, std::move(socket), listener, tls, address, std::move(slot), std::move(listener_slot)),
                   asio::detached);
  }
}

}  // namespace kafkalite::net
