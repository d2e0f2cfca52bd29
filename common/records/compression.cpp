#include "common/records/compression.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <cstring>

namespace kafkalite::records {
namespace {

using wire::Bytes;

// The xerial snappy stream header (snappy-java's SnappyOutputStream): magic,
// then version and minimum compatible version, both 1.
constexpr std::array<uint8_t, 8> kXerialMagic = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr size_t kXerialHeaderSize = 16;
constexpr size_t kXerialBlockSize = 32 * 1024;  // snappy-java's default block size

void put_be32(Bytes& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

uint32_t get_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

Bytes gzip_compress(std::span<const uint8_t> input) {
  z_stream zs{};
  // windowBits 15 + 16 selects the gzip wrapper, as java.util.zip.GZIPOutputStream writes.
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&zs, input.size()) + 32);
  zs.next_in = const_cast<Bytef*>(input.data());
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::optional<Bytes> gzip_decompress(std::span<const uint8_t> input, size_t max_output,
                                     std::string& error) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    error = "gzip: cannot initialise zlib";
    return std::nullopt;
  }
  zs.next_in = const_cast<Bytef*>(input.data());
  zs.avail_in = static_cast<uInt>(input.size());
  Bytes out;
  std::array<uint8_t, 16384> chunk;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = chunk.data();
    zs.avail_out = chunk.size();
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      error = std::string("gzip: ") + (zs.msg ? zs.msg : "corrupt or truncated data");
      inflateEnd(&zs);
      return std::nullopt;
    }
    const size_t produced = chunk.size() - zs.avail_out;
    if (out.size() + produced > max_output) {
      error = "gzip: decompressed size exceeds the limit of " + std::to_string(max_output);
      inflateEnd(&zs);
      return std::nullopt;
    }
    out.insert(out.end(), chunk.data(), chunk.data() + produced);
    if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
      error = "gzip: truncated data";
      inflateEnd(&zs);
      return std::nullopt;
    }
  }
  inflateEnd(&zs);
  return out;
}

Bytes snappy_compress(std::span<const uint8_t> input) {
  Bytes out(kXerialMagic.begin(), kXerialMagic.end());
  put_be32(out, 1);  // version
  put_be32(out, 1);  // minimum compatible version
  for (size_t pos = 0; pos < input.size(); pos += kXerialBlockSize) {
    const size_t n = std::min(kXerialBlockSize, input.size() - pos);
    std::string block;
    snappy::Compress(reinterpret_cast<const char*>(input.data() + pos), n, &block);
    put_be32(out, static_cast<uint32_t>(block.size()));
    out.insert(out.end(), block.begin(), block.end());
  }
  return out;
}

bool snappy_raw_append(std::span<const uint8_t> block, Bytes& out, size_t max_output,
                       std::string& error) {
  const char* data = reinterpret_cast<const char*>(block.data());
  size_t length = 0;
  if (!snappy::GetUncompressedLength(data, block.size(), &length)) {
    error = "snappy: corrupt block header";
    return false;
  }
  if (out.size() + length > max_output) {
    error = "snappy: decompressed size exceeds the limit of " + std::to_string(max_output);
    return false;
  }
  const size_t start = out.size();
  out.resize(start + length);
  if (!snappy::RawUncompress(data, block.size(), reinterpret_cast<char*>(out.data() + start))) {
    error = "snappy: corrupt data";
    return false;
  }
  return true;
}

std::optional<Bytes> snappy_decompress(std::span<const uint8_t> input, size_t max_output,
                                       std::string& error) {
  Bytes out;
  const bool xerial = input.size() >= kXerialHeaderSize &&
                      std::memcmp(input.data(), kXerialMagic.data(), kXerialMagic.size()) == 0;
  if (!xerial) {  // librdkafka may write raw snappy; Kafka's reader accepts both
    if (!snappy_raw_append(input, out, max_output, error)) return std::nullopt;
    return out;
  }
  size_t pos = kXerialHeaderSize;
  while (pos < input.size()) {
    if (input.size() - pos < 4) {
      error = "snappy: truncated block length";
      return std::nullopt;
    }
    const uint32_t block_size = get_be32(input.data() + pos);
    pos += 4;
    if (block_size > input.size() - pos) {
      error = "snappy: block length exceeds the data";
      return std::nullopt;
    }
    if (!snappy_raw_append(input.subspan(pos, block_size), out, max_output, error)) {
      return std::nullopt;
    }
    pos += block_size;
  }
  return out;
}

Bytes lz4_compress(std::span<const uint8_t> input) {
  // Kafka's reader wants independent blocks; 64 KiB blocks, no checksums
  // beyond the frame header's, as Kafka's own writer produces.
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  Bytes out(LZ4F_compressFrameBound(input.size(), &prefs));
  const size_t n = LZ4F_compressFrame(out.data(), out.size(), input.data(), input.size(), &prefs);
  out.resize(LZ4F_isError(n) ? 0 : n);
  return out;
}

