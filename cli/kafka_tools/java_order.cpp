#include "cli/kafka_tools/java_order.h"

namespace kafkalite::cli {

int32_t java_hash(const client::TopicPartition& tp) {
  uint32_t result = 1;
  result = 31 * result + static_cast<uint32_t>(tp.partition);
  result = 31 * result + static_cast<uint32_t>(java_string_hash(tp.topic));
  return static_cast<int32_t>(result);
}

}  // namespace kafkalite::cli
