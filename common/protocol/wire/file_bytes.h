// Bytes of an open file — a log's value file — that a frame sends without
// reading them into memory: sendfile on a plaintext connection, a read into
// the frame otherwise. The file stays open while any frame needs it, so a
// file the log deletes meanwhile is still read whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace kafkalite::wire {

class OpenFile {
 public:
  explicit OpenFile(int fd) : fd_(fd) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

struct FileBytes {
  std::shared_ptr<const OpenFile> file;
  uint64_t offset = 0;
  size_t length = 0;

  // Reads the `length` bytes into `into`; false when the file does not hold them.
  bool read_into(uint8_t* into) const;
  // Appends the bytes to `out`; false, and `out` as it was, when the file does not hold them.
  bool append_to(std::vector<uint8_t>& out) const;
  bool operator==(const FileBytes&) const = default;
};

}  // namespace kafkalite::wire
