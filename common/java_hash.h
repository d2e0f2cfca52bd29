// Java's String.hashCode and java.util.HashMap's iteration order, which
// Kafka's answers and tools follow wherever they list a hash map as it is
// (feature lists, config names, partitions of a reset...). HashMap lists
// bucket by bucket, (h ^ h >>> 16) & (capacity - 1), and by insertion within
// a bucket; the capacity starts at 16 (or the power of two at or above the
// initial capacity asked for) and doubles when the size passes 0.75 of it.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace kafkalite::java {

// String.hashCode over the UTF-16 code units of a UTF-8 string.
inline int32_t string_hash(std::string_view s) {
  uint32_t h = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    if ((c >> 5) == 6) {
      cp = c & 0x1f, len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f, len = 3;
    } else if ((c >> 3) == 30) {
      cp = c & 0x07, len = 4;
    }
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

// Kafka's Utils.abs(hash) % partitions: the partition a key (a group id, a
// transactional id) belongs to.
inline int32_t partition_for(std::string_view key, int32_t partitions) {
  const int32_t hash = string_hash(key);
  const int32_t abs = hash == std::numeric_limits<int32_t>::min() ? 0 : (hash < 0 ? -hash : hash);
  return partitions > 0 ? abs % partitions : 0;
}

// A java.util.HashMap of strings: `new HashMap<>(initial)` (0: `new
// HashMap<>()`), or a copy (`new HashMap<>(other)`), then put() in a given
// order; keys() iterates as Java would.
class HashMap {
 public:
  explicit HashMap(uint32_t initial_capacity = 0) {
    if (initial_capacity > 0) threshold_ = table_size_for(initial_capacity);
  }
  static HashMap copy_of(const HashMap& other) {
    HashMap copy;
    if (other.size_ > 0) {
      const auto t = static_cast<uint32_t>(static_cast<float>(other.size_) / 0.75f + 1.0f);
      if (t > copy.threshold_) copy.threshold_ = table_size_for(t);
    }
    for (const auto& k : other.keys()) copy.put(k);
    return copy;
  }
  void put(const std::string& key) {
    if (table_.empty()) resize();
    for (const auto& k : table_[bucket(key, capacity_)]) {
      if (k == key) return;
    }
    table_[bucket(key, capacity_)].push_back(key);
    if (++size_ > threshold_) resize();
  }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& b : table_) out.insert(out.end(), b.begin(), b.end());
    return out;
  }

 private:
  static uint32_t table_size_for(uint32_t n) {
    uint32_t c = 1;
    while (c < n) c <<= 1;
    return c;
  }
  static uint32_t bucket(const std::string& key, uint32_t capacity) {
    const auto h = static_cast<uint32_t>(string_hash(key));
    return (h ^ (h >> 16)) & (capacity - 1);
  }
  void resize() {
    const uint32_t new_capacity = capacity_ > 0 ? capacity_ * 2 : (threshold_ > 0 ? threshold_ : 16);
    threshold_ = static_cast<uint32_t>(static_cast<float>(new_capacity) * 0.75f);
    std::vector<std::vector<std::string>> table(new_capacity);
    for (const auto& b : table_) {
      for (const auto& k : b) table[bucket(k, new_capacity)].push_back(k);
    }
    table_ = std::move(table);
    capacity_ = new_capacity;
  }
  uint32_t capacity_ = 0, threshold_ = 0;
  size_t size_ = 0;
  std::vector<std::vector<std::string>> table_;
};

}  // namespace kafkalite::java
