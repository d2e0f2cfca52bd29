// Bounds-checked reading of Kafka wire primitives. A reader never throws:
// the first failure is remembered, every later read returns a zero value,
// and callers check ok() once at the end. Lengths read from the input are
// checked against the bytes actually present before anything is allocated.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "common/protocol/wire/types.h"

namespace kafkalite::wire {

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  bool at_end() const { return pos_ == data_.size(); }

  // Records the first failure and stops further reads.
  void fail(std::string message);

  int8_t read_int8() { return static_cast<int8_t>(read_be<uint8_t>()); }
  int16_t read_int16() { return static_cast<int16_t>(read_be<uint16_t>()); }
  int32_t read_int32() { return static_cast<int32_t>(read_be<uint32_t>()); }
  int64_t read_int64() { return static_cast<int64_t>(read_be<uint64_t>()); }
  uint16_t read_uint16() { return read_be<uint16_t>(); }
  uint32_t read_uint32() { return read_be<uint32_t>(); }
  bool read_bool() { return read_be<uint8_t>() != 0; }
  double read_float64();
  Uuid read_uuid();

  uint32_t read_unsigned_varint();
  uint64_t read_unsigned_varlong();
  int32_t read_varint();   // zig-zag
  int64_t read_varlong();  // zig-zag

  // Exactly n bytes, or a failure (and an empty span).
  std::span<const uint8_t> read_span(size_t n);
  void skip(size_t n) { read_span(n); }

  // Kafka composite types. `compact` selects the flexible-version encoding
  // (unsigned varint length + 1) over the classic one (int16/int32 length).
  std::string read_string(bool compact);
  NullableString read_nullable_string(bool compact);
  Bytes read_bytes(bool compact);
  NullableBytes read_nullable_bytes(bool compact);
  // An array length: -1 for null. Fails when the count exceeds the bytes left,
  // since every element takes at least one byte.
  int32_t read_array_length(bool compact);
  // Reads a tagged-field section; known tags go to `on_known`, which returns
  // false for a tag it does not know, and those are kept in `unknown`.
  template <typename OnKnown>
  void read_tagged_fields(UnknownTaggedFields& unknown, OnKnown&& on_known);

 private:
  template <typename T>
  T read_be() {
    if (remaining() < sizeof(T)) {
      fail("unexpected end of input");
      return 0;
    }
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>((value << 8) | data_[pos_ + i]);
    pos_ += sizeof(T);
    return value;
  }
  // -1 for null; otherwise a length checked against the remaining bytes.
  int64_t read_length(bool compact, bool wide, std::string_view what);

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  std::string error_;
};

template <typename OnKnown>
void Reader::read_tagged_fields(UnknownTaggedFields& unknown, OnKnown&& on_known) {
  uint32_t count = read_unsigned_varint();
  if (count > remaining()) {
    fail("tagged field count exceeds the remaining bytes");
    return;
  }
  int64_t previous_tag = -1;
  for (uint32_t i = 0; i < count && ok(); ++i) {
    uint32_t tag = read_unsigned_varint();
    uint32_t size = read_unsigned_varint();
    if (!ok()) return;
    if (static_cast<int64_t>(tag) <= previous_tag) {
      fail("tagged fields out of order or repeated");
      return;
    }
    previous_tag = tag;
    auto body = read_span(size);
    if (!ok()) return;
    Reader field_reader(body);
    if (on_known(tag, field_reader)) {
      if (!field_reader.ok()) {
        fail("tagged field " + std::to_string(tag) + ": " + field_reader.error());
      } else if (!field_reader.at_end()) {
        fail("tagged field " + std::to_string(tag) + " has trailing bytes");
      }
    } else {
      unknown.push_back(RawTaggedField{tag, Bytes(body.begin(), body.end())});
    }
  }
}

}  // namespace kafkalite::wire
