// The network layer: binds the configured listeners, accepts connections and
// serves each one (net/connection.h), handing every request frame to a
// handler it is given. It knows nothing of Kafka's APIs or of the broker.
#pragma once

#include "common/net/asio.h"
#include <span>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/net/budget.h"
#include "common/protocol/wire/out_frame.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::net {

namespace asio = boost::asio;

// Where a request came from.
struct Peer {
  std::string listener;  // the listener name it came in on
  std::string address;   // "host:port", for logs
  // On TLS listeners, the subject of the client's verified certificate as
  // Java names it (security/x500_name.h); none without one.
  std::optional<std::string> certificate_subject;
};

// What to do with a request: answer it, answer nothing (acks=0), or close.
struct Reply {
  std::optional<wire::OutFrame> response;
  // Close the connection: at once, or, with `linger`, after sending the
  // response (if any) once `linger` has passed (Kafka delays the answer to
  // a failed authentication so a client cannot guess passwords quickly).
  bool close = false;
  std::optional<std::chrono::milliseconds> linger;
};

// One connection's side of the conversation: made for each connection (so
// it can keep what the connection has established, such as who logged in)
// and handed each request frame (without its size prefix), in order.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  virtual asio::awaitable<Reply> handle(std::span<const uint8_t> frame) = 0;
  // Asked for each frame's announced size before its body is read: a reply
  // refuses the frame (before authentication the limit is smaller).
  virtual std::optional<Reply> refuse_size(int32_t /*size*/) { return std::nullopt; }
};
using ConnectionHandlerFactory = std::function<std::unique_ptr<ConnectionHandler>(const Peer& peer)>;

struct Connection;

class Server {
 public:
  // `tls`: the TLS context of each SSL and SASL_SSL listener, by name.
  Server(asio::io_context& io, const config::BrokerConfig& config, ConnectionHandlerFactory handlers,
         std::map<std::string, std::shared_ptr<asio::ssl::context>> tls = {});
  ~Server();

  // Binds every listener (throws std::system_error when one cannot be bound)
  // and starts accepting. Port 0 picks a free port; see bound_ports().
  void start();
  // Stops accepting; idle connections close at once, busy ones after
  // answering the request in hand.
  void stop();
  bool stopping() const { return stopping_; }

  // (listener name, port) for every bound address, in binding order.
  std::vector<std::pair<std::string, uint16_t>> bound_ports() const;

  // Used by connections.
  asio::io_context& io() { return io_; }
  const config::BrokerConfig& config() const { return config_; }
  std::unique_ptr<ConnectionHandler> handler_for(const Peer& peer) const { return handlers_(peer); }
  void track(Connection* connection) { connections_.insert(connection); }
  void untrack(Connection* connection) { connections_.erase(connection); }
  // queued.max.requests: requests read and not yet answered, on all connections.
  Budget& request_budget() { return requests_; }
  // queued.max.request.bytes: bytes of those requests.
  Budget& request_bytes_budget() { return request_bytes_; }
  size_t connection_count() const { return connections_.size(); }

 private:
  asio::awaitable<void> accept_loop(asio::ip::tcp::acceptor& acceptor, std::string listener);
  // max.connections.per.ip (and its overrides) for a client address.
  int64_t max_connections_for(const std::string& address) const;
  Budget& listener_budget(const std::string& listener);

  asio::io_context& io_;
  const config::BrokerConfig& config_;
  ConnectionHandlerFactory handlers_;
  std::map<std::string, std::shared_ptr<asio::ssl::context>> tls_;
  struct BoundListener {
    config::Listener listener;
    std::unique_ptr<asio::ip::tcp::acceptor> acceptor;
  };
  std::vector<BoundListener> listeners_;
  std::set<Connection*> connections_;
  Budget requests_;
  Budget request_bytes_;
  Budget all_connections_;                    // max.connections
  std::map<std::string, Budget> per_listener_;  // listener.name.<l>.max.connections
  std::map<std::string, int64_t> per_address_;  // open connections by client address
  bool stopping_ = false;
};

}  // namespace kafkalite::net
