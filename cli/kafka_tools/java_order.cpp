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

namespace {
uint32_t table_size_for(uint32_t n) {
  uint32_t c = 1;
  while (c < n) c <<= 1;
  return c;
}
uint32_t bucket(const std::string& key, uint32_t capacity) {
  const auto h = static_cast<uint32_t>(java_string_hash(key));
  return (h ^ (h >> 16)) & (capacity - 1);
}
}  // namespace

JavaHashMap::JavaHashMap(uint32_t initial_capacity) {
  if (initial_capacity > 0) threshold_ = table_size_for(initial_capacity);
}

JavaHashMap JavaHashMap::copy_of(const JavaHashMap& other) {
  JavaHashMap copy;
  if (other.size_ > 0) {
    const auto t = static_cast<uint32_t>(static_cast<float>(other.size_) / 0.75f + 1.0f);
    if (t > copy.threshold_) copy.threshold_ = table_size_for(t);
  }
  for (const auto& k : other.keys()) copy.put(k);
  return copy;
}

void JavaHashMap::resize() {
  const uint32_t new_capacity = capacity_ > 0 ? capacity_ * 2 : (threshold_ > 0 ? threshold_ : 16);
  threshold_ = static_cast<uint32_t>(static_cast<float>(new_capacity) * 0.75f);
  std::vector<std::vector<std::string>> table(new_capacity);
  for (const auto& b : table_) {
    for (const auto& k : b) table[bucket(k, new_capacity)].push_back(k);
  }
  table_ = std::move(table);
  capacity_ = new_capacity;
}

void JavaHashMap::put(const std::string& key) {
  if (table_.empty()) resize();
  table_[bucket(key, capacity_)].push_back(key);
  if (++size_ > threshold_) resize();
}

std::vector<std::string> JavaHashMap::keys() const {
  std::vector<std::string> out;
  for (const auto& b : table_) out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace kafkalite::cli
