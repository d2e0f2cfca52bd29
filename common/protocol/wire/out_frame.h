// An encoded frame on its way out, whose largest byte fields (record
// batches a fetch read from the log) are referenced rather than copied into
// it: a scatter-gather write sends them from where they already are.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "common/protocol/wire/types.h"

namespace kafkalite::wire {

struct OutFrame {
  // Bytes that go out after the first `at` bytes of `bytes` (and after any
  // earlier borrowed bytes).
  struct Borrowed {
    size_t at;
    std::span<const uint8_t> data;
  };

  OutFrame() = default;
  // A frame with nothing borrowed.
  explicit OutFrame(Bytes b) : bytes(std::move(b)) {}

  Bytes bytes;
  std::vector<Borrowed> borrowed;
  // Keeps what `borrowed` points into alive until the frame is sent.
  std::shared_ptr<const void> owner;

  size_t size() const {
    size_t total = bytes.size();
    for (const auto& b : borrowed) total += b.data.size();
    return total;
  }
  // The frame in one piece: `bytes` with the borrowed bytes in place.
  Bytes flatten() const {
    Bytes out;
    out.reserve(size());
    size_t from = 0;
    for (const auto& b : borrowed) {
      out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(from),
                 bytes.begin() + static_cast<std::ptrdiff_t>(b.at));
      out.insert(out.end(), b.data.begin(), b.data.end());
      from = b.at;
    }
    out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(from), bytes.end());
    return out;
  }
  // Visits the pieces in order, as (pointer, size): for a gathered write.
  template <typename Visit>
  void for_each_piece(Visit&& visit) const {
    size_t from = 0;
    for (const auto& b : borrowed) {
      if (b.at > from) visit(bytes.data() + from, b.at - from);
      visit(b.data.data(), b.data.size());
      from = b.at;
    }
    if (bytes.size() > from) visit(bytes.data() + from, bytes.size() - from);
  }
};

}  // namespace kafkalite::wire
