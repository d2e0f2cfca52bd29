// Requests on a connection are handled one at a time, in order, as Kafka
// does. Two things differ from a plain read-handle-write loop, both for
// throughput with clients that pipeline (librdkafka keeps many produce
// requests in flight):
//   - reads are buffered: one read takes in whatever the client has sent,
//     often several frames, and frames are cut from that buffer;
//   - a writer coroutine sends the responses, in request order, while the
//     next request is handled. At most one response waits behind the one
//     being written (Kafka mutes a connection until its response is sent;
//     this lets one request's handling overlap the previous one's write, and
//     no more), so a client that does not read stops being read from.
// A frame with a bad size closes the connection, as Kafka does; what the
// frame says is the handler's business.
//
// Memory follows the bytes that arrive, not the size a frame announces: the
// buffer grows a read at a time, so an idle socket announcing a 100 MiB
// frame costs what it sent.
#include "broker/net/connection.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <sys/sendfile.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "broker/net/budget.h"
#include "broker/net/server.h"
#include "broker/security/x500_name.h"
#include "common/protocol/frame.h"

namespace kafkalite::net {

using asio::ip::tcp;

namespace {

// The most a single read adds to the buffer.
constexpr size_t kReadChunk = 64 * 1024;
// A buffer larger than this is released once empty instead of kept.
constexpr size_t kKeptBuffer = 1024 * 1024;
// Responses queued behind the one being written before the reader waits.
constexpr size_t kQueuedResponses = 1;

std::string peer_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

// Waits for the next cancel() of `timer` (the signal) or a shutdown.
asio::awaitable<void> wait_for_signal(asio::steady_timer& timer) {
  timer.expires_at(asio::steady_timer::time_point::max());
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// Closes the socket once it has been idle for connections.max.idle.ms.
asio::awaitable<void> idle_watchdog(std::shared_ptr<Connection> conn, std::chrono::milliseconds max_idle) {
  for (;;) {
    // While a request is in hand the connection is not idle: look again a
    // whole period later (re-arming at a deadline already past would spin).
    const auto now = std::chrono::steady_clock::now();
    const auto deadline = conn->last_activity + max_idle;
    conn->idle_timer.expires_at(conn->busy() || deadline <= now ? now + max_idle : deadline);
    boost::system::error_code ec;
    co_await conn->idle_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!conn->socket.is_open()) co_return;
    if (!conn->busy() && std::chrono::steady_clock::now() >= conn->last_activity + max_idle) {
      spdlog::info("Closing idle connection from {} after {} ms (connections.max.idle.ms)",
                   peer_of(conn->socket), max_idle.count());
      conn->socket.close(ec);
      co_return;
    }
  }
}

// Sends `file` on a plaintext socket without reading it into memory
// (sendfile), waiting whenever the socket's buffer is full.
asio::awaitable<void> send_file(tcp::socket& socket, const wire::FileBytes& file, boost::system::error_code& ec) {
  socket.native_non_blocking(true, ec);
  off_t offset = static_cast<off_t>(file.offset);
  size_t left = file.length;
  while (!ec && left > 0) {
    const ssize_t sent = ::sendfile(socket.native_handle(), file.file->fd(), &offset, left);
    if (sent > 0) {
      left -= static_cast<size_t>(sent);
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      co_await socket.async_wait(tcp::socket::wait_write, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      if (sent < 0) {
        ec = boost::system::error_code(errno, boost::system::system_category());  // the client went away
      } else {
        ec = asio::error::make_error_code(asio::error::eof);
        spdlog::error("Cannot send record batches from a log file: the file is shorter than the log says");
      }
    }
  }
}

// Sends the outbox's responses in order, several in one gathered write
// when they have piled up (each in pieces: its bytes and the record batches
// it borrows; batches in files go out by sendfile, or read in under TLS),
// until the connection is closing and all is sent or a write fails (which
// closes the socket, ending the reader too).
asio::awaitable<void> write_responses(std::shared_ptr<Connection> conn) {
  std::vector<asio::const_buffer> buffers;
  std::vector<wire::Bytes> read_in;  // file bytes read for a TLS connection
  boost::system::error_code ec;
  auto write_buffers = [&]() -> asio::awaitable<void> {
    if (buffers.empty() || ec) co_return;
    if (conn->tls) {
      co_await asio::async_write(*conn->tls, buffers, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await asio::async_write(conn->socket, buffers, asio::redirect_error(asio::use_awaitable, ec));
    }
    buffers.clear();
  };
  for (;;) {
    while (conn->outbox.empty() && !conn->closing) co_await wait_for_signal(conn->wake_writer);
    if (conn->outbox.empty()) break;
    buffers.clear();
    read_in.clear();
    const size_t taken = conn->outbox.size();
    for (const auto& response : conn->outbox) {
      std::vector<const wire::FileBytes*> files;  // in order, after the buffers gathered before each
      std::vector<size_t> before;
      response.for_each_piece(
          [&](const uint8_t* data, size_t size) { buffers.push_back(asio::buffer(data, size)); },
          [&](const wire::FileBytes& file) {
            if (conn->tls) {
              auto& bytes = read_in.emplace_back();
              if (!file.append_to(bytes)) {
                ec = asio::error::make_error_code(asio::error::eof);
                spdlog::error("Cannot read record batches from a log file for a client: the file is shorter than "
                              "the log says");
              }
              buffers.push_back(asio::buffer(bytes));
            } else {
              files.push_back(&file);
              before.push_back(buffers.size());
            }
          });
      // Plaintext: the buffers up to each file piece, then the file.
      if (!files.empty()) {
        std::vector<asio::const_buffer> all = std::move(buffers);
        size_t from = 0;
        for (size_t i = 0; i < files.size() && !ec; ++i) {
          buffers.assign(all.begin() + static_cast<std::ptrdiff_t>(from),
                         all.begin() + static_cast<std::ptrdiff_t>(before[i]));
          co_await write_buffers();
          if (!ec) co_await send_file(conn->socket, *files[i], ec);
          from = before[i];
        }
        buffers.assign(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
      }
    }
    co_await write_buffers();
    if (ec) {
      conn->socket.close(ec);
      conn->outbox.clear();
      break;
    }
    conn->outbox.erase(conn->outbox.begin(), conn->outbox.begin() + static_cast<std::ptrdiff_t>(taken));
    conn->wake_reader.cancel();  // it may be waiting for room
  }
  conn->wake_reader.cancel();
}

// Frames cut from what the socket delivers. Its storage is grown only by
// what reads ask for (and not zeroed): a read asks for everything that has
// arrived, or for what the frame in hand still lacks up to kReadChunk, at
// least kMinRead, or for all the room the buffer already has.
class FrameReader {
 public:
  explicit FrameReader(Connection& conn) : conn_(conn) {}

  // Reads until `size` unread bytes are buffered.
  asio::awaitable<bool> fill(size_t size) {
    while (tail_ - head_ < size) {
      // What has already arrived is taken in one read (a 1 MiB produce
      // would otherwise cost 16 reads, each a trip through the scheduler);
      // so memory still follows the bytes that arrived. The socket is asked
      // how much only when the last read filled all it was given: otherwise
      // that read took everything there was (and a client waiting for its
      // answer has sent nothing more; asking would cost a system call per
      // request).
      size_t waiting = 0;
      if (last_read_full_) {
        boost::system::error_code ignored;
        waiting = conn_.socket.available(ignored);
      }
      const size_t missing = size - (tail_ - head_);
      const size_t wanted = std::max({std::min(kReadChunk, missing), kMinRead, waiting});
      // What is unread moves to the front only when this read does not fit
      // behind it (a pipelining client's next request often arrives in part
      // with the one before: it is read on where it lies).
      if (head_ > 0 && capacity_ - tail_ < wanted) {
        std::memmove(data_.get(), data_.get() + head_, tail_ - head_);
        tail_ -= head_;
        head_ = 0;
      }
      const size_t chunk = std::max(wanted, capacity_ - tail_);
      reserve(tail_ + chunk);
      boost::system::error_code ec;
      const auto buffer = asio::buffer(data_.get() + tail_, chunk);
      const size_t n = conn_.tls ? co_await conn_.tls->async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec))
                                 : co_await conn_.socket.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
      tail_ += n;
      last_read_full_ = n == chunk;
      if (ec) co_return false;
    }
    co_return true;
  }
  const uint8_t* data() const { return data_.get() + head_; }
  // Takes `size` buffered bytes out of the buffer.
  void consume(size_t size) {
    head_ += size;
    if (head_ == tail_) {
      head_ = tail_ = 0;
      if (capacity_ > kKeptBuffer) {
        data_.reset();
        capacity_ = 0;
      }
    }
  }

 private:
  static constexpr size_t kMinRead = 4096;

  void reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    capacity = std::max(capacity, std::min(2 * capacity_, capacity + kReadChunk));
    std::unique_ptr<uint8_t[]> grown(new uint8_t[capacity]);
    if (tail_ > 0) std::memcpy(grown.get(), data_.get(), tail_);
    data_ = std::move(grown);
    capacity_ = capacity;
  }

  Connection& conn_;
  std::unique_ptr<uint8_t[]> data_;
  size_t capacity_ = 0;
  size_t head_ = 0;  // where the unread bytes start
  size_t tail_ = 0;  // where they end
  bool last_read_full_ = false;
};

// Kafka's SslTransportLayer: a failed handshake sends the alert OpenSSL
// made, closes, and is logged as a failed authentication (no delay, unlike
// SASL's). A verified client certificate names the peer.
asio::awaitable<bool> tls_handshake(Connection& conn, asio::ssl::context& context, Peer& peer) {
  conn.tls = std::make_unique<asio::ssl::stream<tcp::socket&>>(conn.socket, context);
  boost::system::error_code ec;
  co_await conn.tls->async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (conn.socket.is_open()) {  // not closed by the idle watchdog
      spdlog::info("Failed authentication with /{} (listener {}) (SSL handshake failed: {})", peer.address,
                   peer.listener, ec.message());
      // Bytes that are not TLS at all (a plaintext client): OpenSSL closes
      // without an alert, Java sends a fatal internal_error first.
      const int reason = ec.category() == asio::error::get_ssl_category() ? ERR_GET_REASON(ec.value()) : 0;
      if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_HTTP_REQUEST ||
          reason == SSL_R_HTTPS_PROXY_REQUEST || reason == SSL_R_UNKNOWN_PROTOCOL) {
        static constexpr std::array<uint8_t, 7> kInternalError{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50};
        boost::system::error_code ignored;
        co_await asio::async_write(conn.socket, asio::buffer(kInternalError),
                                   asio::redirect_error(asio::use_awaitable, ignored));
      }
    }
    co_return false;
  }
  SSL* ssl = conn.tls->native_handle();
  if (X509* certificate = SSL_get0_peer_certificate(ssl); certificate && SSL_get_verify_result(ssl) == X509_V_OK) {
    peer.certificate_subject = security::x500_name(X509_get_subject_name(certificate));
  }
  spdlog::debug("SSL handshake completed successfully with /{} (listener {}), peer principal '{}', protocol '{}', "
                "cipher suite '{}'", peer.address, peer.listener, peer.certificate_subject.value_or("ANONYMOUS"),
                SSL_get_version(ssl), SSL_get_cipher_name(ssl));
  co_return true;
}

}  // namespace

