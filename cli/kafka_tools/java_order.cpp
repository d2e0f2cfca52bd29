#include "cli/kafka_tools/java_order.h"

namespace kafkalite::cli {

int32_t java_string_hash(const std::string& s) {
  // Over UTF-16 code units, as Java's String.hashCode.
  uint32_t h = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1f; len = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0f; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      h = 31 * h + (0xd800 + (cp >> 10));
      h = 31 * h + (0xdc00 + (cp & 0x3ff));
    } else {
      h = 31 * h + cp;
    }
  }
  return static_cast<int32_t>(h);
}

int32_t java_hash(const client::TopicPartition& tp) {
  uint32_t result = 1;
  result = 31 * result + static_cast<uint32_t>(tp.partition);
  result = 31 * result + static_cast<uint32_t>(java_string_hash(tp.topic));
  return static_cast<int32_t>(result);
}

}  // namespace kafkalite::cli
