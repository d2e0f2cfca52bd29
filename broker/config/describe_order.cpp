#include "broker/config/describe_order.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace kafkalite::config {

namespace {

// Java's String.hashCode (over UTF-16 code units; config names are ASCII).
int32_t java_hash(const std::string& s) {
  uint32_t h = 0;
  for (unsigned char c : s) h = 31 * h + c;
  return static_cast<int32_t>(h);
}

int32_t spread(int32_t h) {
  const auto u = static_cast<uint32_t>(h);
  return static_cast<int32_t>(u ^ (u >> 16));
}

}  // namespace

void sort_as_describe_configs(std::vector<std::string>& names) {
  uint32_t capacity = 16;
  // Scala grows the table before an insert that would reach 0.75 * capacity.
  while (names.size() + 1 > capacity * 3 / 4) capacity *= 2;
  const uint32_t mask = capacity - 1;
  std::stable_sort(names.begin(), names.end(), [mask](const std::string& a, const std::string& b) {
    const int32_t ha = spread(java_hash(a)), hb = spread(java_hash(b));
    return std::make_tuple(static_cast<uint32_t>(ha) & mask, ha) < std::make_tuple(static_cast<uint32_t>(hb) & mask, hb);
  });
}

}  // namespace kafkalite::config
