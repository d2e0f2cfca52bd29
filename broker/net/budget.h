// A shared allowance that connections take from and give back, waiting (in
// arrival order) while it is spent: the bound behind queued.max.requests,
// queued.max.request.bytes and max.connections. Like Kafka's memory pool it
// lets one taker overshoot — a taker waits only while the allowance is fully
// spent — so a request larger than the whole allowance still gets through.
#pragma once

#include "common/net/asio.h"
#include <cstdint>
#include <deque>
#include <memory>

namespace kafkalite::net {

class Budget {
 public:
  // A negative capacity: unlimited.
  explicit Budget(int64_t capacity) : capacity_(capacity) {}

  bool unlimited() const { return capacity_ < 0; }
  int64_t used() const { return used_; }

  // Takes `amount`, first waiting while the allowance is spent.
  boost::asio::awaitable<void> take(int64_t amount) {
    if (!unlimited() && (used_ >= capacity_ || !waiting_.empty())) {
      auto waiter = std::make_shared<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor,
                                                                boost::asio::steady_timer::time_point::max());
      waiting_.push_back(waiter);
      while (used_ >= capacity_ || waiting_.front() != waiter) {
        boost::system::error_code ignored;
        co_await waiter->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
        if (closed_) break;
      }
      std::erase(waiting_, waiter);
      wake_next();
    }
    used_ += amount;
  }
  void give(int64_t amount) {
    used_ -= amount;
    wake_next();
  }
  // Releases every waiter (shutdown): they take what they asked for.
  void close() {
    closed_ = true;
    for (auto& w : waiting_) w->cancel();
  }

 private:
  void wake_next() {
    if (!waiting_.empty() && (unlimited() || used_ < capacity_)) waiting_.front()->cancel();
  }

  int64_t capacity_;
  int64_t used_ = 0;
  bool closed_ = false;
  std::deque<std::shared_ptr<boost::asio::steady_timer>> waiting_;
};

// Gives back on scope exit what was taken.
class Taken {
 public:
  Taken() = default;
  Taken(Budget& budget, int64_t amount) : budget_(&budget), amount_(amount) {}
  Taken(Taken&& other) noexcept : budget_(other.budget_), amount_(other.amount_) { other.budget_ = nullptr; }
  Taken& operator=(Taken&& other) noexcept {
    if (this != &other) {
      release();
      budget_ = other.budget_;
      amount_ = other.amount_;
      other.budget_ = nullptr;
    }
    return *this;
  }
  ~Taken() { release(); }
  void release() {
    if (budget_) budget_->give(amount_);
    budget_ = nullptr;
  }

 private:
  Budget* budget_ = nullptr;
  int64_t amount_ = 0;
};

}  // namespace kafkalite::net
