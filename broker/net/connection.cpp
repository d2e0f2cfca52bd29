// Requests on a connection are handled one at a time, in order, as Kafka
// does (it mutes a connection while a request is in flight); pipelined
// requests wait in the socket buffer. A frame with a bad size closes the
// connection, as Kafka does; what the frame says is the handler's business.
//
// Memory follows the bytes that arrive, not the size a frame announces: the
// buffer grows as the body is read, so an idle socket announcing a 100 MiB
// frame costs what it sent.
#include "broker/net/connection.h"

#include <spdlog/spdlog.h>

#include <array>

#include "broker/net/budget.h"
#include "broker/net/server.h"
#include "common/protocol/frame.h"

namespace kafkalite::net {

using asio::ip::tcp;

namespace {

// The most a single read adds to a frame's buffer.
constexpr size_t kReadChunk = 64 * 1024;
// A buffer larger than this is released after its request instead of kept.
constexpr size_t kKeptBuffer = 1024 * 1024;

std::string peer_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

// Closes the socket once it has been idle for connections.max.idle.ms.
asio::awaitable<void> idle_watchdog(std::shared_ptr<Connection> conn, std::chrono::milliseconds max_idle) {
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

// Reads `size` bytes into `frame`, growing it only as bytes arrive.
asio::awaitable<bool> read_body(tcp::socket& socket, wire::Bytes& frame, size_t size) {
  frame.clear();
  while (frame.size() < size) {
    const size_t have = frame.size();
    const size_t chunk = std::min(size - have, kReadChunk);
    frame.resize(have + chunk);
    boost::system::error_code ec;
    const size_t n = co_await socket.async_read_some(asio::buffer(frame.data() + have, chunk),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    frame.resize(have + n);
    if (ec) co_return false;
  }
  co_return true;
}

}  // namespace

void Connection::shutdown() {
  idle_timer.cancel();
  if (busy) return;  // it closes itself after its response
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> serve_connection(Server& server, tcp::socket accepted, std::string listener) {
  auto conn = std::make_shared<Connection>(std::move(accepted));
  tcp::socket& socket = conn->socket;
  const Peer peer{std::move(listener), peer_of(socket)};
  server.track(conn.get());
  boost::system::error_code option_ec;
  socket.set_option(tcp::no_delay(true), option_ec);
  const auto max_request = static_cast<int32_t>(
      server.config().get_int("socket.request.max.bytes", protocol::kDefaultMaxRequestBytes));
  const std::chrono::milliseconds max_idle(server.config().get_int("connections.max.idle.ms", 600000));
  asio::co_spawn(server.io(), idle_watchdog(conn, max_idle), asio::detached);

  std::array<uint8_t, protocol::kFrameSizeBytes> size_prefix;
  wire::Bytes frame;
  for (;;) {
    boost::system::error_code ec;
    co_await asio::async_read(socket, asio::buffer(size_prefix), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const int32_t size = protocol::read_frame_size(size_prefix);
    const auto status = protocol::check_frame_size(size, max_request);
    if (status != protocol::FrameSizeStatus::kOk) {
      spdlog::warn("Closing connection from {}: {} request size {} (socket.request.max.bytes is {})",
                   peer.address, status == protocol::FrameSizeStatus::kNegative ? "negative" : "oversized",
                   size, max_request);
      break;
    }
    // queued.max.request.bytes, before the body is read (as Kafka's memory
    // pool is asked once the size is known), then queued.max.requests.
    co_await server.request_bytes_budget().take(size);
    Taken bytes(server.request_bytes_budget(), size);
    if (!co_await read_body(socket, frame, static_cast<size_t>(size))) break;
    co_await server.request_budget().take(1);
    Taken slot(server.request_budget(), 1);
    if (server.stopping()) break;
    conn->busy = true;
    Reply reply;
    try {
      reply = co_await server.handler()(frame, peer);
    } catch (const std::exception& e) {  // the handler answers errors itself; this is a last resort
      spdlog::error("Closing connection from {}: {}", peer.address, e.what());
      reply.close = true;
    }
    conn->busy = false;
    // Handled: the request no longer counts, even while its answer waits
    // for a client that does not read.
    slot.release();
    bytes.release();
    conn->last_activity = std::chrono::steady_clock::now();
    if (frame.capacity() > kKeptBuffer) wire::Bytes().swap(frame);
    if (reply.close) break;
    if (reply.response) {
      co_await asio::async_write(socket, asio::buffer(*reply.response), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    if (server.stopping()) break;  // shutting down: this request was the last
  }
  server.untrack(conn.get());
  boost::system::error_code ignored;
  socket.close(ignored);
  conn->idle_timer.cancel();
}

}  // namespace kafkalite::net
