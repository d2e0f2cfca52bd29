// Iteration orders of Java's HashMap (common/java_hash.h), which Kafka's
// tools print in where they print a map as they got it (partitions of a
// reset, committed offsets of a group).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/admin.h"
#include "common/java_hash.h"

namespace kafkalite::cli {

inline int32_t java_string_hash(const std::string& s) { return java::string_hash(s); }
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

// Kafka's tools building a HashMap of names (common/java_hash.h).
using JavaHashMap = java::HashMap;

}  // namespace kafkalite::cli
