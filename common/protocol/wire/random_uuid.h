// Random ids as Kafka's Uuid.randomUuid makes them: version 4, never the zero
// or the metadata topic's reserved id, and never one whose base64 form starts
// with "-" (a command line would take it for an option).
#pragma once

#include <random>

#include "common/protocol/wire/types.h"

namespace kafkalite::wire {

inline Uuid random_uuid(std::mt19937_64& random) {
  for (;;) {
    Uuid id;
    for (auto& b : id.bytes) b = static_cast<uint8_t>(random());
    id.bytes[6] = static_cast<uint8_t>((id.bytes[6] & 0x0f) | 0x40);  // version 4
    id.bytes[8] = static_cast<uint8_t>((id.bytes[8] & 0x3f) | 0x80);  // IETF variant
    const bool starts_with_dash = (id.bytes[0] >> 2) == 62;          // '-' in URL-safe base64
    if (!id.is_zero() && !starts_with_dash) return id;
  }
}

}  // namespace kafkalite::wire
