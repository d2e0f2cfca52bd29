// The four codecs Kafka uses inside record batches, through the Debian
// libraries: gzip (zlib), snappy (raw, or the xerial framing the Java client
// writes), lz4 (the LZ4 frame format) and zstd.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/protocol/wire/types.h"

namespace kafkalite::records {

// The attribute bits 0-2 of a batch.
enum class Compression : int8_t { kNone = 0, kGzip = 1, kSnappy = 2, kLz4 = 3, kZstd = 4 };

std::string_view compression_name(Compression codec);
// Kafka's names: "none", "gzip", "snappy", "lz4", "zstd".
std::optional<Compression> compression_from_name(std::string_view name);

wire::Bytes compress(Compression codec, std::span<const uint8_t> input);

// Decompresses, refusing to produce more than `max_output` bytes (so a small
// hostile input cannot expand without bound). nullopt with `error` set on
// failure.
std::optional<wire::Bytes> decompress(Compression codec, std::span<const uint8_t> input,
                                      size_t max_output, std::string& error);

}  // namespace kafkalite::records
