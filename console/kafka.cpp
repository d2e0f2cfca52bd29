#include "console/kafka.h"

namespace kafkalite::console {

namespace {
constexpr size_t kMaxIdleAdmins = 8;
// Clients idle longer than this are let go rather than reused: the broker
// closes connections idle for connections.max.idle.ms (10 minutes by
// default), and a page should not meet that as an error.
constexpr auto kMaxIdle = std::chrono::seconds(60);
}

AdminLease::~AdminLease() {
  if (admin_) owner_->give_back(std::move(admin_));
}

client::Result<AdminLease> Kafka::admin() {
  {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    std::erase_if(idle_, [&](const Idle& i) { return now - i.since > kMaxIdle; });
    if (!idle_.empty()) {
      auto admin = std::move(idle_.back().admin);
      idle_.pop_back();
      return AdminLease(this, std::move(admin));
    }
  }
  auto connected = client::Admin::connect(config_);
  if (!connected) return connected.error();
  return AdminLease(this, std::move(*connected));
}

void Kafka::give_back(std::unique_ptr<client::Admin> admin) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleAdmins) idle_.push_back(Idle{std::move(admin), Clock::now()});
}

client::Result<std::unique_ptr<client::Consumer>> Kafka::consumer() {
  client::ConsumerConfig config;
  static_cast<client::ClientConfig&>(config) = config_;
  config.enable_auto_commit = false;
  config.auto_offset_reset = "earliest";
  config.fetch_max_wait_ms = 100;
  return client::Consumer::connect(config);
}

client::Result<client::RecordMetadata> Kafka::produce(client::ProducerRecord record) {
  std::lock_guard lock(producer_mutex_);
  if (producer_ && Clock::now() - producer_used_ > kMaxIdle) producer_.reset();
  producer_used_ = Clock::now();
  if (!producer_) {
    client::ProducerConfig config;
    static_cast<client::ClientConfig&>(config) = config_;
    config.linger = std::chrono::milliseconds(0);
    config.delivery_timeout = std::chrono::milliseconds(15000);
    auto connected = client::Producer::connect(config);
    if (!connected) return connected.error();
    producer_ = std::move(*connected);
  }
  std::optional<client::RecordMetadata> delivered;
  client::Error failed;
  bool done = false;
  if (client::Error e = producer_->send(std::move(record), [&](const client::RecordMetadata& m, const client::Error& err) {
        done = true;
        if (err) failed = err; else delivered = m;
      })) {
    producer_.reset();  // a fresh one next time
    return e;
  }
  producer_->flush();
  if (!done) {
    producer_.reset();
    return client::Error(client::ErrorCode::RequestTimedOut, "The record was not acknowledged in time.");
  }
  if (failed) {
    if (!failed.retriable()) return failed;
    producer_.reset();
    return failed;
  }
  return *delivered;
}

}  // namespace kafkalite::console
