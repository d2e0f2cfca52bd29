#pragma once

#include <chrono>
#include <cstdint>

namespace kafkalite::broker {

// Wall-clock milliseconds, as Kafka stamps LogAppendTime and compares timestamps.
inline int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace kafkalite::broker
