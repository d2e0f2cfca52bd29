// Hand-written because Debian 12 packages no C++ library with a hardware
// CRC-32C (Boost.CRC is table-driven, one byte at a time; a produce-heavy
// profile spent a third of the broker's CPU there).
//
// The hardware path feeds 8 bytes per instruction. The instruction's
// latency is three times its issue rate, so long inputs are cut into three
// lanes computed side by side and joined: a CRC state is linear in its
// input, so state(s, A|B) = shift(state(s, A), |B|) ^ state(0, B), where
// shift(x, n) is what n zero bytes do to the state x — for the fixed lane
// length a table of four 256-entry columns, made once from the instruction
// itself.
#include "common/records/crc32c.h"

#include <array>
#include <cstring>

#include <boost/crc.hpp>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define KAFKALITE_CRC_TARGET __attribute__((target("sse4.2")))
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
// ARMv8: only when the build targets the CRC extension (-march=armv8.1-a
// and later have it), so no run-time check is needed.
#include <arm_acle.h>
#define KAFKALITE_CRC_TARGET
#endif

namespace kafkalite::records {

uint32_t crc32c_portable(std::span<const uint8_t> data) {
  // Reflected polynomial 0x1EDC6F41, initial and final XOR all ones.
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(data.data(), data.size());
  return crc.checksum();
}

#if defined(KAFKALITE_CRC_TARGET)

namespace {

KAFKALITE_CRC_TARGET inline uint32_t step8(uint32_t state, const uint8_t* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
#if defined(__x86_64__)
  return static_cast<uint32_t>(_mm_crc32_u64(state, word));
#else
  return __crc32cd(state, word);
#endif
}

KAFKALITE_CRC_TARGET inline uint32_t step1(uint32_t state, uint8_t byte) {
#if defined(__x86_64__)
  return _mm_crc32_u8(state, byte);
#else
  return __crc32cb(state, byte);
#endif
}

// The raw state (no XORs in or out) after `size` bytes, one stream.
KAFKALITE_CRC_TARGET uint32_t run(uint32_t state, const uint8_t* p, size_t size) {
  for (; size >= 8; size -= 8, p += 8) state = step8(state, p);
  for (; size > 0; --size, ++p) state = step1(state, *p);
  return state;
}

// Lane length of the three-way path; inputs shorter than three lanes go
// through one stream.
constexpr size_t kLane = 4096;

// shift(x, kLane), by bytes of x.
struct ShiftTable {
  std::array<std::array<uint32_t, 256>, 4> column;
  ShiftTable() {
    static const std::array<uint8_t, kLane> zeros{};
    for (int k = 0; k < 4; ++k) {
      for (uint32_t b = 0; b < 256; ++b) column[k][b] = run(b << (8 * k), zeros.data(), zeros.size());
    }
  }
  uint32_t shift(uint32_t x) const {
    return column[0][x & 0xFF] ^ column[1][(x >> 8) & 0xFF] ^ column[2][(x >> 16) & 0xFF] ^ column[3][x >> 24];
  }
};

KAFKALITE_CRC_TARGET uint32_t three_lanes(uint32_t state, const uint8_t* p, size_t size) {
  static const ShiftTable table;
  while (size >= 3 * kLane) {
    uint32_t a = state, b = 0, c = 0;
    for (size_t i = 0; i < kLane; i += 8) {
      a = step8(a, p + i);
      b = step8(b, p + kLane + i);
      c = step8(c, p + 2 * kLane + i);
    }
    state = table.shift(table.shift(a) ^ b) ^ c;
    p += 3 * kLane;
    size -= 3 * kLane;
  }
  return run(state, p, size);
}

}  // namespace

bool crc32c_hardware_available() {
#if defined(__x86_64__)
  static const bool available = __builtin_cpu_supports("sse4.2");
#else
  static const bool available = true;
#endif
  return available;
}

uint32_t crc32c_hardware(std::span<const uint8_t> data) {
  return ~three_lanes(0xFFFFFFFFu, data.data(), data.size());
}

#else

bool crc32c_hardware_available() { return false; }
uint32_t crc32c_hardware(std::span<const uint8_t> data) { return crc32c_portable(data); }

#endif

uint32_t crc32c(std::span<const uint8_t> data) {
  static const bool hardware = crc32c_hardware_available();
  return hardware ? crc32c_hardware(data) : crc32c_portable(data);
}

}  // namespace kafkalite::records
