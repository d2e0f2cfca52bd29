#include "broker/net/server.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "broker/net/connection.h"

namespace kafkalite::net {

using asio::ip::tcp;

Server::Server(asio::io_context& io, const config::BrokerConfig& config, RequestHandler handler)
    : io_(io), config_(config), handler_(std::move(handler)) {}

Server::~Server() = default;

void Server::start() {
  // No listener is served with less security than it was configured with:
  // kafkalite has no TLS or SASL yet, so it refuses any listener mapped to
  // them rather than serve it in the clear.
  for (const auto& listener : config_.listeners()) {
    const auto protocol = config_.security_protocol(listener.name);
    if (!protocol) {
      throw std::runtime_error("No security protocol defined for listener " + listener.name +
                               " (listener.security.protocol.map)");
    }
    if (*protocol != "PLAINTEXT") {
      throw std::runtime_error("listener " + listener.name + " is mapped to " + *protocol +
                               " in listener.security.protocol.map, but kafkalite serves PLAINTEXT only (no TLS "
                               "or SASL yet); it will not serve " + listener.name +
                               " without the security it was configured with. Map it to PLAINTEXT or remove it.");
    }
  }
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
}

std::vector<std::pair<std::string, uint16_t>> Server::bound_ports() const {
  std::vector<std::pair<std::string, uint16_t>> out;
  for (const auto& bound : listeners_) {
    out.emplace_back(bound.listener.name, bound.acceptor->local_endpoint().port());
  }
  return out;
}

asio::awaitable<void> Server::accept_loop(tcp::acceptor& acceptor, std::string listener) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept on {} failed: {}", listener, ec.message());
      continue;
    }
    asio::co_spawn(io_, serve_connection(*this, std::move(socket), listener), asio::detached);
  }
}

}  // namespace kafkalite::net
