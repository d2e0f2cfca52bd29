#include "common/protocol/wire/writer.h"

#include <bit>
#include <stdexcept>

namespace kafkalite::wire {

void Writer::write_float64(double v) { write_be(std::bit_cast<uint64_t>(v)); }

void Writer::write_unsigned_varlong(uint64_t v) {
  while (v >= 0x80) {
    buffer_.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  buffer_.push_back(static_cast<uint8_t>(v));
}

void Writer::write_varint(int32_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  write_unsigned_varint((u << 1) ^ static_cast<uint32_t>(v >> 31));
}

void Writer::write_varlong(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  write_unsigned_varlong((u << 1) ^ static_cast<uint64_t>(v >> 63));
}

void Writer::write_string(std::string_view v, bool compact) {
  if (compact) {
    write_unsigned_varint(static_cast<uint32_t>(v.size() + 1));
  } else {
    write_int16(static_cast<int16_t>(v.size()));
  }
  write_raw({reinterpret_cast<const uint8_t*>(v.data()), v.size()});
}

void Writer::write_nullable_string(const NullableString& v, bool compact) {
  if (v) {
    write_string(*v, compact);
  } else if (compact) {
    write_unsigned_varint(0);
  } else {
    write_int16(-1);
  }
}

void Writer::write_bytes(std::span<const uint8_t> v, bool compact) {
  write_array_length(static_cast<int32_t>(v.size()), compact);
  if (v.size() >= borrow_threshold_) {
    borrowed_.push_back({buffer_.size(), v});
    borrowed_size_ += v.size();
  } else {
    write_raw(v);
  }
}

void Writer::write_records(const Records& v, bool compact) {
  if (v.files.empty() || !v.data) return write_nullable_bytes(v.data, compact);
  write_array_length(static_cast<int32_t>(v.size()), compact);
  size_t from = 0;
  auto write_data = [&](size_t end) {
    const std::span<const uint8_t> piece(v.data->data() + from, end - from);
    if (piece.size() >= borrow_threshold_) {
      borrowed_.push_back({buffer_.size(), piece});
      borrowed_size_ += piece.size();
    } else {
      write_raw(piece);
    }
    from = end;
  };
  for (const auto& part : v.files) {
    write_data(part.at);
    if (borrow_threshold_ != SIZE_MAX) {
      borrowed_.push_back({buffer_.size(), {}, part.bytes});
      borrowed_size_ += part.bytes.length;
    } else if (!part.bytes.append_to(buffer_)) {
      throw std::runtime_error("a record batch file was cut short");
    }
  }
  write_data(v.data->size());
}

void Writer::write_nullable_bytes(const NullableBytes& v, bool compact) {
  if (v) {
    write_bytes(*v, compact);
  } else {
    write_array_length(-1, compact);
  }
}

void Writer::write_array_length(int32_t count, bool compact) {
  if (compact) {
    write_unsigned_varint(static_cast<uint32_t>(count + 1));
  } else {
    write_int32(count);
  }
}

void Writer::write_tagged_field(uint32_t tag, std::span<const uint8_t> body) {
  write_unsigned_varint(tag);
  write_unsigned_varint(static_cast<uint32_t>(body.size()));
  write_raw(body);
}

void Writer::patch_int32(size_t offset, int32_t v) {
  auto u = static_cast<uint32_t>(v);
  for (size_t i = 0; i < 4; ++i) buffer_[offset + i] = static_cast<uint8_t>(u >> (24 - 8 * i));
}

size_t unsigned_varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

size_t varlong_size(int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  return unsigned_varint_size((u << 1) ^ static_cast<uint64_t>(v >> 63));
}

}  // namespace kafkalite::wire
