// The RocksDB engine. Writes go through the WAL without fsync, as Kafka
// writes to the page cache without fsync: acknowledged data survives a crash
// of the process; flush() (at shutdown) makes it survive a crash of the OS.
#include <rocksdb/db.h>
#include <rocksdb/listener.h>
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
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include "broker/storage/keys.h"
#include "broker/storage/kv_store.h"
#include "broker/storage/value_files.h"
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
  // When the buffer is full, every family's memtable is flushed at once.
  // RocksDB otherwise flushes the one family with the oldest memtable per
  // write that finds the buffer full, and the writes then wait for memory
  // to be freed: with many partitions each holding a little (every
  // memtable takes an arena block), one flush never freed enough and
  // writes waited for good.
  options.atomic_flush = true;
  // A partition's flushed files are moved down the levels, not merged, so a
  // log keeps many of them (10 GB over 8 partitions: ~2500). With every file
  // kept open (RocksDB's default) a start opens them all first; with a
  // bound, it opens 16 and the rest when read.
  options.max_open_files = secondary ? -1 : 512;  // -1 is required of secondaries
  // Writes come from one thread; in-place memtable updates (below) need this off.
  options.allow_concurrent_memtable_write = false;
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

// The default family and the value files' counts: every produce rewrites a
// partition's state, its index block and its file's count, so those keys are
// updated in place in the memtable when the new value fits (RocksDB's
// inplace_update_support), rather than each write adding a version to a
// skiplist that grows to every write since the last flush (searching it was
// 13 % of the broker's time under 100k produce requests a second). It rules
// out backward iteration in these families' memtables, which only a reader of
// an earlier layout (batches in the default family) makes: it is off there.
rocksdb::ColumnFamilyOptions state_family_options(bool read_only) {
  rocksdb::ColumnFamilyOptions options = family_options();
  options.inplace_update_support = !read_only;
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

// The family where the engine counts each value file's live batches (keys::live_batches).
constexpr const char* kLiveFamily = "live-batches";
// At most this many partitions keep their value files' descriptors open.
constexpr size_t kOpenValueFamilies = 128;

// Syncs each partition's newest value file (and its folder) before RocksDB
// flushes a memtable: the flushed file is synced, so the pointers in it must
// not outlive, in a crash of the OS, the bytes they point at. Older files
// were synced when appends moved on from them. Runs on RocksDB's flush
// thread; the store tells it the files as they change.
class SyncBeforeFlush final : public rocksdb::EventListener {
 public:
  void remember(std::string_view prefix, std::filesystem::path path) {
    std::lock_guard lock(mutex_);
    newest_[std::string(prefix)] = std::move(path);
  }
  void forget(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    newest_.erase(prefix);
  }
  void OnFlushBegin(rocksdb::DB*, const rocksdb::FlushJobInfo&) override {
    std::vector<std::filesystem::path> paths;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [prefix, path] : newest_) paths.push_back(path);
    }
    for (const auto& path : paths) {
      for (const auto& synced : {path, path.parent_path()}) {
        // (One deleted since is not there to sync.)
        if (!sync_path(synced) && std::filesystem::exists(synced)) {
          spdlog::warn("RocksDB: {} could not be synced before a flush", synced.string());
        }
      }
    }
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::filesystem::path, std::less<>> newest_;
};

