#include "console/server.h"

#include <spdlog/spdlog.h>

#include <array>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "console/assets.h"
#include "console/live.h"

namespace kafkalite::console {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(60);
constexpr auto kWriteTimeout = std::chrono::seconds(15);

// Counts a connection or a live view while it lasts.
class Slot {
 public:
  Slot(std::shared_ptr<std::atomic<size_t>> counter, size_t limit) : counter_(std::move(counter)) {
    taken_ = counter_->fetch_add(1) < limit;
    if (!taken_) counter_->fetch_sub(1);
  }
  ~Slot() {
    if (taken_) counter_->fetch_sub(1);
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  bool taken() const { return taken_; }

 private:
  std::shared_ptr<std::atomic<size_t>> counter_;
  bool taken_ = false;
};

// Runs `work` on a worker thread; awaiting the result resumes the caller on
// its own executor. Not a coroutine itself, and callers pass named lambdas:
// GCC 12 destroys some temporaries of a co_await expression twice.
template <typename F>
awaitable<std::invoke_result_t<F>> offload(asio::thread_pool& workers, F work) {
  return asio::co_spawn(
      workers, [work = std::move(work)]() mutable -> awaitable<std::invoke_result_t<F>> { co_return work(); },
      use_awaitable);
}

Request to_request(const http::request<http::string_body>& message) {
  Request r;
  r.method = std::string(message.method_string());
  split_target(std::string_view(message.target().data(), message.target().size()), r.path, r.query);
  r.body = message.body();
  r.accept_language = std::string(message[http::field::accept_language]);
  return r;
}

http::response<http::string_body> to_message(const Response& response, unsigned version, bool keep_alive) {
  http::response<http::string_body> m{static_cast<http::status>(response.status), version};
  m.set(http::field::server, "kafkalite-console");
  m.set(http::field::content_type, response.content_type);
  m.set(http::field::cache_control, "no-store");
  m.set("X-Content-Type-Options", "nosniff");
  m.keep_alive(keep_alive);
  m.body() = response.body;
  m.prepare_payload();
  return m;
}

Response asset_response(const std::string& path) {
  const Asset* asset = find_asset(path);
  if (!asset) return error_response(404, "NOT_FOUND", "No such page: " + path);
  Response r;
  r.content_type = std::string(asset->content_type);
  r.body = std::string(asset->data);
  return r;
}

// Mutating API calls must say they send JSON: a browser then asks first
// before sending one from another site (CORS), which this server never allows.
bool cross_site_safe(const http::request<http::string_body>& message) {
  const auto method = message.method();
  if (method == http::verb::get || method == http::verb::head) return true;
  const std::string_view type(message[http::field::content_type].data(), message[http::field::content_type].size());
  return type.rfind("application/json", 0) == 0 || method == http::verb::delete_;
}

awaitable<void> run_live(websocket::stream<beast::tcp_stream>& ws, asio::thread_pool& workers, const Router& router,
                         LiveView view) {
  struct Shared {
    bool closed = false;
    std::unique_ptr<asio::steady_timer> timer;
  };
  auto shared = std::make_shared<Shared>();
  shared->timer = std::make_unique<asio::steady_timer>(ws.get_executor());
  // The browser sends nothing we need, but reading notices when it goes.
  asio::co_spawn(
      ws.get_executor(),
      [&ws, shared]() -> awaitable<void> {
        beast::flat_buffer discard;
        beast::error_code ec;
        while (!shared->closed) {
          co_await ws.async_read(discard, asio::redirect_error(use_awaitable, ec));
          if (ec) break;
          discard.consume(discard.size());
        }
        shared->closed = true;
        shared->timer->cancel();
      },
      asio::detached);
  while (!shared->closed) {
    auto ask = [&view, &router] { return view.next(router); };
    std::optional<std::string> text = co_await offload(workers, ask);
    if (shared->closed) break;
    if (text) {
      beast::error_code ec;
      ws.text(true);
      co_await ws.async_write(asio::buffer(*text), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    shared->timer->expires_after(view.interval());
    beast::error_code ec;
    co_await shared->timer->async_wait(asio::redirect_error(use_awaitable, ec));
  }
  // Wait for the reader to finish before `ws` goes away.
  if (!shared->closed) {
    beast::get_lowest_layer(ws).cancel();
    beast::get_lowest_layer(ws).close();
  }
  while (!shared->closed) {
    shared->timer->expires_after(std::chrono::milliseconds(10));
    beast::error_code ec;
    co_await shared->timer->async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

}  // namespace

Server::Server(asio::io_context& io, asio::thread_pool& workers, const Router& router, ServerLimits limits)
    : io_(io), workers_(workers), router_(router), limits_(limits) {}

Server::~Server() = default;

void Server::listen(const std::string& host, uint16_t port) {
  tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive);
  const tcp::endpoint endpoint = *endpoints.begin();
  acceptor_ = std::make_unique<tcp::acceptor>(io_);
  acceptor_->open(endpoint.protocol());
  acceptor_->set_option(asio::socket_base::reuse_address(true));
  acceptor_->bind(endpoint);
  acceptor_->listen();
  port_ = acceptor_->local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
}

void Server::stop() {
  if (acceptor_) {
    beast::error_code ec;
    acceptor_->close(ec);
  }
}

awaitable<void> Server::accept_loop() {
  while (acceptor_ && acceptor_->is_open()) {
    beast::error_code ec;
    tcp::socket socket = co_await acceptor_->async_accept(asio::redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    asio::co_spawn(io_, session(std::move(socket)), asio::detached);
  }
}

awaitable<void> Server::session(tcp::socket socket) {
  Slot slot(connections_, limits_.max_connections);
  beast::tcp_stream stream(std::move(socket));
  if (!slot.taken()) {
    // Over the limit: a short answer, then the connection closes.
    auto m = to_message(error_response(503, "TOO_MANY_CONNECTIONS",
                                       "The console has " + std::to_string(limits_.max_connections) +
                                           " connections open already; try again later."),
                        11, false);
    stream.expires_after(kWriteTimeout);
    beast::error_code ec;
    co_await http::async_write(stream, m, asio::redirect_error(use_awaitable, ec));
    co_return;
  }
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(limits_.max_body_bytes);
    parser.header_limit(16 * 1024);
    stream.expires_after(kReadTimeout);
    beast::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    if (ec == http::error::body_limit) {
      auto m = to_message(error_response(413, "REQUEST_TOO_LARGE",
                                         "The request is larger than the console accepts (" +
                                             std::to_string(limits_.max_body_bytes / (1024 * 1024)) +
                                             " MiB). A Kafka message is at most 1 MiB by default (max.request.size)."),
                          11, false);
      stream.expires_after(kWriteTimeout);
      co_await http::async_write(stream, m, asio::redirect_error(use_awaitable, ec));
      // Read and drop what the client still sends (within bounds), so
      // closing does not reset the connection before it reads the answer.
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      std::array<char, 64 * 1024> sink;
      size_t drained = 0;
      stream.expires_after(std::chrono::seconds(10));
      while (!ec && drained < 64 * 1024 * 1024) {
        drained += co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
      }
      co_return;
    }
    if (ec) co_return;  // closed, timed out, or not HTTP
    http::request<http::string_body> message = parser.release();
    Request request = to_request(message);

    if (websocket::is_upgrade(message)) {
      Response refused;
      Slot live_slot(live_views_, limits_.max_live_views);
      std::optional<LiveView> view;
      if (request.path != "/api/live") {
        refused = error_response(404, "NOT_FOUND", "Only /api/live takes a WebSocket.");
      } else if (!live_slot.taken()) {
        refused = error_response(503, "TOO_MANY_LIVE_VIEWS",
                                 "The console serves at most " + std::to_string(limits_.max_live_views) +
                                     " live views at once; close some pages.");
      } else {
        view = LiveView::open(request, refused);
      }
      if (!view) {
        auto m = to_message(refused, message.version(), false);
        stream.expires_after(kWriteTimeout);
        co_await http::async_write(stream, m, asio::redirect_error(use_awaitable, ec));
        co_return;
      }
      stream.expires_never();
      websocket::stream<beast::tcp_stream> ws(std::move(stream));
      websocket::stream_base::timeout timeouts{std::chrono::seconds(10), std::chrono::seconds(30), true};
      ws.set_option(timeouts);
      co_await ws.async_accept(message, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      co_await run_live(ws, workers_, router_, std::move(*view));
      co_return;
    }

    Response response;
    if (request.path.rfind("/api/", 0) == 0) {
      if (!cross_site_safe(message)) {
        response = error_response(415, "UNSUPPORTED_MEDIA_TYPE", "Send JSON: Content-Type: application/json.");
      } else {
        auto handle = [this, &request] { return router_.handle(request); };
        response = co_await offload(workers_, handle);
      }
    } else if (message.method() == http::verb::get || message.method() == http::verb::head) {
      response = asset_response(request.path);
    } else {
      response = error_response(405, "METHOD_NOT_ALLOWED", "Pages are read with GET.");
    }
    const bool keep_alive = message.keep_alive();
    auto m = to_message(response, message.version(), keep_alive);
    stream.expires_after(kWriteTimeout);
    co_await http::async_write(stream, m, asio::redirect_error(use_awaitable, ec));
    if (ec || !keep_alive) co_return;
  }
}

}  // namespace kafkalite::console