void Connection::shutdown() {
  idle_timer.cancel();
  boost::system::error_code ignored;
  if (handling) return;  // it closes itself after its response
  if (!outbox.empty()) {
    // Answers still being written: stop reading (the reader then ends,
    // sends them and closes).
    socket.shutdown(tcp::socket::shutdown_receive, ignored);
    return;
  }
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> serve_connection(Server& server, tcp::socket accepted, std::string listener,
                                       asio::ssl::context* tls) {
  auto conn = std::make_shared<Connection>(std::move(accepted));
  tcp::socket& socket = conn->socket;
  Peer peer{std::move(listener), peer_of(socket), std::nullopt};
  server.track(conn.get());
  boost::system::error_code option_ec;
  socket.set_option(tcp::no_delay(true), option_ec);
  const auto max_request = static_cast<int32_t>(
      server.config().get_int("socket.request.max.bytes", protocol::kDefaultMaxRequestBytes));
  const std::chrono::milliseconds max_idle(server.config().get_int("connections.max.idle.ms", 600000));
  asio::co_spawn(server.io(), idle_watchdog(conn, max_idle), asio::detached);
  // The TLS handshake first (a client that never finishes it is closed by
  // the idle watchdog, as Kafka's connections.max.idle.ms closes it).
  if (tls && !co_await tls_handshake(*conn, *tls, peer)) {
    server.untrack(conn.get());
    boost::system::error_code ignored;
    socket.close(ignored);
    conn->idle_timer.cancel();
    co_return;
  }
  asio::co_spawn(server.io(), write_responses(conn), asio::detached);

  std::unique_ptr<ConnectionHandler> handler = server.handler_for(peer);
  FrameReader reader(*conn);
  // Applies a reply that closes the connection; false when it is not one.
  auto closes = [&](Reply& reply) -> asio::awaitable<bool> {
    if (!reply.close) co_return false;
    if (reply.linger) {
      asio::steady_timer wait(socket.get_executor());
      wait.expires_after(*reply.linger);
      boost::system::error_code ignored;
      co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      if (reply.response && socket.is_open()) conn->outbox.push_back(std::move(*reply.response));
    }
    co_return true;
  };
  for (;;) {
    if (!co_await reader.fill(protocol::kFrameSizeBytes)) break;
    std::array<uint8_t, protocol::kFrameSizeBytes> size_prefix;
    std::memcpy(size_prefix.data(), reader.data(), size_prefix.size());
    reader.consume(size_prefix.size());
    const int32_t size = protocol::read_frame_size(size_prefix);
    if (auto refused = handler->refuse_size(size)) {
      co_await closes(*refused);
      break;
    }
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
    if (!co_await reader.fill(static_cast<size_t>(size))) break;
    // The handler reads the request where it arrived (it is taken out of
    // the buffer once handled: nothing else reads the buffer meanwhile).
    const std::span<const uint8_t> frame(reader.data(), static_cast<size_t>(size));
    co_await server.request_budget().take(1);
    Taken slot(server.request_budget(), 1);
    if (server.stopping() || !socket.is_open()) break;
    conn->handling = true;
    Reply reply;
    try {
      reply = co_await handler->handle(frame);
    } catch (const std::exception& e) {  // the handler answers errors itself; this is a last resort
      spdlog::error("Closing connection from {}: {}", peer.address, e.what());
      reply.close = true;
    }
    conn->handling = false;
    reader.consume(frame.size());
    // Handled: the request no longer counts, even while its answer waits
    // for a client that does not read.
    slot.release();
    bytes.release();
    conn->last_activity = std::chrono::steady_clock::now();
    if (co_await closes(reply)) break;
    if (reply.response) {
      conn->outbox.push_back(std::move(*reply.response));
      conn->wake_writer.cancel();
      // Room for the next response: at most kQueuedResponses behind the
      // one being written.
      while (conn->outbox.size() > kQueuedResponses && socket.is_open()) co_await wait_for_signal(conn->wake_reader);
      if (!socket.is_open()) break;
    }
    if (server.stopping()) break;  // shutting down: this request was the last
  }
  // What was answered is sent before the connection closes.
  conn->closing = true;
  conn->wake_writer.cancel();
  while (!conn->outbox.empty() && socket.is_open()) co_await wait_for_signal(conn->wake_reader);
  server.untrack(conn.get());
  boost::system::error_code ignored;
  socket.close(ignored);
  conn->idle_timer.cancel();
}

}  // namespace kafkalite::net
