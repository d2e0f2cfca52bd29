// Wall-clock time, in one place so tests can see where it is read.
#pragma once

#include <chrono>
#include <cstdint>

namespace kafkalite {

// Wall-clock milliseconds, as Kafka stamps LogAppendTime and compares timestamps.
inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace kafkalite
