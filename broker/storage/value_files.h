// Record batches written once. The RocksDB engine appends each partition's
// batches to files of their own, as Kafka appends to a segment, and keeps
// under the batch's key only where it went (a ValuePointer). Written into
// RocksDB itself, every byte produced went to the disk twice, the WAL and
// then the memtable's flush; this way it goes once, and the WAL carries
// pointers. The file is written before the WAL, so a batch whose key is
// durable is durable too (both without fsync, as Kafka's page cache writes;
// sync() at shutdown covers both).
//
// A file is deleted once no key points into it: the engine keeps, in a
// column family of its own, how many batches of each file are still live,
// changed in the same RocksDB write as the keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/protocol/wire/file_bytes.h"

namespace kafkalite::storage {

// Where a batch lives: file number, byte offset, length. Stored (format 0,
// 22 bytes) in place of the batch; a record batch is at least 61 bytes, so a
// value of another size is a batch stored whole (written by an earlier
// kafkalite, storage format 1).
struct ValuePointer {
  uint64_t file = 0;
  uint64_t offset = 0;
  uint32_t length = 0;

  static constexpr size_t kEncodedSize = 22;
  std::string encode() const;
  static std::optional<ValuePointer> decode(std::string_view value);
};

// How many batches of a file are live, and their bytes (format 0, 18 bytes).
struct LiveValues {
  int64_t count = 0;
  int64_t bytes = 0;
  std::string encode() const;
  static LiveValues decode(std::string_view value);
};

// fsync of a file or folder (a folder's, so the files made in it are found
// after a crash of the OS); false when it cannot be opened or synced.
bool sync_path(const std::filesystem::path& path);

// One partition's files: <dir>/<number, 16 hex digits>.batches, appended to,
// never rewritten. The first file of a folder is numbered by the clock (µs),
// so a folder made again for a partition never reuses a number that a
// reader beside the broker may still hold a pointer to. A file is synced
// (fdatasync, and its folder) when appends move on to the next. Its pages go
// to the disk's writeback as they fill, a megabyte at a time (as RocksDB's
// bytes_per_sync), so that sync waits for the last of them only: measured
// here, fdatasync of a 64 MB file written in one go took 32-36 ms, with the
// writeback begun as it was written 1 ms, and the broker's thread waits for
// it. Used from the store's one thread.
class ValueFiles {
 public:
  // A new file is begun when the newest would grow past this.
  static constexpr uint64_t kFileBytes = 64 << 20;
  // Bytes appended before their pages are handed to the disk's writeback.
  static constexpr uint64_t kWritebackBytes = 1 << 20;

  // Finds the files in `dir` (made on the first append unless `read_only`).
  ValueFiles(std::filesystem::path dir, bool read_only);
  ~ValueFiles();
  ValueFiles(const ValueFiles&) = delete;
  ValueFiles& operator=(const ValueFiles&) = delete;

  // Appends `value` to the newest file; the reason when the disk refuses.
  std::variant<ValuePointer, std::string> append(std::string_view value);
  // Reads the first `n` bytes of what `p` points at into `into`; false when
  // the file does not hold them (deleted, or cut short by a crash of the OS).
  bool read(const ValuePointer& p, size_t n, uint8_t* into);
  // The first `n` bytes of what `p` points at, to be sent from the file
  // (the file kept open while they are needed); nullopt when the files do
  // not hold them, or for a reader beside the broker (whose view of the
  // files' sizes may be old).
  std::optional<wire::FileBytes> file_bytes(const ValuePointer& p, size_t n);
  // Whether the files hold all of what `p` points at, as far as their sizes say.
  bool holds(const ValuePointer& p) const;
  // The file appends go to (0: none yet).
  uint64_t newest() const { return files_.empty() ? 0 : files_.rbegin()->first; }
  std::filesystem::path path_of(uint64_t file) const;
  std::vector<uint64_t> files() const;
  void remove(uint64_t file);
  // Removes every file and the folder.
  void remove_all();
  // fdatasync of each file written since the last sync; the reason when one fails.
  std::optional<std::string> sync();
  // Closes the descriptors held open (the store bounds how many are).
  void close_descriptors();
  bool holds_descriptors() const { return writer_ >= 0 || reader_ != nullptr; }
  // How much of the newest file has been handed to the disk's writeback.
  uint64_t writeback_begun() const { return files_.empty() ? 0 : files_.rbegin()->second.writeback_from; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct File {
    uint64_t size = 0;
    bool unsynced = false;
    uint64_t writeback_from = 0;  // bytes before it handed to writeback (or there when opened)
  };
  std::optional<std::string> open_writer();
  std::optional<std::string> sync_file(uint64_t file);

  std::filesystem::path dir_;
  bool read_only_;
  std::map<uint64_t, File> files_;
  int writer_ = -1;  // the newest file, for appends
  bool open_reader(uint64_t file);
  std::shared_ptr<const wire::OpenFile> reader_;  // the file last read (fetches' frames may share it)
  uint64_t reader_file_ = 0;
};

}  // namespace kafkalite::storage
