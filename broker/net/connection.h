// One client connection: frames in, replies out, in request order.
#pragma once

#include "common/net/asio.h"
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>

#include "common/protocol/wire/out_frame.h"

namespace kafkalite::net {

class Server;

// Shared by the connection's reader coroutine, its writer, its idle
// watchdog and the server (which closes idle connections at shutdown and
// lets busy ones finish their request).
struct Connection {
  explicit Connection(boost::asio::ip::tcp::socket s)
      : socket(std::move(s)),
        idle_timer(socket.get_executor()),
        wake_writer(socket.get_executor()),
        wake_reader(socket.get_executor()) {}
  // Closes the connection now if it is idle, else after its request.
  void shutdown();
  bool busy() const { return handling || !outbox.empty(); }

  boost::asio::ip::tcp::socket socket;
  // On SSL and SASL_SSL listeners, TLS over the socket (reads and writes
  // go through it; closing the socket ends it too).
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls;
  boost::asio::steady_timer idle_timer;
  std::chrono::steady_clock::time_point last_activity = std::chrono::steady_clock::now();
  bool handling = false;  // a request is in the handler
  // Responses handled and not yet wholly written, in request order; the
  // writer takes them from the front.
  std::deque<wire::OutFrame> outbox;
  bool closing = false;  // no more responses will be queued
  // Signals, each with one waiter (cancel() wakes it; it re-checks): a
  // response queued or closing, for the writer; a response written, for
  // the reader.
  boost::asio::steady_timer wake_writer;
  boost::asio::steady_timer wake_reader;
};

// `tls`: the listener's TLS context (null on PLAINTEXT and SASL_PLAINTEXT).
boost::asio::awaitable<void> serve_connection(Server& server, boost::asio::ip::tcp::socket socket,
                                              std::string listener, boost::asio::ssl::context* tls);

}  // namespace kafkalite::net
