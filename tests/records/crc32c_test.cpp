// CRC-32C: the published check values on every path, and the CPU's
// instruction (three lanes and the tail) against the portable table at
// every length around the lane boundaries and at every alignment.
#include "common/records/crc32c.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace kafkalite::records {
namespace {

using Crc = uint32_t (*)(std::span<const uint8_t>);

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void expect_check_values(Crc crc) {
  EXPECT_EQ(crc(bytes_of("123456789")), 0xE3069283u);
  EXPECT_EQ(crc({}), 0u);
  // RFC 3720, B.4: 32 zeros, 32 ones, 0..31 ascending.
  std::vector<uint8_t> v(32, 0);
  EXPECT_EQ(crc(v), 0x8A9136AAu);
  std::fill(v.begin(), v.end(), 0xFF);
  EXPECT_EQ(crc(v), 0x62A8AB43u);
  std::iota(v.begin(), v.end(), 0);
  EXPECT_EQ(crc(v), 0x46DD794Eu);
}

TEST(Crc32c, PortableGivesTheCheckValues) { expect_check_values(crc32c_portable); }

TEST(Crc32c, DefaultGivesTheCheckValues) { expect_check_values(crc32c); }

TEST(Crc32c, HardwareIsThereOnThisKindOfMachine) {
#if defined(__x86_64__) || defined(__ARM_FEATURE_CRC32)
  // Every x86-64 since 2008 has SSE4.2; an ARMv8 build that targets the CRC
  // extension uses it.
  EXPECT_TRUE(crc32c_hardware_available());
#endif
  if (crc32c_hardware_available()) expect_check_values(crc32c_hardware);
}

TEST(Crc32c, HardwareMatchesPortableAtEveryLengthAndAlignment) {
  std::mt19937 random(7);
  std::vector<uint8_t> data(3 * 4096 * 3 + 64);
  for (auto& b : data) b = static_cast<uint8_t>(random());
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 64; ++n) lengths.push_back(n);
  for (size_t lanes : {1, 2, 3, 4, 6, 9}) {
    for (int d = -9; d <= 9; ++d) lengths.push_back(lanes * 4096 + d);
  }
  for (size_t n : lengths) {
    for (size_t offset = 0; offset < 8; ++offset) {
      const std::span<const uint8_t> slice(data.data() + offset, n);
      ASSERT_EQ(crc32c_hardware(slice), crc32c_portable(slice)) << "length " << n << ", offset " << offset;
      ASSERT_EQ(crc32c(slice), crc32c_portable(slice)) << "length " << n << ", offset " << offset;
    }
  }
}

}  // namespace
}  // namespace kafkalite::records
