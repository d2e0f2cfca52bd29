// The producer: records are batched per partition (linger.ms, batch.size),
// compressed with any of Kafka's four codecs, and sent with the configured
// acks. Idempotence is on by default, as in the Java client (it needs
// acks=all; with other acks it is off unless asked for). Retriable errors are
// retried with the same sequence numbers until delivery.timeout.ms. Blocking:
// batches go out inside send() when full, in poll() when their linger has
// passed, and in flush(); each record's callback gets its partition and
// offset, or the error.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "client/admin.h"
#include "common/records/record_batch.h"

namespace kafkalite::client {

// Text as record bytes (keys, values, header values).
inline wire::Bytes to_bytes(std::string_view text) { return wire::Bytes(text.begin(), text.end()); }

struct ProducerConfig : ClientConfig {
  int16_t acks = -1;
  std::chrono::milliseconds linger{5};
  size_t batch_size = 16384;
  records::Compression compression = records::Compression::kNone;
  std::optional<bool> enable_idempotence;  // default: on when acks=all
  std::chrono::milliseconds delivery_timeout{120000};
  std::chrono::milliseconds retry_backoff{100};
};

struct ProducerRecord {
  std::string topic;
  std::optional<int32_t> partition;
  wire::NullableBytes key;
  wire::NullableBytes value;
  std::vector<records::RecordHeader> headers;
  std::optional<int64_t> timestamp;  // default: now
};

struct RecordMetadata {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;     // -1 with acks=0
  int64_t timestamp = -1;  // the create time, or the broker's log append time
};

using DeliveryCallback = std::function<void(const RecordMetadata&, const Error&)>;

class Producer {
 public:
  static Result<std::unique_ptr<Producer>> connect(const ProducerConfig& config);
  ~Producer();

  // Queues the record; an error is returned at once when the topic or
  // partition does not exist.
  Error send(ProducerRecord record, DeliveryCallback callback = {});
  // Sends the batches whose linger has passed.
  void poll();
  // Sends everything queued and waits for the answers.
  void flush();
  void close() { flush(); }

  bool idempotent() const { return idempotent_; }

 private:
  struct Pending {
    int64_t timestamp;
    DeliveryCallback callback;
  };
  struct Batch {
    records::BatchBuilder builder;
    std::vector<Pending> pending;
    size_t bytes = 0;
    std::chrono::steady_clock::time_point created;
  };
  Producer(ProducerConfig config, std::shared_ptr<Cluster> cluster)
      : config_(std::move(config)), cluster_(std::move(cluster)) {}
  Result<int32_t> partitions_of(const std::string& topic);
  Error init_producer_id();
  void send_batch(const std::pair<std::string, int32_t>& tp, Batch batch);

  ProducerConfig config_;
  std::shared_ptr<Cluster> cluster_;
  bool idempotent_ = false;
  int64_t producer_id_ = -1;
  int16_t producer_epoch_ = -1;
  std::map<std::pair<std::string, int32_t>, int32_t> sequences_;
  std::map<std::pair<std::string, int32_t>, Batch> batches_;
  std::map<std::string, int32_t> partition_counts_;
  std::map<std::pair<std::string, int32_t>, int32_t> leaders_;
  std::map<std::string, int32_t> sticky_;
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace kafkalite::client
