// The web console: what kafka-ui does in the lab, plus views of what Kafka
// does inside (a partition's log as a strip, lag, a group's rebalances, the
// requests clients send). Its composition root: the client pool, the routes,
// the HTTP server, and the thread they run on.
//
// It talks Kafka to the cluster through kafkalite's client library, so
// `kafkalite console --bootstrap-server HOST:PORT` serves it for any Kafka;
// inside `kafkalite serve` it also gets the broker's journal (LocalBroker).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "client/cluster.h"
#include "console/kafka.h"
#include "console/server.h"

namespace kafkalite::console {

struct ConsoleOptions {
  std::string host = "127.0.0.1";  // loopback unless configured
  uint16_t port = 8080;
  client::ClientConfig client;     // bootstrap.servers of the cluster to show
  std::optional<LocalBroker> local;
  ServerLimits limits;
  size_t workers = 4;              // threads for API calls (blocking client calls)
};

// "http://HOST:PORT" (or "HOST:PORT") -> host and port; false when malformed.
bool parse_console_listener(const std::string& text, std::string& host, uint16_t& port, std::string& error);

class Console {
 public:
  explicit Console(ConsoleOptions options);
  ~Console();

  // Binds and starts serving on a thread of its own. Throws std::system_error
  // when the address cannot be bound.
  void start();
  void stop();
  uint16_t port() const;
  std::string url() const;

 private:
  struct Parts;
  ConsoleOptions options_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace kafkalite::console
