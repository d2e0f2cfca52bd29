// kafkalite in-process: a real broker on a loopback port, run on its own
// thread, for tests in any language that can reach a TCP port.
//
//   auto broker = kafkalite::EmbeddedBroker::start();
//   broker->create_topic("orders", 3);
//   connect a client to broker->bootstrap() ...
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace kafkalite {
namespace storage {
class KvStore;
}
namespace observe {
class Journal;
}

class EmbeddedBroker {
 public:
  struct Options {
    // In memory by default; with `data_dir` set, a RocksDB store there.
    std::string data_dir;
    // Kafka broker properties, e.g. {"group.initial.rebalance.delay.ms", "0"}.
    std::map<std::string, std::string> properties;
    // Another store instead (tests: one that fails on demand).
    std::function<std::unique_ptr<storage::KvStore>()> open_store = nullptr;
    // Told each request and group event, as the console's (outlives the broker).
    observe::Journal* journal = nullptr;
  };

  // Starts on 127.0.0.1 with a free port. Throws when it cannot.
  static std::unique_ptr<EmbeddedBroker> start(Options options);
  static std::unique_ptr<EmbeddedBroker> start() { return start(Options{}); }
  ~EmbeddedBroker();

  std::string bootstrap() const;  // "127.0.0.1:PORT"
  // The address of the listener of that name (when `properties` set
  // `listeners`, e.g. "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0").
  std::string bootstrap(const std::string& listener) const;
  uint16_t port() const;
  // Creates a topic (throws std::runtime_error with Kafka's reason if refused).
  void create_topic(const std::string& name, int32_t partitions = 1,
                    std::map<std::string, std::string> configs = {});
  // Runs the retention check now instead of waiting for
  // log.retention.check.interval.ms, so tests need not sleep.
  void enforce_retention();
  // Runs the log cleaner now instead of waiting for log.cleaner.backoff.ms;
  // returns how many partitions it cleaned.
  size_t clean_logs();
  // Expires idle producers' state now (producer.id.expiration.ms).
  void expire_producers();
  // Aborts the transactions open longer than their timeout now
  // (transaction.abort.timed.out.transaction.cleanup.interval.ms); returns how many.
  size_t abort_timed_out_transactions();
  // Forgets idle transactional ids now (transactional.id.expiration.ms); returns how many.
  size_t expire_transactional_ids();
  // Stops the broker (also done by the destructor).
  void stop();

  struct State;

 private:
  explicit EmbeddedBroker(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kafkalite