std::optional<Bytes> lz4_decompress(std::span<const uint8_t> input, size_t max_output,
                                    std::string& error) {
  // Kafka's reader refuses frames whose blocks depend on each other (FLG bit 5).
  if (input.size() >= 5 && (input[4] & 0x20) == 0) {
    error = "lz4: dependent block stream is unsupported";
    return std::nullopt;
  }
  LZ4F_dctx* ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) {
    error = "lz4: cannot create a decompression context";
    return std::nullopt;
  }
  Bytes out;
  std::array<uint8_t, 65536> chunk;
  size_t pos = 0;
  size_t hint = 1;
  while (hint != 0) {
    if (pos == input.size()) {
      error = "lz4: truncated frame";
      LZ4F_freeDecompressionContext(ctx);
      return std::nullopt;
    }
    size_t dst_size = chunk.size();
    size_t src_size = input.size() - pos;
    hint = LZ4F_decompress(ctx, chunk.data(), &dst_size, input.data() + pos, &src_size, nullptr);
    if (LZ4F_isError(hint)) {
      error = std::string("lz4: ") + LZ4F_getErrorName(hint);
      LZ4F_freeDecompressionContext(ctx);
      return std::nullopt;
    }
    pos += src_size;
    if (out.size() + dst_size > max_output) {
      error = "lz4: decompressed size exceeds the limit of " + std::to_string(max_output);
      LZ4F_freeDecompressionContext(ctx);
      return std::nullopt;
    }
    out.insert(out.end(), chunk.data(), chunk.data() + dst_size);
  }
  LZ4F_freeDecompressionContext(ctx);
  return out;
}

Bytes zstd_compress(std::span<const uint8_t> input) {
  Bytes out(ZSTD_compressBound(input.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), 3);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

std::optional<Bytes> zstd_decompress(std::span<const uint8_t> input, size_t max_output,
                                     std::string& error) {
  ZSTD_DStream* stream = ZSTD_createDStream();
  ZSTD_initDStream(stream);
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  Bytes out;
  std::array<uint8_t, 65536> chunk;
  size_t rc = 1;
  while (rc != 0) {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    const size_t before = in.pos;
    rc = ZSTD_decompressStream(stream, &o, &in);
    if (ZSTD_isError(rc)) {
      error = std::string("zstd: ") + ZSTD_getErrorName(rc);
      ZSTD_freeDStream(stream);
      return std::nullopt;
    }
    if (out.size() + o.pos > max_output) {
      error = "zstd: decompressed size exceeds the limit of " + std::to_string(max_output);
      ZSTD_freeDStream(stream);
      return std::nullopt;
    }
    out.insert(out.end(), chunk.data(), chunk.data() + o.pos);
    if (rc != 0 && in.pos == input.size() && o.pos == 0 && before == in.pos) {
      error = "zstd: truncated frame";
      ZSTD_freeDStream(stream);
      return std::nullopt;
    }
  }
  ZSTD_freeDStream(stream);
  return out;
}

}  // namespace

std::string_view compression_name(Compression codec) {
  switch (codec) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kSnappy: return "snappy";
    case Compression::kLz4: return "lz4";
    case Compression::kZstd: return "zstd";
  }
  return "unknown";
}

std::optional<Compression> compression_from_name(std::string_view name) {
  for (auto codec : {Compression::kNone, Compression::kGzip, Compression::kSnappy,
                     Compression::kLz4, Compression::kZstd}) {
    if (compression_name(codec) == name) return codec;
  }
  return std::nullopt;
}

wire::Bytes compress(Compression codec, std::span<const uint8_t> input) {
  switch (codec) {
    case Compression::kNone: return Bytes(input.begin(), input.end());
    case Compression::kGzip: return gzip_compress(input);
    case Compression::kSnappy: return snappy_compress(input);
    case Compression::kLz4: return lz4_compress(input);
    case Compression::kZstd: return zstd_compress(input);
  }
  return {};
}

std::optional<wire::Bytes> decompress(Compression codec, std::span<const uint8_t> input,
                                      size_t max_output, std::string& error) {
  switch (codec) {
    case Compression::kNone:
      if (input.size() > max_output) {
        error = "records exceed the limit of " + std::to_string(max_output);
        return std::nullopt;
      }
      return Bytes(input.begin(), input.end());
    case Compression::kGzip: return gzip_decompress(input, max_output, error);
    case Compression::kSnappy: return snappy_decompress(input, max_output, error);
    case Compression::kLz4: return lz4_decompress(input, max_output, error);
    case Compression::kZstd: return zstd_decompress(input, max_output, error);
  }
  error = "unknown compression codec " + std::to_string(static_cast<int>(codec));
  return std::nullopt;
}

}  // namespace kafkalite::records
