// The console's HTTP server (Boost.Beast on Asio): the pages, the JSON API
// and live views over WebSockets. It runs on the console's own thread; API
// calls run on worker threads, so a slow cluster or a stuck browser never
// holds up the broker or the other pages. Bounded: connections, live views
// and request bodies each have a limit, answered with a clear error.
#pragma once

#include "common/net/asio.h"
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "console/router.h"

namespace kafkalite::console {

namespace asio = boost::asio;

struct ServerLimits {
  size_t max_connections = 256;
  size_t max_live_views = 64;
  size_t max_body_bytes = 4 * 1024 * 1024;
};

class Server {
 public:
  Server(asio::io_context& io, asio::thread_pool& workers, const Router& router, ServerLimits limits);
  ~Server();

  // Binds host:port (port 0: any free one). Throws std::system_error.
  void listen(const std::string& host, uint16_t port);
  uint16_t port() const { return port_; }
  void stop();

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(asio::ip::tcp::socket socket);

  struct Impl;
  asio::io_context& io_;
  asio::thread_pool& workers_;
  const Router& router_;
  ServerLimits limits_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
  uint16_t port_ = 0;
  std::shared_ptr<std::atomic<size_t>> connections_ = std::make_shared<std::atomic<size_t>>(0);
  std::shared_ptr<std::atomic<size_t>> live_views_ = std::make_shared<std::atomic<size_t>>(0);
};

}  // namespace kafkalite::console
