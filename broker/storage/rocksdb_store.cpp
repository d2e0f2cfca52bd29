// The RocksDB engine. Writes go through the WAL without fsync, as Kafka
// writes to the page cache without fsync: acknowledged data survives a crash
// of the process; flush() (at shutdown) makes it survive a crash of the OS.
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "broker/storage/keys.h"
#include "broker/storage/kv_store.h"
#include "common/text.h"

namespace kafkalite::storage {
namespace {

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }
std::string_view view(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

// RocksDB's own warnings and errors go to kafkalite's log, not to a LOG file
// in the data directory: on a full disk that file cannot be written either
// (and Debian's RocksDB asserts when its logger writes after a failed write).
class SpdlogLogger final : public rocksdb::Logger {
 public:
  explicit SpdlogLogger(rocksdb::InfoLogLevel level) : rocksdb::Logger(level) {}
  using rocksdb::Logger::Logv;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
      spdlog::error("RocksDB: {}", line);
    } else {
      spdlog::warn("RocksDB: {}", line);
    }
  }
};

rocksdb::DBOptions db_options(bool secondary) {
  rocksdb::DBOptions options;
  options.create_if_missing = !secondary;
  // A secondary (kafkalite inspect) replays the WAL into memtables it
  // never flushes, and RocksDB warns of stalled writes it will never make:
  // only its errors are worth a line there.
  options.info_log = std::make_shared<SpdlogLogger>(secondary ? rocksdb::InfoLogLevel::ERROR_LEVEL
                                                              : rocksdb::InfoLogLevel::WARN_LEVEL);
  // Small footprint: this is a single-node broker, often idle.
  options.max_background_jobs = 2;
  options.keep_log_file_num = 2;
  // A restart after kill -9 replays the WAL not yet flushed, into
  // memtables, without flushing them first (that flush cost 300 ms).
  options.avoid_flush_during_recovery = true;
  // Memtables of every family, flushing or not, share 32 MB: past it the
  // oldest is flushed, and writes wait while flushes catch up (RocksDB's
  // write buffer manager, stalling). That bounds what a restart after kill -9
  // replays from the WAL: without the stall, eight partitions' memtables
  // waiting for the one flush thread held 190 MB of WAL, and a restart with
  // 3 GB of log took 0.7-1.8 s; with it, 64 MB: 220-250 ms, 32 MB: 110-130
  // ms (10 GB: 207 ms), produce no slower.
  options.write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(32 << 20, nullptr, true);
  options.max_total_wal_size = 32 << 20;
  // A partition's flushed files are moved down the levels, not merged, so a
  // log keeps many of them (10 GB over 8 partitions: ~2500). With every file
  // kept open (RocksDB's default) a start opens them all first; with a
  // bound, it opens 16 and the rest when read.
  options.max_open_files = secondary ? -1 : 512;  // -1 is required of secondaries
  return options;
}

// Tuned for a log (see README.md, "RocksDB as a log"): record batches are
// stored as the client sent them, as Kafka does, so no compression (they are
// often compressed already); SST blocks are checked with XXH3 rather than
// Debian's table-driven CRC-32C. One table factory for every family, so they
// share one block cache.
rocksdb::ColumnFamilyOptions family_options() {
  static const std::shared_ptr<rocksdb::TableFactory> table_factory = [] {
    rocksdb::BlockBasedTableOptions table;
    table.checksum = rocksdb::kXXH3;
    return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(table));
  }();
  rocksdb::ColumnFamilyOptions options;
  options.compression = rocksdb::kNoCompression;
  // A family's own memtable limit is far above the shared 32 MB: it only
  // matters to the WAL replay at start-up, where a memtable that fills is
  // flushed and then every family is (files written and synced before the
  // broker can start). Arena blocks stay small, as the shared budget counts
  // what is allocated.
  options.write_buffer_size = 512 << 20;
  options.arena_block_size = 1 << 20;
  // Room for a third memtable while one is flushed: with two, writes to a
  // family stopped while its flush lagged under sustained 16 KiB produce.
  options.max_write_buffer_number = 3;
  options.table_factory = table_factory;
  return options;
}

// A partition's column family is named by its key prefix in hex: "B" and
// 40 hex digits.
std::string family_name(std::string_view prefix) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(prefix.data()) + 1;
  return "B" + text::to_hex({bytes, prefix.size() - 1});
}

// The key prefix a family holds, or empty for a name that is not a partition's.
std::string family_prefix(std::string_view name) {
  if (name.size() != 1 + 2 * (keys::kBatchPartitionPrefixSize - 1) || name[0] != 'B') return {};
  auto bytes = text::from_hex(name.substr(1));
  if (!bytes) return {};
  return "B" + std::string(bytes->begin(), bytes->end());
}

