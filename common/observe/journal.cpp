#include "common/observe/journal.h"

namespace kafkalite::observe {

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool Journal::wants_requests() const {
  const int64_t read_at = requests_read_at_ms_.load(std::memory_order_relaxed);
  return read_at != 0 &&
         steady_ms() - read_at < std::chrono::duration_cast<std::chrono::milliseconds>(kRequestInterestWindow).count();
}

void Journal::publish(Stream stream, std::string json) {
  const int64_t now = wall_ms();
  std::lock_guard lock(mutex_);
  Ring& r = ring(stream);
  r.bytes += json.size();
  r.events.push_back(Event{r.next_seq++, now, std::move(json)});
  while (r.events.size() > 1 && (r.events.size() > capacity_ || r.bytes > byte_capacity_)) {
    r.bytes -= r.events.front().json.size();
    r.events.pop_front();
  }
}

std::vector<Event> Journal::read(Stream stream, uint64_t after_seq, size_t limit) {
  if (stream == Stream::kRequests) requests_read_at_ms_.store(steady_ms(), std::memory_order_relaxed);
  std::vector<Event> out;
  std::lock_guard lock(mutex_);
  const Ring& r = ring(stream);
  // Sequence numbers are consecutive, so the first wanted event's place is
  // known without a search.
  if (r.events.empty()) return out;
  const uint64_t first = r.events.front().seq;
  size_t start = after_seq < first ? 0 : static_cast<size_t>(after_seq - first + 1);
  for (size_t i = start; i < r.events.size() && out.size() < limit; ++i) out.push_back(r.events[i]);
  return out;
}

uint64_t Journal::last_seq(Stream stream) const {
  std::lock_guard lock(mutex_);
  return ring(stream).next_seq - 1;
}

}  // namespace kafkalite::observe
