// The value types of the Kafka wire protocol, as the generated messages use them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkalite::wire {

using Bytes = std::vector<uint8_t>;
using NullableBytes = std::optional<Bytes>;
using NullableString = std::optional<std::string>;

// A 128-bit Kafka Uuid (topic ids, directory ids). Kafka prints it as
// URL-safe base64 without padding.
struct Uuid {
  std::array<uint8_t, 16> bytes{};

  static Uuid zero() { return {}; }
  bool is_zero() const { return bytes == std::array<uint8_t, 16>{}; }
  std::string to_base64() const;
  static std::optional<Uuid> from_base64(std::string_view text);
  bool operator==(const Uuid&) const = default;
  auto operator<=>(const Uuid&) const = default;
};

// The `records` field type: an opaque, nullable run of record batches. Kept
// distinct from bytes so record data is never confused with other blobs.
struct Records {
  NullableBytes data;
  bool operator==(const Records&) const = default;
};

// A tagged field whose tag this version does not know: kept as raw bytes so
// it is re-emitted unchanged.
struct RawTaggedField {
  uint32_t tag = 0;
  Bytes data;
  bool operator==(const RawTaggedField&) const = default;
};
using UnknownTaggedFields = std::vector<RawTaggedField>;

}  // namespace kafkalite::wire
