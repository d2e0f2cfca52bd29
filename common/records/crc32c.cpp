#include "common/records/crc32c.h"

#include <boost/crc.hpp>

namespace kafkalite::records {

uint32_t crc32c(std::span<const uint8_t> data) {
  // Reflected polynomial 0x1EDC6F41, initial and final XOR all ones.
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(data.data(), data.size());
  return crc.checksum();
}

}  // namespace kafkalite::records
