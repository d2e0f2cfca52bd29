// The ordered key-value store under all of kafkalite's durable state. Two
// engines: RocksDB (kafkalite serve) and an in-memory map (tests). Everything
// above this interface, the log included, is engine-agnostic.
#pragma once

#include <functional>
#include <memory>
#include <optional>
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

class KvStore {
 public:
  virtual ~KvStore() = default;

  virtual void apply(const WriteBatch& batch) = 0;
  virtual std::optional<std::string> get(std::string_view key) const = 0;
  // Visits keys in [begin, end) in order until the visitor returns false.
  using Visitor = std::function<bool(std::string_view key, std::string_view value)>;
  virtual void scan(std::string_view begin, std::string_view end, const Visitor& visit) const = 0;
  // The greatest key in [begin, key], if any.
  virtual std::optional<std::pair<std::string, std::string>> floor(std::string_view begin,
                                                                   std::string_view key) const = 0;
  // Makes everything applied so far durable against power loss.
  virtual void flush() = 0;
};

std::unique_ptr<KvStore> open_memory_store();
// Opens (creating if needed) a RocksDB database in `path`. Throws
// std::runtime_error when the database cannot be opened (at start-up only).
std::unique_ptr<KvStore> open_rocksdb_store(const std::string& path);

}  // namespace kafkalite::storage
