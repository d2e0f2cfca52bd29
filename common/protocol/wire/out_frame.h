// An encoded frame on its way out, whose largest byte fields (record
// batches a fetch read from the log) are referenced rather than copied into
// it: a scatter-gather write sends them from where they already are.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/protocol/wire/types.h"

namespace kafkalite::wire {

struct OutFrame {
  // Bytes that go out after the first `at` bytes of `bytes` (and after any
  // earlier borrowed bytes): in memory, or in a file (`file.file` set).
  struct Borrowed {
    size_t at;
    std::span<const uint8_t> data;
    FileBytes file = {};
    size_t size() const { return file.file ? file.length : data.size(); }
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
    for (const auto& b : borrowed) total += b.size();
    return total;
  }
  // The frame in one piece: `bytes` with the borrowed bytes in place (file
  // bytes read in; a file that no longer holds them throws std::runtime_error).
  Bytes flatten() const {
    Bytes out;
    out.reserve(size());
    for_each_piece([&out](const uint8_t* data, size_t n) { out.insert(out.end(), data, data + n); },
                   [&out](const FileBytes& file) {
                     if (!file.append_to(out)) throw std::runtime_error("a record batch file was cut short");
                   });
    return out;
  }
  // Visits the pieces in order: memory as (pointer, size), file bytes as FileBytes.
  template <typename Visit, typename VisitFile>
  void for_each_piece(Visit&& visit, VisitFile&& visit_file) const {
    size_t from = 0;
    for (const auto& b : borrowed) {
      if (b.at > from) visit(bytes.data() + from, b.at - from);
      if (b.file.file) {
        visit_file(b.file);
      } else {
        visit(b.data.data(), b.data.size());
      }
      from = b.at;
    }
    if (bytes.size() > from) visit(bytes.data() + from, bytes.size() - from);
  }
};

}  // namespace kafkalite::wire
