// Requests on a connection are handled one at a time, in order, as Kafka
// does (it mutes a connection while a request is in flight); pipelined
// requests wait in the socket buffer. Any frame that cannot be understood —
// bad size, unknown API, unsupported version, malformed body — closes the
// connection, as Kafka does, except ApiVersions at an unsupported version,
// which gets a v0 answer with UNSUPPORTED_VERSION.
#include "broker/net/connection.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "broker/api/dispatch.h"
#include "broker/broker.h"
#include "common/protocol/frame.h"

namespace kafkalite::broker::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string peer_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

// Closes the socket once it has been idle for connections.max.idle.ms.
asio::awaitable<void> idle_watchdog(std::shared_ptr<Connection> conn,
                                    std::chrono::milliseconds max_idle) {
  for (;;) {
    // While a request is in hand the connection is not idle: look again a
    // whole period later (re-arming at a deadline already past would spin).
    const auto now = std::chrono::steady_clock::now();
    const auto deadline = conn->last_activity + max_idle;
    conn->idle_timer.expires_at(conn->busy || deadline <= now ? now + max_idle : deadline);
    boost::system::error_code ec;
    co_await conn->idle_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!conn->socket.is_open()) co_return;
    if (!conn->busy && std::chrono::steady_clock::now() >= conn->last_activity + max_idle) {
      spdlog::info("Closing idle connection from {} after {} ms (connections.max.idle.ms)",
                   peer_of(conn->socket), max_idle.count());
      conn->socket.close(ec);
      co_return;
    }
  }
}

}  // namespace

asio::awaitable<void> serve_connection(Broker& broker, tcp::socket accepted, std::string listener) {
  auto conn = std::make_shared<Connection>(std::move(accepted));
  tcp::socket& socket = conn->socket;
  const std::string peer = peer_of(socket);
  broker.track(conn.get());
  boost::system::error_code option_ec;
  socket.set_option(tcp::no_delay(true), option_ec);
  const auto max_request = static_cast<int32_t>(
      broker.config().get_int("socket.request.max.bytes", protocol::kDefaultMaxRequestBytes));
  const std::chrono::milliseconds max_idle(broker.config().get_int("connections.max.idle.ms", 600000));
  asio::co_spawn(broker.io(), idle_watchdog(conn, max_idle), asio::detached);

  std::array<uint8_t, protocol::kFrameSizeBytes> size_prefix;
  wire::Bytes frame;
  for (;;) {
    boost::system::error_code ec;
    co_await asio::async_read(socket, asio::buffer(size_prefix),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const int32_t size = protocol::read_frame_size(size_prefix);
    const auto status = protocol::check_frame_size(size, max_request);
    if (status != protocol::FrameSizeStatus::kOk) {
      spdlog::warn("Closing connection from {}: {} request size {} (socket.request.max.bytes is {})",
                   peer, status == protocol::FrameSizeStatus::kNegative ? "negative" : "oversized",
                   size, max_request);
      break;
    }
    frame.resize(static_cast<size_t>(size));
    co_await asio::async_read(socket, asio::buffer(frame),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    conn->busy = true;
    api::DispatchOutcome outcome;
    try {
      outcome = co_await api::dispatch(broker, frame, listener, peer);
    } catch (const std::exception& e) {  // dispatch answers errors itself; this is a last resort
      spdlog::error("Closing connection from {}: {}", peer, e.what());
      outcome.close = true;
    }
    conn->busy = false;
    conn->last_activity = std::chrono::steady_clock::now();
    if (outcome.close) break;
    if (outcome.response) {
      co_await asio::async_write(socket, asio::buffer(*outcome.response),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    if (broker.stopping()) break;  // shutting down: this request was the last
  }
  broker.untrack(conn.get());
  boost::system::error_code ignored;
  socket.close(ignored);
  conn->idle_timer.cancel();
}

}  // namespace kafkalite::broker::net