// Each partition's record batches live in a column family of their own;
// everything else in the default family. A partition's batch keys only grow,
// so its memtables flush into files that overlap no other file of the family,
// and RocksDB moves them down the levels without rewriting them. In one
// family, files flushed while several partitions were written overlapped
// every older file between their keys, and compactions rewrote them again
// and again. The batches themselves go to the partition's value files
// (value_files.h), written once; the family keeps where each one is.
//
// The store is used from one thread (the broker's), as the interface says.
class RocksDbStore final : public KvStore {
 public:
  // `secondary`: open as a RocksDB secondary instance (its own folder for
  // its info files): read-only, safe while the broker has the directory open.
  explicit RocksDbStore(const std::string& path, const std::string& secondary = "")
      : family_options_(family_options()),
        batch_dir_(std::filesystem::path(path) / "batches"),
        read_only_(!secondary.empty()) {
    rocksdb::DBOptions options = db_options(read_only_);
    if (!read_only_) options.listeners.push_back(sync_before_flush_);
    std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName};  // a new database
    std::error_code ignored;  // RocksDB says what it cannot open
    if (!read_only_) std::filesystem::create_directories(path, ignored);
    if (std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ignored)) {
      auto listed = rocksdb::DB::ListColumnFamilies(options, path, &names);
      if (!listed.ok()) throw std::runtime_error("cannot open RocksDB at " + path + ": " + listed.ToString());
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& name : names) {
      const bool state = name == rocksdb::kDefaultColumnFamilyName || name == kLiveFamily;
      descriptors.emplace_back(name, state ? state_family_options(read_only_) : family_options_);
    }
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    auto status = read_only_ ? rocksdb::DB::OpenAsSecondary(options, path, secondary, descriptors, &handles, &db)
                             : rocksdb::DB::Open(options, path, descriptors, &handles, &db);
    if (!status.ok()) throw std::runtime_error("cannot open RocksDB at " + path + ": " + status.ToString());
    db_.reset(db);
    for (size_t i = 0; i < handles.size(); ++i) {
      if (names[i] == rocksdb::kDefaultColumnFamilyName) {
        default_ = handles[i];
      } else if (names[i] == kLiveFamily) {
        live_ = handles[i];
      } else if (std::string prefix = family_prefix(names[i]); !prefix.empty()) {
        families_.emplace(prefix, Family{handles[i], value_files(prefix)});
      } else {
        others_.push_back(handles[i]);  // not kafkalite's: left alone
      }
    }
    default_family_.handle = default_;
    // A directory in a storage format this kafkalite does not read is left
    // as it is (the node refuses it).
    std::string format;
    status = db_->Get(rocksdb::ReadOptions(), default_, keys::metadata("storage.format"), &format);
    const bool readable = status.IsNotFound() || (status.ok() && readable_storage_format(format));
    if (!read_only_ && readable) {
      if (!live_) {
        status = db_->CreateColumnFamily(state_family_options(read_only_), kLiveFamily, &live_);
        if (!status.ok()) throw std::runtime_error("cannot open RocksDB at " + path + ": " + status.ToString());
      }
      move_batches_out_of_the_default_family();
      remove_torn_tails();
      drop_empty_families();
      remove_dead_value_files();
      for (const auto& [prefix, family] : families_) note_newest(prefix, family);
    } else if (read_only_) {
      // The directory of an earlier kafkalite, still running: read its batches where it keeps them.
      batches_in_default_ = any_batch_in_default();
    }
  }

  ~RocksDbStore() override {
    for (auto& [prefix, family] : families_) db_->DestroyColumnFamilyHandle(family.handle);
    for (auto* handle : others_) db_->DestroyColumnFamilyHandle(handle);
    if (live_) db_->DestroyColumnFamilyHandle(live_);
    if (default_) db_->DestroyColumnFamilyHandle(default_);
  }

  // A read the write needs and cannot make (it fails the store) is answered
  // as a failed write.
  WriteResult write(const WriteBatch& batch) override {
    try {
      return write_batch(batch);
    } catch (const ReadError& e) {
      return WriteError{e.what()};
    }
  }

  std::optional<std::string> get(std::string_view key) const override {
    auto* family = family_holding(key);
    if (!family) return std::nullopt;
    std::string value;
    auto status = db_->Get(rocksdb::ReadOptions(), family->handle, slice(key), &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) read_failed(status);
    if (family->values) {
      if (auto pointer = ValuePointer::decode(value)) {
        std::string batch;
        if (!read_value(*family, *pointer, key, batch)) return std::nullopt;
        return batch;
      }
    }
    return value;
  }

  void scan(std::string_view begin, std::string_view end, const Visitor& visit) const override {
    if (batches_in_default_) {
      scan_family(default_family_, begin, end, visit);
      return;
    }
    // In key order: the default family below the batches, the partitions'
    // families (their prefixes are disjoint and sorted), the default family above.
    const std::string space_begin = keys::batch_space_begin();
    const std::string space_end = keys::batch_space_end();
    if (begin < space_begin &&
        !scan_family(default_family_, begin, std::min<std::string_view>(end, space_begin), visit)) {
      return;
    }
    for (auto it = first_family_from(begin); it != families_.end() && std::string_view(it->first) < end; ++it) {
      const std::string after = keys::after_prefix(it->first);
      if (!scan_family(it->second, std::max<std::string_view>(begin, it->first), std::min<std::string_view>(end, after),
                       visit)) {
        return;
      }
    }
    if (end > space_end) scan_family(default_family_, std::max<std::string_view>(begin, space_end), end, visit);
  }

  void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                       const ValueVisitor& visit) const override {
    // A partition's batches (the log's read): one family.
    if (std::string_view prefix = batch_prefix(begin); !prefix.empty() && end <= keys::after_prefix(std::string(prefix))) {
      auto it = families_.find(prefix);
      if (it != families_.end()) scan_family_from_floor(it->second, begin, key, end, visit);
      return;
    }
    // A reader's default family iterates backward (it has no in-place
    // updates); the broker's cannot, and no caller but the log's reads so.
    if (read_only_ && (batches_in_default_ || end <= keys::batch_space_begin() || begin >= keys::batch_space_end())) {
      scan_family_from_floor(default_family_, begin, key, end, visit);
      return;
    }
    // A range across families, or in the default family (no caller reads
    // so): find the floor by a forward scan.
    std::optional<std::string> floor;
    scan(begin, std::string(key) + '\0', [&floor](std::string_view k, std::string_view) {
      floor = std::string(k);
      return true;
    });
    scan(floor ? *floor : std::string(key), end,
         [&visit](std::string_view k, std::string_view value) { return visit(k, InlineValue(value)); });
  }

  WriteResult sync() override {
    // The value files first: a key the WAL makes durable points at bytes already so.
    for (auto& [prefix, family] : families_) {
      if (auto failed = family.values->sync()) return WriteError{*failed};
    }
    auto status = db_->FlushWAL(/*sync=*/true);
    if (!status.ok()) return WriteError{"RocksDB sync failed: " + status.ToString()};
    return std::nullopt;
  }

 private:
  WriteResult write_batch(const WriteBatch& batch) {
    if (!live_) {
      return WriteError{"the data directory is read-only, or in a storage format this kafkalite does not write"};
    }
    rocksdb::WriteBatch wb;
    std::set<std::string, std::less<>> emptied;  // families the batch removes whole
    LiveChanges changes;
    for (const auto& op : batch.ops()) {
      switch (op.kind) {
        case WriteBatch::Kind::kPut: {
          std::string_view prefix = batch_prefix(op.key);
          if (prefix.empty()) {
            wb.Put(default_, op.key, op.value);
            break;
          }
          Family* family = nullptr;
          auto made = family_of(prefix, family);
          if (!made.ok()) return WriteError{"RocksDB could not make a column family: " + made.ToString()};
          if (auto it = emptied.find(prefix); it != emptied.end()) emptied.erase(it);
          if (auto failed = put_batch(wb, *family, prefix, op.key, op.value, changes)) return WriteError{*failed};
          break;
        }
        case WriteBatch::Kind::kDelete: {
          std::string_view prefix = batch_prefix(op.key);
          if (prefix.empty()) {
            wb.Delete(default_, op.key);
          } else if (auto it = families_.find(prefix); it != families_.end()) {
            if (auto old = pointer_of(it->second, prefix, op.key, changes)) changes.release(prefix, *old);
            changes.pointers[op.key] = std::nullopt;
            wb.Delete(it->second.handle, op.key);
          }
          break;
        }
        case WriteBatch::Kind::kDeleteRange:
          remove_range(wb, op.key, op.value, emptied, changes);
          break;
      }
    }
    const auto dead = stage_live_counts(wb, changes);
    auto status = db_->Write(rocksdb::WriteOptions(), &wb);
    if (!status.ok()) return WriteError{"RocksDB write failed: " + status.ToString()};
    // A partition cleared whole and written again in the same batch: its
    // earlier files are dead but for those written again.
    std::vector<std::pair<std::string, uint64_t>> unlinks = dead;
    for (const auto& [prefix, files] : changes.cleared) {
      live_counts_.erase(live_counts_.lower_bound(prefix), live_counts_.lower_bound(keys::after_prefix(prefix)));
      auto it = families_.find(prefix);
      if (emptied.contains(prefix) || it == families_.end()) continue;
      for (uint64_t file : files) {
        if (file != it->second.values->newest() && !changes.counts.contains(keys::live_batches(prefix, file))) {
          unlinks.emplace_back(prefix, file);
        }
      }
    }
    for (auto& [key, live] : changes.counts) live_counts_[key] = live;
    for (const auto& [prefix, file] : dead) live_counts_.erase(keys::live_batches(prefix, file));
    // Files no key points into any more, and the families the range deletes
    // emptied, can go, once the write that released them is synced: a crash
    // of the OS must not keep keys whose files are gone.
    if ((!unlinks.empty() || !emptied.empty()) && !db_->FlushWAL(/*sync=*/true).ok()) {
      spdlog::warn("RocksDB: the WAL could not be synced; value files no key points into are kept until a restart");
      return std::nullopt;
    }
    for (const auto& [prefix, file] : unlinks) {
      if (auto it = families_.find(prefix); it != families_.end()) it->second.values->remove(file);
    }
    for (const auto& prefix : emptied) drop_family(prefix);
    return std::nullopt;
  }

  // A column family and, for a partition's, its value files.
  struct Family {
    Family() = default;
    Family(rocksdb::ColumnFamilyHandle* h, std::unique_ptr<ValueFiles> v, std::optional<std::string> last = {})
        : handle(h), values(std::move(v)), last_key(std::move(last)) {}
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    std::unique_ptr<ValueFiles> values;  // null for the default family
    std::optional<std::string> last_key = std::nullopt;  // at least the largest key, once looked up
    mutable uint64_t used = 0;  // when its value files were last used (descriptors are closed least-used first)
  };
  using Families = std::map<std::string, Family, std::less<>>;

  // What a write changes in the value files' live counts, as its operations go.
  struct LiveChanges {
    std::map<std::string, std::pair<int64_t, int64_t>> deltas;  // live key -> batches, bytes
    // Partitions whose counts a range delete removed, with their files then.
    std::map<std::string, std::vector<uint64_t>, std::less<>> cleared;
    std::map<std::string, std::optional<ValuePointer>, std::less<>> pointers;  // batch keys written so far
    std::map<std::string, LiveValues> counts;  // the counts after the write, once staged

    void add(std::string_view prefix, uint64_t file, int64_t batches, int64_t bytes) {
      auto& delta = deltas[keys::live_batches(prefix, file)];
      delta.first += batches;
      delta.second += bytes;
    }
    void release(std::string_view prefix, const ValuePointer& p) { add(prefix, p.file, -1, -int64_t{p.length}); }
  };

  std::unique_ptr<ValueFiles> value_files(std::string_view prefix) const {
    return std::make_unique<ValueFiles>(batch_dir_ / family_name(prefix), read_only_);
  }

  // The partition prefix of a batch key kept in a family of its own.
  std::string_view batch_prefix(std::string_view key) const {
    return batches_in_default_ ? std::string_view() : keys::batch_partition_prefix(key);
  }

  // The family that holds `key`, or nullptr for a batch key of a partition with none.
  const Family* family_holding(std::string_view key) const {
    std::string_view prefix = batch_prefix(key);
    if (prefix.empty()) return &default_family_;
    auto it = families_.find(prefix);
    return it == families_.end() ? nullptr : &it->second;
  }

  // The first family whose keys may lie at or after `begin`.
  Families::const_iterator first_family_from(std::string_view begin) const {
    return families_.lower_bound(begin.substr(0, std::min(begin.size(), keys::kBatchPartitionPrefixSize)));
  }

  // The partition's family in `family`, made when it has none.
  rocksdb::Status family_of(std::string_view prefix, Family*& family) {
    if (auto it = families_.find(prefix); it != families_.end()) {
      family = &it->second;
      return rocksdb::Status::OK();
    }
    rocksdb::ColumnFamilyHandle* handle = nullptr;
    auto status = db_->CreateColumnFamily(family_options_, family_name(prefix), &handle);
    if (status.ok()) {
      // A new family has no key yet.
      family = &families_.emplace(std::string(prefix), Family{handle, value_files(prefix), std::string()}).first->second;
    }
    return status;
  }

  void drop_family(const std::string& prefix) {
    auto it = families_.find(prefix);
    if (it == families_.end()) return;
    // A family that cannot be dropped is only space: its keys are deleted.
    if (auto status = db_->DropColumnFamily(it->second.handle); !status.ok()) {
      spdlog::warn("RocksDB: column family {} kept: {}", family_name(prefix), status.ToString());
    }
    db_->DestroyColumnFamilyHandle(it->second.handle);
    sync_before_flush_->forget(prefix);
    it->second.values->remove_all();
    open_descriptors_.erase(&it->second);
    live_counts_.erase(live_counts_.lower_bound(prefix), live_counts_.lower_bound(keys::after_prefix(prefix)));
    families_.erase(it);
  }

  // Writes `value` to the family's value files and its pointer under `key`.
  std::optional<std::string> put_batch(rocksdb::WriteBatch& wb, Family& family, std::string_view prefix,
                                       const std::string& key, std::string_view value, LiveChanges& changes) {
    if (auto old = pointer_of(family, prefix, key, changes)) changes.release(prefix, *old);
    const uint64_t newest = family.values->newest();
    auto appended = family.values->append(value);
    used(family);
    if (auto* reason = std::get_if<std::string>(&appended)) return *reason;
    const ValuePointer pointer = std::get<ValuePointer>(appended);
    // The file appends left, deleted if nothing in it is live.
    if (newest != 0 && newest != pointer.file) changes.add(prefix, newest, 0, 0);
    changes.add(prefix, pointer.file, 1, pointer.length);
    changes.pointers[key] = pointer;
    if (pointer.file != newest) note_newest(prefix, family);
    if (family.last_key && key > *family.last_key) family.last_key = key;
    wb.Put(family.handle, key, pointer.encode());
    return std::nullopt;
  }

  // The value file pointer stored under a batch key before this operation, if any.
  std::optional<ValuePointer> pointer_of(Family& family, std::string_view prefix, const std::string& key,
                                         const LiveChanges& changes) {
    if (auto it = changes.pointers.find(key); it != changes.pointers.end()) return it->second;
    if (changes.cleared.contains(prefix)) return std::nullopt;
    // Batch keys only grow: a key past the last needs no lookup.
    if (!family.last_key) {
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(scan_options(), family.handle));
      it->SeekToLast();
      if (!it->status().ok()) read_failed(it->status());
      family.last_key = it->Valid() ? std::string(view(it->key())) : std::string();
    }
    if (key > *family.last_key) return std::nullopt;
    std::string value;
    auto status = db_->Get(rocksdb::ReadOptions(), family.handle, slice(key), &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) read_failed(status);
    return ValuePointer::decode(value);
  }

  LiveValues live_count(const std::string& key) const {
    if (auto it = live_counts_.find(key); it != live_counts_.end()) return it->second;
    std::string value;
    auto status = db_->Get(rocksdb::ReadOptions(), live_, slice(key), &value);
    if (status.IsNotFound()) return {};
    if (!status.ok()) read_failed(status);
    return LiveValues::decode(value);
  }

  // Adds the new live counts to `wb`; returns the files that are dead once it is written.
  std::vector<std::pair<std::string, uint64_t>> stage_live_counts(rocksdb::WriteBatch& wb, LiveChanges& changes) const {
    std::vector<std::pair<std::string, uint64_t>> dead;
    for (const auto& [key, delta] : changes.deltas) {
      const std::string prefix = key.substr(0, keys::kBatchPartitionPrefixSize);
      const uint64_t file = keys::live_batches_file(key);
      LiveValues live = changes.cleared.contains(prefix) ? LiveValues{} : live_count(key);
      live.count += delta.first;
      live.bytes += delta.second;
      auto family = families_.find(prefix);
      if (live.count <= 0 && (family == families_.end() || family->second.values->newest() != file)) {
        wb.Delete(live_, key);
        dead.emplace_back(prefix, file);
      } else {
        wb.Put(live_, key, live.encode());
        changes.counts[key] = live;
      }
    }
    return dead;
  }

  void remove_range(rocksdb::WriteBatch& wb, std::string_view begin, std::string_view end,
                    std::set<std::string, std::less<>>& emptied, LiveChanges& changes) {
    // The default family holds no batch key (unless it holds them all).
    if (batches_in_default_ || begin < keys::batch_space_begin() || end > keys::batch_space_end()) {
      wb.DeleteRange(default_, slice(begin), slice(end));
    }
    if (batches_in_default_) return;
    for (auto it = first_family_from(begin); it != families_.end() && std::string_view(it->first) < end; ++it) {
      const std::string& prefix = it->first;
      const std::string after = keys::after_prefix(prefix);
      const std::string_view from = std::max<std::string_view>(begin, prefix);
      const std::string_view to = std::min<std::string_view>(end, after);
      wb.DeleteRange(it->second.handle, slice(from), slice(to));
      if (from == prefix && to == after) {
        // The whole partition: its counts go with it (its files, once written).
        emptied.insert(prefix);
        changes.cleared.try_emplace(prefix, it->second.values->files());
        wb.DeleteRange(live_, slice(prefix), slice(after));
        std::erase_if(changes.deltas, [&](const auto& d) { return d.first.starts_with(prefix); });
        std::erase_if(changes.pointers, [&](const auto& p) { return p.first.starts_with(prefix); });
        continue;
      }
      // Part of it: each batch in the range is released.
      std::set<std::string, std::less<>> seen;
      for (auto p = changes.pointers.lower_bound(from); p != changes.pointers.end() && p->first < to; ++p) {
        if (p->second) changes.release(prefix, *p->second);
        p->second = std::nullopt;
        seen.insert(p->first);
      }
      if (changes.cleared.contains(prefix)) continue;
      scan_raw(it->second.handle, from, to, [&](std::string_view key, std::string_view value) {
        if (seen.contains(key)) return true;
        if (auto p = ValuePointer::decode(value)) changes.release(prefix, *p);
        changes.pointers[std::string(key)] = std::nullopt;  // released once
        return true;
      });
    }
  }

  void used(const Family& family) const {
    family.used = ++uses_;
    if (!family.values->holds_descriptors()) return;
    open_descriptors_.insert(&family);
    if (open_descriptors_.size() <= kOpenValueFamilies) return;
    auto least = std::min_element(open_descriptors_.begin(), open_descriptors_.end(),
                                  [](const Family* a, const Family* b) { return a->used < b->used; });
    (*least)->values->close_descriptors();
    open_descriptors_.erase(least);
  }

  // The batch `pointer` names, into `buffer`; a batch that is not there fails
  // the store. A reader beside the broker (read-only) finds no batch there
  // instead (false): the broker deleted it since the reader's view was taken.
  bool read_value(const Family& family, const ValuePointer& pointer, std::string_view key, std::string& buffer) const {
    buffer.resize(pointer.length);
    return read_value(family, pointer, key, pointer.length, reinterpret_cast<uint8_t*>(buffer.data()));
  }
  // The first `n` bytes of the batch `pointer` names, into `into` (as above).
  bool read_value(const Family& family, const ValuePointer& pointer, std::string_view key, size_t n,
                  uint8_t* into) const {
    const bool found = family.values->read(pointer, n, into);
    used(family);
    if (!found && read_only_) return false;
    if (!found) {
      read_failed("record batch " + text::to_hex(text::bytes_of(key)) + " is missing from " +
                  family.values->dir().string() + " (file " + std::to_string(pointer.file) + ", byte " +
                  std::to_string(pointer.offset) + ")");
    }
    return true;
  }

  // Visits [begin, end) of one family as stored (pointers unresolved).
  void scan_raw(rocksdb::ColumnFamilyHandle* handle, std::string_view begin, std::string_view end,
                const Visitor& visit) const {
    scan_family(Family(handle, nullptr), begin, end, visit);
  }

  // A batch in a value file, read only as far as the visitor asks.
  class FileValue final : public StoredValue {
   public:
    FileValue(const RocksDbStore& store, const Family& family, ValuePointer pointer, std::string_view key)
        : store_(store), family_(family), pointer_(pointer), key_(key) {}
    size_t size() const override { return pointer_.length; }
    bool read(size_t n, uint8_t* into) const override {
      return store_.read_value(family_, pointer_, key_, std::min<size_t>(n, pointer_.length), into);
    }
    std::optional<std::string_view> whole(std::string& buffer) const override {
      if (!store_.read_value(family_, pointer_, key_, buffer)) return std::nullopt;
      return buffer;
    }
    std::optional<wire::FileBytes> file_bytes(size_t n) const override {
      auto bytes = family_.values->file_bytes(pointer_, n);
      store_.used(family_);
      return bytes;
    }

   private:
    const RocksDbStore& store_;
    const Family& family_;
    ValuePointer pointer_;
    std::string_view key_;
  };

  // Visits the iterator's keys from where it stands, a batch in a value file
  // read as far as the visitor asks; false when the visitor stopped.
  bool visit_values_from(const Family& family, rocksdb::Iterator& it, const ValueVisitor& visit) const {
    for (; it.Valid(); it.Next()) {
      const std::string_view key = view(it.key());
      const std::string_view value = view(it.value());
      const auto pointer = family.values ? ValuePointer::decode(value) : std::nullopt;
      const bool more = pointer ? visit(key, FileValue(*this, family, *pointer, key)) : visit(key, InlineValue(value));
      if (!more) return false;
    }
    if (!it.status().ok()) read_failed(it.status());
    return true;
  }

  // As visit_values_from, each value whole (a batch gone from under a reader beside the broker is passed over).
  bool visit_from(const Family& family, rocksdb::Iterator& it, const Visitor& visit) const {
    std::string buffer;
    return visit_values_from(family, it, [&](std::string_view key, const StoredValue& value) {
      const auto bytes = value.whole(buffer);
      return !bytes || visit(key, *bytes);
    });
  }

  // Visits [begin, end) of one family; false when the visitor stopped.
  bool scan_family(const Family& family, std::string_view begin, std::string_view end, const Visitor& visit) const {
    if (begin >= end) return true;
    auto options = scan_options();
    const rocksdb::Slice upper = slice(end);
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family.handle));
    it->Seek(slice(begin));
    return visit_from(family, *it, visit);
  }

  void scan_family_from_floor(const Family& family, std::string_view begin, std::string_view key,
                              std::string_view end, const ValueVisitor& visit) const {
    const rocksdb::Slice upper = slice(end);
    auto options = scan_options();
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family.handle));
    it->SeekForPrev(slice(key));
    if (!it->Valid() || view(it->key()) < begin) it->Seek(slice(key));
    visit_values_from(family, *it, visit);
  }

  // True when the family has no key in [begin, end).
  bool empty(rocksdb::ColumnFamilyHandle* handle, std::string_view begin, std::string_view end) const {
    bool none = true;
    scan_raw(handle, begin, end, [&none](auto, auto) { return none = false; });
    return none;
  }

  bool any_batch_in_default() const {
    return !empty(default_, keys::batch_space_begin(), keys::batch_space_end());
  }

  // A data directory of an earlier kafkalite keeps every batch in the
  // default family: they move to their partitions' families once, at start-up,
  // in writes of about 64 MB (copies first, so a crash in between only copies
  // again), then leave the default family in one range delete. They stay
  // whole there (a value that is no pointer is a batch).
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
    scan_raw(default_, keys::batch_space_begin(), keys::batch_space_end(),
             [&](std::string_view key, std::string_view value) {
               std::string_view prefix = keys::batch_partition_prefix(key);
               if (prefix.empty()) return true;
               Family* family = nullptr;
               if (auto status = family_of(prefix, family); !status.ok()) {
                 throw std::runtime_error("cannot make a column family: " + status.ToString());
               }
               family->last_key.reset();
               wb.Put(family->handle, slice(key), slice(value));
               ++moved;
               if (wb.GetDataSize() >= (64u << 20)) write();
               return true;
             });
    wb.DeleteRange(default_, keys::batch_space_begin(), keys::batch_space_end());
    write();
    spdlog::info("Moved {} record batches into {} column families", moved, families_.size());
  }

  // Families left empty (a crash between a topic's deletion and the drop of
  // its families, or a log emptied by retention) go at start-up, with their
  // counts and value files.
  void drop_empty_families() {
    std::vector<std::string> emptied;
    rocksdb::WriteBatch wb;
    for (const auto& [prefix, family] : families_) {
      if (!empty(family.handle, prefix, keys::after_prefix(prefix))) continue;
      emptied.push_back(prefix);
      wb.DeleteRange(live_, slice(prefix), slice(keys::after_prefix(prefix)));
    }
    if (emptied.empty()) return;
    if (auto status = db_->Write(rocksdb::WriteOptions(), &wb); !status.ok()) {
      throw std::runtime_error("cannot drop empty column families: " + status.ToString());
    }
    for (const auto& prefix : emptied) drop_family(prefix);
  }

  // Value files no key points into (a crash between a write and the file's
  // deletion, or an append the crash kept from its key), and the folders of
  // partitions that are gone, go at start-up. The newest file of a
  // partition stays: appends continue there.
  void remove_dead_value_files() {
    for (auto& [prefix, family] : families_) {
      for (uint64_t file : family.values->files()) {
        if (file != family.values->newest() && live_count(keys::live_batches(prefix, file)).count <= 0) {
          family.values->remove(file);
        }
      }
    }
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(batch_dir_, ignored)) {
      const std::string prefix = family_prefix(entry.path().filename().string());
      if (prefix.empty() || !families_.contains(prefix)) std::filesystem::remove_all(entry.path(), ignored);
    }
  }

  // The newest value file of a partition is synced before each memtable flush.
  void note_newest(std::string_view prefix, const Family& family) {
    if (family.values->newest() != 0) sync_before_flush_->remember(prefix, family.values->path_of(family.values->newest()));
  }

  // Batches whose bytes a crash of the OS lost go at start-up: their keys
  // reached the disk in the WAL, the tail of the newest file they point into
  // did not (the older files, and every file before a memtable flush, are
  // synced). As Kafka's recovery cuts a segment's torn tail, they are left
  // out of the log, with an error naming them; their offsets are not used again.
  void remove_torn_tails() {
    for (const auto& [prefix, family] : families_) {
      rocksdb::WriteBatch wb;
      std::map<uint64_t, LiveValues> released;
      int64_t first = -1, last = -1, count = 0;
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(scan_options(), family.handle));
      for (it->SeekToLast(); it->Valid(); it->Prev()) {
        const auto pointer = ValuePointer::decode(view(it->value()));
        if (!pointer || family.values->holds(*pointer)) break;
        wb.Delete(family.handle, it->key());
        released[pointer->file].count += 1;
        released[pointer->file].bytes += pointer->length;
        first = keys::batch_base_offset(view(it->key()));
        if (last < 0) last = first;
        ++count;
      }
      if (!it->status().ok()) throw std::runtime_error("cannot read RocksDB: " + it->status().ToString());
      if (count == 0) continue;
      for (const auto& [file, gone] : released) {
        const std::string key = keys::live_batches(prefix, file);
        LiveValues live = live_count(key);
        live.count -= gone.count;
        live.bytes -= gone.bytes;
        wb.Put(live_, key, live.encode());
        live_counts_.erase(key);
      }
      if (auto status = db_->Write(rocksdb::WriteOptions(), &wb); !status.ok()) {
        throw std::runtime_error("cannot remove record batches a crash lost: " + status.ToString());
      }
      spdlog::error("Partition {} of topic id {}: {} record batches, base offsets {} to {}, were lost in a crash "
                    "of the operating system before their bytes reached {}; they are left out of the log",
                    keys::batch_prefix_partition(prefix), keys::topic_id_of(prefix).to_base64(), count, first, last,
                    family.values->dir().string());
    }
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
    read_failed("RocksDB read failed: " + status.ToString());
  }
  [[noreturn]] void read_failed(const std::string& reason) const {
    const_cast<RocksDbStore*>(this)->fail(Access::kReading, reason);
    throw ReadError(reason);
  }

  rocksdb::ColumnFamilyOptions family_options_;
  std::filesystem::path batch_dir_;  // the value files, a folder per partition
  bool read_only_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_ = nullptr;
  rocksdb::ColumnFamilyHandle* live_ = nullptr;  // the value files' live counts
  Family default_family_;  // default_, for scans
  Families families_;  // by partition prefix ('B' topic_id partition)
  std::vector<rocksdb::ColumnFamilyHandle*> others_;
  bool batches_in_default_ = false;
  mutable std::map<std::string, LiveValues> live_counts_;  // read or written so far
  std::shared_ptr<SyncBeforeFlush> sync_before_flush_ = std::make_shared<SyncBeforeFlush>();
  mutable std::set<const Family*> open_descriptors_;
  mutable uint64_t uses_ = 0;
};

}  // namespace

std::unique_ptr<KvStore> open_rocksdb_store(const std::string& path) {
  return std::make_unique<RocksDbStore>(path);
}

std::unique_ptr<KvStore> open_rocksdb_reader(const std::string& path, const std::string& scratch) {
  return std::make_unique<RocksDbStore>(path, scratch);
}

}  // namespace kafkalite::storage
