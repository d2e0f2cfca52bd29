// CRC-32C (Castagnoli), the checksum of record batches (magic 2).
#pragma once

#include <cstdint>
#include <span>

namespace kafkalite::records {

uint32_t crc32c(std::span<const uint8_t> data);

}  // namespace kafkalite::records
