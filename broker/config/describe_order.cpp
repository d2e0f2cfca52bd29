#include "broker/config/describe_order.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "common/java_hash.h"

namespace kafkalite::config {

namespace {

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
    const int32_t ha = spread(java::string_hash(a)), hb = spread(java::string_hash(b));
    return std::make_tuple(static_cast<uint32_t>(ha) & mask, ha) < std::make_tuple(static_cast<uint32_t>(hb) & mask, hb);
  });
}

}  // namespace kafkalite::config
