// Appending Kafka wire primitives to a growable buffer.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/protocol/wire/out_frame.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::wire {

class Writer {
 public:
  Writer() = default;

  const Bytes& bytes() const { return buffer_; }
  Bytes take() { return std::move(buffer_); }
  // Bytes in the buffer (what patch_int32 offsets count).
  size_t size() const { return buffer_.size(); }
  // Bytes written, borrowed ones included.
  size_t total_size() const { return buffer_.size() + borrowed_size_; }

  // From now on, byte fields of at least `threshold` bytes are not copied
  // but borrowed: they must outlive what take_frame() returns.
  void borrow_bytes_from(size_t threshold) { borrow_threshold_ = threshold; }
  OutFrame take_frame() {
    OutFrame frame(std::move(buffer_));
    frame.borrowed = std::move(borrowed_);
    borrowed_size_ = 0;
    return frame;
  }

  void write_int8(int8_t v) { write_be(static_cast<uint8_t>(v)); }
  void write_int16(int16_t v) { write_be(static_cast<uint16_t>(v)); }
  void write_int32(int32_t v) { write_be(static_cast<uint32_t>(v)); }
  void write_int64(int64_t v) { write_be(static_cast<uint64_t>(v)); }
  void write_uint16(uint16_t v) { write_be(v); }
  void write_uint32(uint32_t v) { write_be(v); }
  void write_bool(bool v) { buffer_.push_back(v ? 1 : 0); }
  void write_float64(double v);
  void write_uuid(const Uuid& v) { write_raw(v.bytes); }

  void write_unsigned_varint(uint32_t v) { write_unsigned_varlong(v); }
  void write_unsigned_varlong(uint64_t v);
  void write_varint(int32_t v);
  void write_varlong(int64_t v);

  void write_raw(std::span<const uint8_t> data) {
    buffer_.insert(buffer_.end(), data.begin(), data.end());
  }

  void write_string(std::string_view v, bool compact);
  void write_nullable_string(const NullableString& v, bool compact);
  void write_bytes(std::span<const uint8_t> v, bool compact);
  void write_nullable_bytes(const NullableBytes& v, bool compact);
  // A records field: its file parts borrowed when bytes are, else read in
  // (std::runtime_error when a file no longer holds them).
  void write_records(const Records& v, bool compact);
  void write_array_length(int32_t count, bool compact);  // -1 for null
  // One tagged field: tag, size, then the bytes the body writer produced.
  void write_tagged_field(uint32_t tag, std::span<const uint8_t> body);

  // Overwrites 4 bytes at `offset` (a length or CRC reserved earlier).
  void patch_int32(size_t offset, int32_t v);

 private:
  template <typename T>
  void write_be(T v) {
    for (size_t i = sizeof(T); i-- > 0;) buffer_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  Bytes buffer_;
  size_t borrow_threshold_ = SIZE_MAX;
  std::vector<OutFrame::Borrowed> borrowed_;
  size_t borrowed_size_ = 0;
};

// Size of the unsigned varint encoding of v.
size_t unsigned_varint_size(uint64_t v);
size_t varlong_size(int64_t v);

}  // namespace kafkalite::wire
