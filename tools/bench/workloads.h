// What kafkalite-bench runs against each broker, with librdkafka as the
// client every time: produce, group consume and end-to-end latency.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tools/bench/brokers.h"

namespace kafkalite::bench {

using Settings = std::vector<std::pair<std::string, std::string>>;

// The Produce and Fetch requests a client has sent so far.
struct RequestCount {
  std::atomic<int64_t> produce{0}, fetch{0};
};

// A librdkafka client; exits on a bad setting. With `requests`, each request
// it sends is counted there as it goes out (an on_request_sent interceptor:
// an increment on the client's broker thread, where librdkafka's statistics
// cost the measured clients a JSON document and its parse once a second).
rd_kafka_t* make_client(rd_kafka_type_t type, const std::string& bootstrap, Settings settings,
                        void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*, void*) = nullptr,
                        void* opaque = nullptr, RequestCount* requests = nullptr);

// `size` random bytes: stored data that compresses no better than real
// payloads usually do.
std::string random_payload(size_t size);

struct ProduceShape {
  std::string acks = "all";  // "all" or "1"
  size_t record_size = 100;
  bool idempotent = false;
  int partitions = 1;
  int producers = 1;
  long records = 100000;     // in all, shared between the producers
  int per_transaction = 0;   // > 0: transactions of this many records, each committed
  std::string label() const;
};

struct ProduceResult {
  double records_per_s = 0;
  long failed = 0;  // delivery reports with an error
};

// Produces into a new topic `topic` (created with the shape's partitions),
// linger.ms=5, spreading records over the partitions in turn.
ProduceResult produce(Broker& broker, const std::string& topic, const ProduceShape& shape);

// Consumes `records` from `topic` as a member of a new group, from the
// earliest offset; the clock starts at the first record.
double group_consume(const std::string& bootstrap, const std::string& topic, long records);

struct Latency {
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  long samples = 0;
  long lost = 0;  // sent and not received
  // How the clients used the broker: records per Produce request and per
  // Fetch request, over the whole run.
  double records_per_produce = 0, records_per_fetch = 0;
};

// End-to-end latency at a fixed rate: 100 B records produced (acks=all,
// linger.ms=0) at `rate` per second for `seconds`, after a second of warm-up,
// into a new 1-partition topic, read back by an assigned consumer in this
// process. Each record carries the time it was due to be sent, so a
// producer that falls behind counts the delay (no coordinated omission).
Latency end_to_end_latency(Broker& broker, const std::string& topic, int rate, double seconds);

}  // namespace kafkalite::bench
