// One client connection: frames in, replies out, in request order.
#pragma once

#include "common/net/asio.h"
#include <chrono>
#include <string>

namespace kafkalite::net {

class Server;

// Shared by the connection coroutine, its idle watchdog and the server
// (which closes idle connections at shutdown and lets busy ones finish
// their request).
struct Connection {
  explicit Connection(boost::asio::ip::tcp::socket s)
      : socket(std::move(s)), idle_timer(socket.get_executor()) {}
  // Closes the connection now if it is idle, else after its request.
  void shutdown();

  boost::asio::ip::tcp::socket socket;
  boost::asio::steady_timer idle_timer;
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
  bool busy = false;
};

boost::asio::awaitable<void> serve_connection(Server& server, boost::asio::ip::tcp::socket socket,
                                              std::string listener);

}  // namespace kafkalite::net
