// The RocksDB engine. Writes go through the WAL without fsync, as Kafka
// writes to the page cache without fsync: acknowledged data survives a crash
// of the process; flush() (at shutdown) makes it survive a crash of the OS.
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "broker/storage/kv_store.h"

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

class RocksDbStore final : public KvStore {
 public:
  // `secondary`: open as a RocksDB secondary instance (its own folder for
  // its info files): read-only, safe while the broker has the directory open.
  explicit RocksDbStore(const std::string& path, const std::string& secondary = "") {
    rocksdb::Options options;
    options.create_if_missing = secondary.empty();
    // A secondary (kafkalite inspect) replays the WAL into memtables it
    // never flushes, and RocksDB warns of stalled writes it will never make:
    // only its errors are worth a line there.
    options.info_log = std::make_shared<SpdlogLogger>(secondary.empty() ? rocksdb::InfoLogLevel::WARN_LEVEL
                                                                        : rocksdb::InfoLogLevel::ERROR_LEVEL);
    // Small footprint: this is a single-node broker, often idle.
    options.max_background_jobs = 2;
    options.keep_log_file_num = 2;
    // Tuned for a log (see README.md, "Storage"): record batches are stored
    // as the client sent them, as Kafka does, so no compression (they are
    // often compressed already); SST blocks are checked with XXH3 rather
    // than Debian's table-driven CRC-32C.
    options.compression = rocksdb::kNoCompression;
    // A restart after kill -9 replays the WAL not yet flushed, into
    // memtables, without flushing them first (that flush cost 300 ms);
    // memtables of 32 MB rather than 64 halve what is replayed (restart
    // with 2 GB of log: 150-210 ms -> 100-120 ms to the first acknowledged
    // produce).
    options.avoid_flush_during_recovery = true;
    options.write_buffer_size = 32 << 20;

    rocksdb::BlockBasedTableOptions table;
    table.checksum = rocksdb::kXXH3;
    options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    rocksdb::DB* db = nullptr;
    if (!secondary.empty()) options.max_open_files = -1;  // required of secondaries
    auto status = secondary.empty() ? rocksdb::DB::Open(options, path, &db)
                                    : rocksdb::DB::OpenAsSecondary(options, path, secondary, &db);
    if (!status.ok()) throw std::runtime_error("cannot open RocksDB at " + path + ": " + status.ToString());
    db_.reset(db);
  }

  WriteResult write(const WriteBatch& batch) override {
    rocksdb::WriteBatch wb;
    for (const auto& op : batch.ops()) {
      switch (op.kind) {
        case WriteBatch::Kind::kPut:
          wb.Put(op.key, op.value);
          break;
        case WriteBatch::Kind::kDelete:
          wb.Delete(op.key);
          break;
        case WriteBatch::Kind::kDeleteRange:
          wb.DeleteRange(op.key, op.value);
          break;
      }
    }
    auto status = db_->Write(rocksdb::WriteOptions(), &wb);
    if (!status.ok()) return WriteError{"RocksDB write failed: " + status.ToString()};
    return std::nullopt;
  }

  std::optional<std::string> get(std::string_view key) const override {
    std::string value;
    auto status = db_->Get(rocksdb::ReadOptions(), slice(key), &value);
    if (status.IsNotFound()) return std::nullopt;
    if (!status.ok()) read_failed(status);
    return value;
  }

  void scan(std::string_view begin, std::string_view end, const Visitor& visit) const override {
    auto options = scan_options();
    const rocksdb::Slice upper = slice(end);
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options));
    for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
      if (!visit(view(it->key()), view(it->value()))) return;
    }
    if (!it->status().ok()) read_failed(it->status());
  }

  void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                       const Visitor& visit) const override {
    const rocksdb::Slice upper = slice(end);
    auto options = scan_options();
    options.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options));
    it->SeekForPrev(slice(key));
    if (!it->Valid() || view(it->key()) < begin) it->Seek(slice(key));
    for (; it->Valid(); it->Next()) {
      if (!visit(view(it->key()), view(it->value()))) return;
    }
    if (!it->status().ok()) read_failed(it->status());
  }

  WriteResult sync() override {
    auto status = db_->FlushWAL(/*sync=*/true);
    if (!status.ok()) return WriteError{"RocksDB sync failed: " + status.ToString()};
    return std::nullopt;
  }

 private:
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

  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace

std::unique_ptr<KvStore> open_rocksdb_store(const std::string& path) {
  return std::make_unique<RocksDbStore>(path);
}

std::unique_ptr<KvStore> open_rocksdb_reader(const std::string& path, const std::string& scratch) {
  return std::make_unique<RocksDbStore>(path, scratch);
}

}  // namespace kafkalite::storage
