// The console's way to the cluster: kafkalite's client library, as any Kafka
// client would use it, so the same console works against kafkalite and a
// real Kafka. Admin clients are pooled (the worker threads take one each);
// one producer serves the Produce page. Also what the console knows only when
// it runs inside `kafkalite serve`: the broker's journal and start time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "client/admin.h"
#include "client/consumer.h"
#include "client/producer.h"
#include "common/observe/journal.h"

namespace kafkalite::console {

// Set when the console runs in the broker's process.
struct LocalBroker {
  observe::Journal* journal = nullptr;
  int64_t started_ms = 0;  // wall clock
  std::string software = "kafkalite";
};

class Kafka;

// An admin client borrowed from the pool; it goes back when the lease ends.
class AdminLease {
 public:
  AdminLease(Kafka* owner, std::unique_ptr<client::Admin> admin) : owner_(owner), admin_(std::move(admin)) {}
  AdminLease(AdminLease&& other) noexcept = default;
  AdminLease& operator=(AdminLease&&) = delete;
  ~AdminLease();
  client::Admin* operator->() { return admin_.get(); }
  client::Admin& operator*() { return *admin_; }

 private:
  Kafka* owner_;
  std::unique_ptr<client::Admin> admin_;
};

class Kafka {
 public:
  Kafka(client::ClientConfig config, std::optional<LocalBroker> local)
      : config_(std::move(config)), local_(std::move(local)) {}

  const client::ClientConfig& config() const { return config_; }
  const std::optional<LocalBroker>& local() const { return local_; }
  observe::Journal* journal() const { return local_ ? local_->journal : nullptr; }

  client::Result<AdminLease> admin();
  // A consumer with no group (assign and seek), for reading messages.
  client::Result<std::unique_ptr<client::Consumer>> consumer();
  // Sends one record and waits for its acknowledgement (acks=all).
  client::Result<client::RecordMetadata> produce(client::ProducerRecord record);

 private:
  friend class AdminLease;
  void give_back(std::unique_ptr<client::Admin> admin);

  using Clock = std::chrono::steady_clock;
  struct Idle {
    std::unique_ptr<client::Admin> admin;
    Clock::time_point since;
  };
  client::ClientConfig config_;
  std::optional<LocalBroker> local_;
  std::mutex mutex_;
  std::vector<Idle> idle_;
  std::mutex producer_mutex_;
  std::unique_ptr<client::Producer> producer_;
  Clock::time_point producer_used_{};
};

}  // namespace kafkalite::console