// Each partition's record batches live in a column family of their own;
// everything else in the default family. A partition's batch keys only grow,
// so its memtables flush into files that overlap no other file of the family,
// and RocksDB moves them down the levels without rewriting them: every byte
// produced is written twice (the WAL, the flush). In one family, files
// flushed while several partitions were written overlapped every older file
// between their keys, and compactions rewrote them again and again.
//
// The store is used from one thread (the broker's), as the interface says.
class RocksDbStore final : public KvStore {
 public:
  // `secondary`: open as a RocksDB secondary instance (its own folder for
  // its info files): read-only, safe while the broker has the directory open.
  explicit RocksDbStore(const std::string& path, const std::string& secondary = "")
      : family_options_(family_options()) {
    const rocksdb::DBOptions options = db_options(!secondary.empty());
    std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName};  // a new database
    std::error_code ignored;  // RocksDB says what it cannot open
    if (secondary.empty()) std::filesystem::create_directories(path, ignored);
    if (std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ignored)) {
      auto listed = rocksdb::DB::ListColumnFamilies(options, path, &names);
      if (!listed.ok()) throw std::runtime_error("cannot open RocksDB at " + path + ": " + listed.ToString());
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& name : names) descriptors.emplace_back(name, family_options_);
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    auto status = secondary.empty()
                      ? rocksdb::DB::Open(options, path, descriptors, &handles, &db)
                      : rocksdb::DB::OpenAsSecondary(options, path, secondary, descriptors, &handles, &db);
    if (!status.ok()) throw std::runtime_error("cannot open RocksDB at " + path + ": " + status.ToString());
    db_.reset(db);
    for (size_t i = 0; i < handles.size(); ++i) {
      if (names[i] == rocksdb::kDefaultColumnFamilyName) {
        default_ = handles[i];
      } else if (std::string prefix = family_prefix(names[i]); !prefix.empty()) {
        families_.emplace(std::move(prefix), handles[i]);
      } else {
        others_.push_back(handles[i]);  // not kafkalite's: left alone
      }
    }
    if (secondary.empty()) {
      move_batches_out_of_the_default_family();
      drop_empty_families();
    } else {
      // The directory of an earlier kafkalite, still running: read its batches where it keeps them.
      batches_in_default_ = any_batch_in_default();
    }
  }

  ~RocksDbStore() override {
    for (auto& [prefix, handle] : families_) db_->DestroyColumnFamilyHandle(handle);
    for (auto* handle : others_) db_->DestroyColumnFamilyHandle(handle);
    if (default_) db_->DestroyColumnFamilyHandle(default_);
  }

  WriteResult write(const WriteBatch& batch) override {
    rocksdb::WriteBatch wb;
    std::set<std::string, std::less<>> emptied;  // families the batch removes whole
    for (const auto& op : batch.ops()) {
      switch (op.kind) {
        case WriteBatch::Kind::kPut: {
          rocksdb::ColumnFamilyHandle* family = default_;
          if (std::string_view prefix = batch_prefix(op.key); !prefix.empty()) {
            auto made = family_of(prefix, family);
            if (!made.ok()) return WriteError{"RocksDB could not make a column family: " + made.ToString()};
            if (auto it = emptied.find(prefix); it != emptied.end()) emptied.erase(it);
          }
          wb.Put(family, op.key, op.value);
          break;
        }
        case WriteBatch::Kind::kDelete:
          if (auto* family = family_holding(op.key)) wb.Delete(family, op.key);
          break;
        case WriteBatch::Kind::kDeleteRange:
          remove_range(wb, op.key, op.value, emptied);
          break;
      }
    }
    auto status = db_->Write(rocksdb::WriteOptions(), &wb);
    if (!status.ok()) return WriteError{"RocksDB write failed: " + status.ToString()};
    // The range deletes are durable: the families they emptied can go.
    for (const auto& prefix : emptied) drop_family(prefix);
    return std::nullopt;
  }

  std::optional<std::string> get(std::string_view key) const override {
    auto* family = family_holding(key);
    if (!family) return std::nullopt;
    std::string value;
    auto status = db_->Get(rocksdb::ReadOptions(), family, slice(key), &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) read_failed(status);
    return value;
  }

  void scan(std::string_view begin, std::string_view end, const Visitor& visit) const override {
    if (batches_in_default_) {
      scan_family(default_, begin, end, visit);
      return;
    }
    // In key order: the default family below the batches, the partitions'
    // families (their prefixes are disjoint and sorted), the default family above.
    const std::string space_begin = keys::batch_space_begin();
    const std::string space_end = keys::batch_space_end();
    if (begin < space_begin && !scan_family(default_, begin, std::min<std::string_view>(end, space_begin), visit)) {
      return;
    }
    for (auto it = first_family_from(begin); it != families_.end() && std::string_view(it->first) < end; ++it) {
      const std::string after = keys::after_prefix(it->first);
      if (!scan_family(it->second, std::max<std::string_view>(begin, it->first), std::min<std::string_view>(end, after),
                       visit)) {
        return;
      }
    }
    if (end > space_end) scan_family(default_, std::max<std::string_view>(begin, space_end), end, visit);
  }

  void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                       const Visitor& visit) const override {
    // A partition's batches (the log's read): one family.
    if (std::string_view prefix = batch_prefix(begin); !prefix.empty() && end <= keys::after_prefix(std::string(prefix))) {
      auto it = families_.find(prefix);
      if (it != families_.end()) scan_family_from_floor(it->second, begin, key, end, visit);
      return;
    }
    if (batches_in_default_ || end <= keys::batch_space_begin() || begin >= keys::batch_space_end()) {
      scan_family_from_floor(default_, begin, key, end, visit);
      return;
    }
    // A range across families (no caller reads so): find the floor by a scan.
    std::optional<std::string> floor;
    scan(begin, std::string(key) + '\0', [&floor](std::string_view k, std::string_view) {
      floor = std::string(k);
      return true;
    });
    scan(floor ? *floor : std::string(key), end, visit);
  }

  WriteResult sync() override {
    auto status = db_->FlushWAL(/*sync=*/true);
    if (!status.ok()) return WriteError{"RocksDB sync failed: " + status.ToString()};
    return std::nullopt;
  }

 private:
  using Families = std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>>;

  // The partition prefix of a batch key kept in a family of its own.
  std::string_view batch_prefix(std::string_view key) const {
    return batches_in_default_ ? std::string_view() : keys::batch_partition_prefix(key);
  }

  // The family that holds `key`, or nullptr for a batch key of a partition with none.
  rocksdb::ColumnFamilyHandle* family_holding(std::string_view key) const {
    std::string_view prefix = batch_prefix(key);
    if (prefix.empty()) return default_;
    auto it = families_.find(prefix);
    return it == families_.end() ? nullptr : it->second;
  }

  // The first family whose keys may lie at or after `begin`.
  Families::const_iterator first_family_from(std::string_view begin) const {
    return families_.lower_bound(begin.substr(0, std::min(begin.size(), keys::kBatchPartitionPrefixSize)));
  }

  // The partition's family in `family`, made when it has none.
  rocksdb::Status family_of(std::string_view prefix, rocksdb::ColumnFamilyHandle*& family) {
    if (auto it = families_.find(prefix); it != families_.end()) {
      family = it->second;
      return rocksdb::Status::OK();
    }
    auto status = db_->CreateColumnFamily(family_options_, family_name(prefix), &family);
    if (status.ok()) families_.emplace(std::string(prefix), family);
    return status;
  }

  void drop_family(const std::string& prefix) {
    auto it = families_.find(prefix);
    if (it == families_.end()) return;
    // A family that cannot be dropped is only space: its keys are deleted.
    if (auto status = db_->DropColumnFamily(it->second); !status.ok()) {
      spdlog::warn("RocksDB: column family {} kept: {}", family_name(prefix), status.ToString());
    }
    db_->DestroyColumnFamilyHandle(it->second);
    families_.erase(it);
  }

  void remove_range(rocksdb::WriteBatch& wb, std::string_view begin, std::string_view end,
                    std::set<std::string, std::less<>>& emptied) const {
    // The default family holds no batch key (unless it holds them all).
    if (batches_in_default_ || begin < keys::batch_space_begin() || end > keys::batch_space_end()) {
      wb.DeleteRange(default_, slice(begin), slice(end));
    }
    if (batches_in_default_) return;
    for (auto it = first_family_from(begin); it != families_.end() && std::string_view(it->first) < end; ++it) {
      const std::string after = keys::after_prefix(it->first);
      const std::string_view from = std::max<std::string_view>(begin, it->first);
      const std::string_view to = std::min<std::string_view>(end, after);
      wb.DeleteRange(it->second, slice(from), slice(to));
      if (from == it->first && to == after) emptied.insert(it->first);
    }
  }

  // Visits [begin, end) of one family; false when the visitor stopped.
  bool scan_family(rocksdb::ColumnFamilyHandle* family, std::string_view begin, std::string_view end,
                   const Visitor& visit) const {
    if (begin >= end) return true;
    auto options = scan_options();
    const rocksdb::Slice upper = slice(end);
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family));
    for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
      if (!visit(view(it->key()), view(it->value()))) return false;
    }
    if (!it->status().ok()) read_failed(it->status());
    return true;
  }

  void scan_family_from_floor(rocksdb::ColumnFamilyHandle* family, std::string_view begin, std::string_view key,
                              std::string_view end, const Visitor& visit) const {
    const rocksdb::Slice upper = slice(end);
    auto options = scan_options();
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family));
    it->SeekForPrev(slice(key));
    if (!it->Valid() || view(it->key()) < begin) it->Seek(slice(key));
    for (; it->Valid(); it->Next()) {
      if (!visit(view(it->key()), view(it->value()))) return;
    }
    if (!it->status().ok()) read_failed(it->status());
  }

  // True when the family has no key in [begin, end).
  bool empty(rocksdb::ColumnFamilyHandle* family, std::string_view begin, std::string_view end) const {
    return scan_family(family, begin, end, [](auto, auto) { return false; });
  }

  bool any_batch_in_default() const {
    return !empty(default_, keys::batch_space_begin(), keys::batch_space_end());
  }

  // A data directory of an earlier kafkalite keeps every batch in the
  // default family: they move to their partitions' families once, at start-up,
  // in writes of about 64 MB (copies first, so a crash in between only copies
  // again), then leave the default family in one range delete.
  void move_batches_out_of_the_default_family() {
    if (!any_batch_in_default()) return;
    spdlog::info("Moving the record batches of an earlier kafkalite into a column family per partition (once)");
    rocksdb::WriteBatch wb;
    size_t moved = 0;
    auto write = [this, &wb] {
      if (auto status = db_->Write(rocksdb::WriteOptions(), &wb); !status.ok()) {
        throw std::runtime_error("cannot move record batches: " + status.ToString());
      }
      wb.Clear();
    };
    scan_family(default_, keys::batch_space_begin(), keys::batch_space_end(),
                [&](std::string_view key, std::string_view value) {
                  std::string_view prefix = keys::batch_partition_prefix(key);
                  if (prefix.empty()) return true;
                  rocksdb::ColumnFamilyHandle* family = nullptr;
                  if (auto status = family_of(prefix, family); !status.ok()) {
                    throw std::runtime_error("cannot make a column family: " + status.ToString());
                  }
                  wb.Put(family, slice(key), slice(value));
                  ++moved;
                  if (wb.GetDataSize() >= (64u << 20)) write();
                  return true;
                });
    wb.DeleteRange(default_, keys::batch_space_begin(), keys::batch_space_end());
    write();
    spdlog::info("Moved {} record batches into {} column families", moved, families_.size());
  }

  // Families left empty (a crash between a topic's deletion and the drop of
  // its families, or a log emptied by retention) go at start-up.
  void drop_empty_families() {
    std::vector<std::string> emptied;
    for (const auto& [prefix, handle] : families_) {
      if (empty(handle, prefix, keys::after_prefix(prefix))) emptied.push_back(prefix);
    }
    for (const auto& prefix : emptied) drop_family(prefix);
  }

  // Scans read record batches, which carry their own CRC-32C that clients
  // check (and `kafkalite inspect` shows): RocksDB's block checksums are
  // not verified again on that path (15 % of the broker's CPU under a
  // group consume here), as Kafka sends its segments to consumers
  // unchecked. Compactions and point reads still verify them.
  static rocksdb::ReadOptions scan_options() {
    rocksdb::ReadOptions options;
    options.verify_checksums = false;
    return options;
  }

  // A read the engine cannot serve fails the store (the broker stops) and
  // abandons the request that asked.
  [[noreturn]] void read_failed(const rocksdb::Status& status) const {
    const std::string reason = "RocksDB read failed: " + status.ToString();
    const_cast<RocksDbStore*>(this)->fail(reason);
    throw ReadError(reason);
  }

  rocksdb::ColumnFamilyOptions family_options_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_ = nullptr;
  Families families_;  // by partition prefix ('B' topic_id partition)
  std::vector<rocksdb::ColumnFamilyHandle*> others_;
  bool batches_in_default_ = false;
};

}  // namespace

std::unique_ptr<KvStore> open_rocksdb_store(const std::string& path) {
  return std::make_unique<RocksDbStore>(path);
}

std::unique_ptr<KvStore> open_rocksdb_reader(const std::string& path, const std::string& scratch) {
  return std::make_unique<RocksDbStore>(path, scratch);
}

}  // namespace kafkalite::storage
