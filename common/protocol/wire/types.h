// The value types of the Kafka wire protocol, as the generated messages use them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/protocol/wire/file_bytes.h"

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
// A fetch's batches may lie partly in files (`files`, placed among
// `data`'s bytes), sent without being read into memory.
struct Records {
  NullableBytes data;
  // File bytes that go after the first `at` bytes of `data` (in order of `at`).
  struct FilePart {
    size_t at = 0;
    FileBytes bytes;
    bool operator==(const FilePart&) const = default;
  };
  std::vector<FilePart> files;

  size_t size() const {
    size_t total = data ? data->size() : 0;
    for (const auto& part : files) total += part.bytes.length;
    return total;
  }
  // The bytes in one piece, file parts read in; nullopt when a file does not hold its part.
  std::optional<Bytes> whole() const;
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
