// CRC-32C (Castagnoli), the checksum of record batches (magic 2).
//
// crc32c() uses the CPU's CRC-32C instruction where there is one (SSE4.2's
// `crc32` on x86-64, looked for once at run time; the CRC extension on ARMv8
// when the build targets it), and otherwise the portable byte-wise table. Both are exposed so that tests
// can check one against the other.
#pragma once

#include <cstdint>
#include <span>

namespace kafkalite::records {

uint32_t crc32c(std::span<const uint8_t> data);

// The portable implementation (Boost.CRC's table), whatever the CPU.
uint32_t crc32c_portable(std::span<const uint8_t> data);
// The CPU's instruction; only when crc32c_hardware_available().
uint32_t crc32c_hardware(std::span<const uint8_t> data);
bool crc32c_hardware_available();

}  // namespace kafkalite::records
