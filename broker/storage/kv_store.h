// The ordered key-value store under all of kafkalite's durable state. Two
// engines: RocksDB (kafkalite serve) and an in-memory map (tests). Everything
// above this interface, the log included, is engine-agnostic.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

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

// Fail-stop: after the first write that fails, the store refuses every later
// write (as Kafka takes a failed log directory offline), so callers that write
// before they change memory never see memory and disk disagree. The failure
// listener hears of the first failure once.
class KvStore {
 public:
  virtual ~KvStore() = default;

  // Applies `batch` atomically, or not at all.
  [[nodiscard]] WriteResult apply(const WriteBatch& batch);
  // Called once, with the reason, when the first write fails.
  void on_failure(std::function<void(const std::string&)> listener) {
    failure_listener_ = std::move(listener);
  }
  bool failed() const { return failure_.has_value(); }
  // Marks the store failed without a write (a read or a sync failed).
  void fail(const std::string& reason);
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Visits keys in [begin, end) in order until the visitor returns false.
  using Visitor = std::function<bool(std::string_view key, std::string_view value)>;
  virtual void scan(std::string_view begin, std::string_view end, const Visitor& visit) const = 0;
  // Visits keys in [from, end) in order until the visitor returns false,
  // where `from` is the greatest key in [begin, key], or `key` when there
  // is none: a log read starting at the batch that holds an offset.
  virtual void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                               const Visitor& visit) const = 0;
  // Makes everything applied so far durable against power loss.
  [[nodiscard]] WriteResult flush();

 protected:
  // The engine's write and sync; a returned error fails the store.
  virtual WriteResult write(const WriteBatch& batch) = 0;
  virtual WriteResult sync() = 0;

 private:
  std::optional<std::string> failure_;
  std::function<void(const std::string&)> failure_listener_;
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
