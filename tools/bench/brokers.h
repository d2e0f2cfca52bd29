// The brokers kafkalite-bench compares, each behind one interface: kafkalite
// standalone (`kafkalite serve` on RocksDB, durable as shipped), a real
// Kafka 4.1.1 (scripts/reference-kafka.sh) and librdkafka's in-process mock
// cluster. Each is started once and serves every run of the benchmark, so
// its peak RSS is the peak over the whole benchmark.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

struct rd_kafka_mock_cluster_s;

namespace kafkalite::bench {

class Broker {
 public:
  virtual ~Broker() = default;
  virtual std::string name() const = 0;
  virtual std::string bootstrap() const = 0;
  // The broker's own process, or 0 when it runs inside this one (the mock).
  virtual pid_t pid() const = 0;
  virtual void create_topic(const std::string& topic, int partitions) = 0;
};

// `kafkalite serve` from `binary`, its data in a fresh directory under /tmp.
std::unique_ptr<Broker> start_kafkalite(const std::string& binary);
// Kafka 4.1.1 through `script` (scripts/reference-kafka.sh), on `port`.
std::unique_ptr<Broker> start_kafka(const std::string& script, int port);
std::unique_ptr<Broker> start_mock();

// Creates a topic through the Admin API (CreateTopics), waiting for it.
void create_topic_by_admin(const std::string& bootstrap, const std::string& topic, int partitions);

// A new directory under $TMPDIR (default /tmp): where the brokers keep
// their data (TMPDIR=/dev/shm takes the disk out of a comparison).
std::string make_temp_dir(const char* prefix);

// Forks `kafkalite serve` on 127.0.0.1:port with its data in `dir` (its
// output to dir + ".log"), without waiting for it.
pid_t spawn_kafkalite(const std::string& binary, const std::string& dir, int port);

// A free loopback port, as the kernel hands one out.
int free_port();
// Polls until something accepts on 127.0.0.1:port; false after `timeout_ms`.
bool wait_for_port(int port, int timeout_ms);

}  // namespace kafkalite::bench
