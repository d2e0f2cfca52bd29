#include "common/protocol/wire/reader.h"

#include <bit>
#include <limits>

namespace kafkalite::wire {

void Reader::fail(std::string message) {
  if (error_.empty()) error_ = message + " (at byte " + std::to_string(pos_) + ")";
  pos_ = data_.size();
}

double Reader::read_float64() { return std::bit_cast<double>(read_be<uint64_t>()); }

Uuid Reader::read_uuid() {
  Uuid id;
  auto span = read_span(16);
  if (ok()) std::memcpy(id.bytes.data(), span.data(), 16);
  return id;
}

uint64_t Reader::read_unsigned_varlong() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (remaining() < 1) {
      fail("unexpected end of input in varint");
      return 0;
    }
    uint8_t b = data_[pos_++];
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return value;
  }
  fail("varlong is longer than 10 bytes");
  return 0;
}

uint32_t Reader::read_unsigned_varint() {
  uint32_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (remaining() < 1) {
      fail("unexpected end of input in varint");
      return 0;
    }
    uint8_t b = data_[pos_++];
    value |= static_cast<uint32_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return value;
  }
  fail("varint is longer than 5 bytes");
  return 0;
}

int32_t Reader::read_varint() {
  uint32_t raw = read_unsigned_varint();
  return static_cast<int32_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

int64_t Reader::read_varlong() {
  uint64_t raw = read_unsigned_varlong();
  return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
}

std::span<const uint8_t> Reader::read_span(size_t n) {
  if (n > remaining()) {
    fail("length " + std::to_string(n) + " exceeds the " + std::to_string(remaining()) +
         " bytes remaining");
    return {};
  }
  auto span = data_.subspan(pos_, n);
  pos_ += n;
  return span;
}

int64_t Reader::read_length(bool compact, bool wide, std::string_view what) {
  int64_t length;
  if (compact) {
    length = static_cast<int64_t>(read_unsigned_varint()) - 1;
  } else {
    length = wide ? read_int32() : read_int16();
  }
  if (!ok()) return -1;
  if (length < -1) {
    fail(std::string(what) + " has negative length " + std::to_string(length));
    return -1;
  }
  if (length > static_cast<int64_t>(remaining())) {
    fail(std::string(what) + " length " + std::to_string(length) + " exceeds the " +
         std::to_string(remaining()) + " bytes remaining");
    return -1;
  }
  return length;
}

NullableString Reader::read_nullable_string(bool compact) {
  int64_t length = read_length(compact, false, "string");
  if (length < 0) return std::nullopt;
  auto span = read_span(static_cast<size_t>(length));
  return std::string(reinterpret_cast<const char*>(span.data()), span.size());
}

std::string Reader::read_string(bool compact) {
  auto value = read_nullable_string(compact);
  if (!value) {
    if (ok()) fail("non-nullable string is null");
    return {};
  }
  return std::move(*value);
}

NullableBytes Reader::read_nullable_bytes(bool compact) {
  int64_t length = read_length(compact, true, "bytes");
  if (length < 0) return std::nullopt;
  auto span = read_span(static_cast<size_t>(length));
  return Bytes(span.begin(), span.end());
}

Bytes Reader::read_bytes(bool compact) {
  auto value = read_nullable_bytes(compact);
  if (!value) {
    if (ok()) fail("non-nullable bytes are null");
    return {};
  }
  return std::move(*value);
}

int32_t Reader::read_array_length(bool compact) {
  return static_cast<int32_t>(read_length(compact, true, "array"));
}

}  // namespace kafkalite::wire
