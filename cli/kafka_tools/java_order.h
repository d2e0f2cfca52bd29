// Iteration orders of Java's HashMap, which Kafka's tools print in where
// they print a map as they got it (partitions of a reset, committed offsets
// of a group). Java's HashMap lists bucket by bucket, (h ^ h >>> 16) &
// (capacity - 1), and by insertion within a bucket; the capacity starts at
// 16 and doubles when the size passes 0.75 of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/admin.h"

namespace kafkalite::cli {

int32_t java_string_hash(const std::string& s);
// org.apache.kafka.common.TopicPartition.hashCode().
int32_t java_hash(const client::TopicPartition& tp);
inline int32_t java_hash(const std::string& s) { return java_string_hash(s); }

// Reorders `items` (given in insertion order) as a HashMap built by inserting
// them one by one into `new HashMap<>()` iterates them.
template <typename T>
void java_hashmap_order(std::vector<T>& items) {
  uint32_t capacity = 16;
  while (items.size() > capacity * 3 / 4) capacity *= 2;
  std::vector<std::pair<uint32_t, size_t>> keys;
  for (size_t i = 0; i < items.size(); ++i) {
    const auto h = static_cast<uint32_t>(java_hash(items[i]));
    keys.emplace_back((h ^ (h >> 16)) & (capacity - 1), i);
  }
  std::stable_sort(keys.begin(), keys.end());
  std::vector<T> out;
  for (const auto& [bucket, i] : keys) out.push_back(items[i]);
  items = std::move(out);
}

// A java.util.HashMap of strings, for orders that depend on how Kafka's tool
// built its map: `new HashMap<>(initial)` (0: `new HashMap<>()`), or a copy
// (`new HashMap<>(other)`), then put() in a given order.
class JavaHashMap {
 public:
  explicit JavaHashMap(uint32_t initial_capacity = 0);
  static JavaHashMap copy_of(const JavaHashMap& other);
  void put(const std::string& key);
  std::vector<std::string> keys() const;

 private:
  void resize();
  uint32_t capacity_ = 0, threshold_ = 0;
  size_t size_ = 0;
  std::vector<std::vector<std::string>> table_;
};

}  // namespace kafkalite::cli
