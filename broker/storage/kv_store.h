// The ordered key-value store under all of kafkalite's durable state. Two
// engines: RocksDB (kafkalite serve) and an in-memory map (tests). Everything
// above this interface, the log included, is engine-agnostic.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/protocol/wire/file_bytes.h"

namespace kafkalite::storage {

// Changes that belong together, applied atomically.
class WriteBatch {
 public:
  enum class Kind { kPut, kDelete, kDeleteRange };
  struct Op {
    Kind kind;
    std::string key;
    std::string value;  // the value for kPut; the exclusive end key for kDeleteRange
  };

  void put(std::string key, std::string value) {
    ops_.push_back({Kind::kPut, std::move(key), std::move(value)});
  }
  // A value of bytes (a record batch), copied as a block: building a
  // std::string from uint8_t iterators copies a byte at a time.
  void put(std::string key, std::span<const uint8_t> value) {
    put(std::move(key), std::string(reinterpret_cast<const char*>(value.data()), value.size()));
  }
  void remove(std::string key) { ops_.push_back({Kind::kDelete, std::move(key), {}}); }
  // Removes every key in [begin, end).
  void remove_range(std::string begin, std::string end) {
    ops_.push_back({Kind::kDeleteRange, std::move(begin), std::move(end)});
  }
  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
};

// Why a write did not happen (disk full, I/O error, or an earlier failure).
struct WriteError {
  std::string message;
};
// The outcome of a write: empty when it is durable as the store promises.
using WriteResult = std::optional<WriteError>;

// A read the engine could not serve (corruption, I/O error). It fails the
// store; the request that asked is abandoned.
struct ReadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A value a log read meets (scan_from_floor): its size is known before its
// bytes are read, and the read takes only the bytes it needs, so a fetch
// that sends the first kilobytes of a batch in a value file does not read
// the batch whole, and a batch the read passes over is not read at all.
class StoredValue {
 public:
  virtual size_t size() const = 0;
  // Copies the value's first `n` bytes (n <= size()) to `into`; false when
  // they are gone (a reader beside the broker, which deleted them since the
  // reader looked). A read the engine cannot serve throws ReadError.
  virtual bool read(size_t n, uint8_t* into) const = 0;
  // The whole value: where it lies in memory, or read into `buffer`; nullopt when gone.
  virtual std::optional<std::string_view> whole(std::string& buffer) const = 0;
  // The first `n` bytes as bytes of an open file, to be sent without being
  // read (a fetch); nullopt when the value is not in a file the broker writes.
  virtual std::optional<wire::FileBytes> file_bytes(size_t) const { return std::nullopt; }
  // Appends the value's first `n` bytes to `out`; false when they are gone.
  bool append_to(std::vector<uint8_t>& out, size_t n) const {
    const size_t at = out.size();
    out.resize(at + n);
    if (read(n, out.data() + at)) return true;
    out.resize(at);
    return false;
  }

 protected:
  ~StoredValue() = default;
};

// A value held in memory.
class InlineValue final : public StoredValue {
 public:
  explicit InlineValue(std::string_view bytes) : bytes_(bytes) {}
  size_t size() const override { return bytes_.size(); }
  bool read(size_t n, uint8_t* into) const override {
    std::memcpy(into, bytes_.data(), std::min(n, bytes_.size()));
    return true;
  }
  std::optional<std::string_view> whole(std::string&) const override { return bytes_; }

 private:
  std::string_view bytes_;
};

// Fail-stop: after the first write that fails, the store refuses every later
// write (as Kafka takes a failed log directory offline), so callers that write
// before they change memory never see memory and disk disagree. The failure
// listener hears of the first failure once, with what was being done.
enum class Access { kWriting, kReading };

class KvStore {
 public:
  virtual ~KvStore() = default;

  // Applies `batch` atomically, or not at all.
  [[nodiscard]] WriteResult apply(const WriteBatch& batch);
  // Called once, with the reason, when the first write, sync or read fails.
  void on_failure(std::function<void(Access, const std::string&)> listener) {
    failure_listener_ = std::move(listener);
  }
  bool failed() const { return failure_.has_value(); }
  // Marks the store failed without a write (a read or a sync failed).
  void fail(Access access, const std::string& reason);
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Visits keys in [begin, end) in order until the visitor returns false.
  using Visitor = std::function<bool(std::string_view key, std::string_view value)>;
  virtual void scan(std::string_view begin, std::string_view end, const Visitor& visit) const = 0;
  // Visits keys in [from, end) in order until the visitor returns false,
  // where `from` is the greatest key in [begin, key], or `key` when there
  // is none: a log read starting at the batch that holds an offset. Values
  // are read only as far as the visitor asks (StoredValue).
  using ValueVisitor = std::function<bool(std::string_view key, const StoredValue& value)>;
  virtual void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                               const ValueVisitor& visit) const = 0;
  // Makes everything applied so far durable against power loss.
  [[nodiscard]] WriteResult flush();

 protected:
  // The engine's write and sync; a returned error fails the store.
  virtual WriteResult write(const WriteBatch& batch) = 0;
  virtual WriteResult sync() = 0;

 private:
  std::optional<std::string> failure_;
  std::function<void(Access, const std::string&)> failure_listener_;
};

// The layout of everything stored (README.md), kept as `M storage.format`:
// 2, where a partition's batch keys may hold a pointer into its value files
// (value_files.h). Format 1, every batch stored whole, is read as it is.
inline constexpr std::string_view kStorageFormat = "2";
inline bool readable_storage_format(std::string_view format) { return format == "1" || format == kStorageFormat; }

std::unique_ptr<KvStore> open_memory_store();
// Opens (creating if needed) a RocksDB database in `path`. Throws
// std::runtime_error when the database cannot be opened (at start-up only).
std::unique_ptr<KvStore> open_rocksdb_store(const std::string& path);
// Opens `path` read-only as a RocksDB secondary instance, which may run
// beside the broker that has it open (`kafkalite inspect`); `scratch` is an
// empty folder for the secondary's own files. Writes fail.
std::unique_ptr<KvStore> open_rocksdb_reader(const std::string& path, const std::string& scratch);

}  // namespace kafkalite::storage
