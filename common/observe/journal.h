// What the broker tells an observer about itself: the requests it answers and
// what its group coordinator does (joins, leaves, generations, assignments).
// The console shows these (its request log and rebalance timelines); nothing
// else in the broker depends on them.
//
// The broker's thread writes; any other thread reads. Writing never waits on
// a reader: each stream is a ring bounded in events and in bytes (the oldest
// events go first), and a
// write holds the lock only to move one string in. Requests are recorded only
// while someone has read them within the last `kRequestInterestWindow`, so a
// broker nobody watches pays one atomic load per request.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace kafkalite::observe {

enum class Stream : uint8_t { kRequests = 0, kGroups = 1 };

struct Event {
  uint64_t seq = 0;      // 1, 2, ... per stream, never reused
  int64_t time_ms = 0;   // wall clock, epoch milliseconds
  std::string json;      // one JSON object, as the writer made it
};

class Journal {
 public:
  static constexpr std::chrono::seconds kRequestInterestWindow{15};

  explicit Journal(size_t events_per_stream = 2000, size_t bytes_per_stream = 32 * 1024 * 1024)
      : capacity_(events_per_stream), byte_capacity_(bytes_per_stream) {}

  // True while request events are wanted (someone read them recently).
  bool wants_requests() const;
  void publish(Stream stream, std::string json);

  // The events after `after_seq` (at most `limit`, the oldest first). Reading
  // the request stream keeps requests recorded.
  std::vector<Event> read(Stream stream, uint64_t after_seq, size_t limit);
  // The newest sequence number in a stream (0: none yet).
  uint64_t last_seq(Stream stream) const;

 private:
  struct Ring {
    std::deque<Event> events;
    uint64_t next_seq = 1;
    size_t bytes = 0;
  };
  Ring& ring(Stream s) { return rings_[static_cast<size_t>(s)]; }
  const Ring& ring(Stream s) const { return rings_[static_cast<size_t>(s)]; }

  const size_t capacity_;
  const size_t byte_capacity_;
  mutable std::mutex mutex_;
  Ring rings_[2];
  std::atomic<int64_t> requests_read_at_ms_{0};  // steady clock
};

}  // namespace kafkalite::observe
