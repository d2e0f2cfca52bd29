// A timer whose callback runs only if it is still the one last scheduled.
// Rescheduling, cancelling or destroying it turns every earlier callback into
// a no-op, even one Asio has already queued (which cancel() cannot recall),
// so a timer can never fire for a state or a member it no longer belongs to —
// as Kafka's coordinator timers are invalidated by key.
#pragma once

#include "common/net/asio.h"
#include <chrono>
#include <cstdint>
#include <memory>
#include <utility>

namespace kafkalite::broker::group {

class GuardedTimer {
 public:
  explicit GuardedTimer(boost::asio::any_io_executor executor)
      : timer_(std::move(executor)), ticket_(std::make_shared<uint64_t>(0)) {}
  ~GuardedTimer() { ++*ticket_; }
  GuardedTimer(const GuardedTimer&) = delete;
  GuardedTimer& operator=(const GuardedTimer&) = delete;

  // Runs `fire` after `delay` unless rescheduled, cancelled or destroyed first.
  template <typename Fire>
  void schedule(std::chrono::milliseconds delay, Fire fire) {
    const uint64_t mine = ++*ticket_;
    timer_.expires_after(delay);
    timer_.async_wait([ticket = ticket_, mine, fire = std::move(fire)](boost::system::error_code ec) mutable {
      if (!ec && *ticket == mine) fire();
    });
  }
  void cancel() {
    ++*ticket_;
    timer_.cancel();
  }

 private:
  boost::asio::steady_timer timer_;
  std::shared_ptr<uint64_t> ticket_;
};

}  // namespace kafkalite::broker::group
