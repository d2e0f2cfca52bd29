// The RocksDB engine keeps each partition's record batch keys in a column
// family of its own and the batches in its value files, behind the same
// KvStore contract: reads across families come back in key order, a topic's
// deletion drops its families and files, a value file goes once no key points
// into it, and a data directory of an earlier kafkalite (every batch in the
// default family, stored whole) is moved once at start-up.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/storage/keys.h"
#include "broker/storage/kv_store.h"
#include "broker/storage/value_files.h"
#include "common/text.h"

namespace kafkalite::storage {
namespace {

using Keys = std::vector<std::string>;

wire::Uuid topic_id(uint8_t first) {
  wire::Uuid id;
  id.bytes[0] = first;
  id.bytes[15] = 0xff;  // a prefix ending in 0xff bytes still bounds right
  return id;
}

class RocksDbStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = std::filesystem::temp_directory_path() / ("kafkalite-rocksdb-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void open() { store_ = open_rocksdb_store(dir_.string()); }
  void reopen() {
    store_.reset();
    open();
  }
  void put(const std::vector<std::string>& keys) {
    WriteBatch batch;
    for (const auto& key : keys) batch.put(key, "value of " + key);
    ASSERT_FALSE(store_->apply(batch));
  }
  Keys scan(const KvStore& store, std::string_view begin, std::string_view end) {
    Keys seen;
    store.scan(begin, end, [&](std::string_view k, std::string_view v) {
      EXPECT_EQ(v, "value of " + std::string(k));
      seen.emplace_back(k);
      return true;
    });
    return seen;
  }
  Keys scan(std::string_view begin, std::string_view end) { return scan(*store_, begin, end); }
  Keys families() {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir_.string(), &names).ok());
    std::erase(names, rocksdb::kDefaultColumnFamilyName);
    std::erase(names, "live-batches");  // the value files' counts
    std::sort(names.begin(), names.end());
    return names;
  }

  std::filesystem::path dir_;
  std::unique_ptr<KvStore> store_;
  const wire::Uuid t1_ = topic_id(1);
  const wire::Uuid t2_ = topic_id(2);
};

TEST_F(RocksDbStoreTest, EachPartitionsBatchesHaveAFamilyAndReadsKeepKeyOrder) {
  open();
  const Keys all = {"A1",
                    keys::batch(t1_, 0, 0),
                    keys::batch(t1_, 0, 7),
                    keys::batch(t1_, 1, 3),
                    keys::batch(t2_, 0, 5),
                    keys::partition_state(t1_, 0),
                    keys::partition_state(t2_, 0),
                    "Z"};
  // Written out of order, in two writes.
  put({all[7], all[4], all[1], all[5]});
  put({all[3], all[0], all[6], all[2]});
  EXPECT_EQ(families().size(), 3u);  // t1 partitions 0 and 1, t2 partition 0
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(scan("", "\xff"), all);
    EXPECT_EQ(scan(keys::topic_begin('B', t1_), keys::topic_end('B', t1_)), Keys(all.begin() + 1, all.begin() + 4));
    EXPECT_EQ(scan(keys::batch(t1_, 0, 5), keys::partition_state(t1_, 0)), Keys(all.begin() + 2, all.begin() + 5));
    EXPECT_EQ(store_->get(keys::batch(t1_, 1, 3)), "value of " + all[3]);
    EXPECT_EQ(store_->get(keys::batch(t1_, 2, 3)), std::nullopt);  // a partition with no family
    Keys read;
    store_->scan_from_floor(keys::batches_begin(t1_, 0), keys::batch(t1_, 0, 9), keys::batches_end(t1_, 0),
                            [&](std::string_view k, const StoredValue&) {
                              read.emplace_back(k);
                              return true;
                            });
    EXPECT_EQ(read, Keys{all[2]});
    reopen();  // and the same after a restart
  }
}

// Every partition's family holds a memtable of its own, each at least an
// arena block, and together they are held to the shared write buffer: past
// it writes wait for flushes. Many partitions written a little each must
// still free the buffer (RocksDB flushes one family per write that finds it
// full; with the writes waiting, that alone never freed enough: a
// kafkalite-bench run with about a hundred partitions hung for good).
TEST_F(RocksDbStoreTest, ManyPartitionsWrittenALittleEachDoNotStallWritesForGood) {
  open();
  for (int round = 0; round < 4; ++round) {
    for (int32_t partition = 0; partition < 100; ++partition) {
      WriteBatch batch;
      for (int64_t offset = 0; offset < 40; ++offset) {
        const std::string key = keys::batch(t1_, partition, round * 40 + offset);
        batch.put(key, "value of " + key);
      }
      ASSERT_FALSE(store_->apply(batch)) << "round " << round << ", partition " << partition;
    }
  }
  EXPECT_EQ(store_->get(keys::batch(t1_, 99, 159)), "value of " + keys::batch(t1_, 99, 159));
}

TEST_F(RocksDbStoreTest, AFloorScanAcrossFamiliesStillFindsTheFloor) {
  open();
  put({"A1", keys::batch(t1_, 0, 0), keys::batch(t1_, 1, 0), "C1"});
  Keys read;
  store_->scan_from_floor("A", keys::batch(t1_, 0, 4), "D", [&](std::string_view k, const StoredValue&) {
    read.emplace_back(k);
    return read.size() < 2;
  });
  EXPECT_EQ(read, (Keys{keys::batch(t1_, 0, 0), keys::batch(t1_, 1, 0)}));
}

TEST_F(RocksDbStoreTest, DeletingATopicDropsItsFamiliesOnly) {
  open();
  put({keys::batch(t1_, 0, 0), keys::batch(t1_, 1, 0), keys::batch(t2_, 0, 0), keys::partition_state(t1_, 0)});
  WriteBatch removal;
  removal.remove_range(keys::topic_begin('B', t1_), keys::topic_end('B', t1_));
  removal.remove_range(keys::topic_begin('P', t1_), keys::topic_end('P', t1_));
  ASSERT_FALSE(store_->apply(removal));
  EXPECT_EQ(scan("", "\xff"), Keys{keys::batch(t2_, 0, 0)});
  EXPECT_EQ(families().size(), 1u);
  reopen();
  EXPECT_EQ(scan("", "\xff"), Keys{keys::batch(t2_, 0, 0)});
  // Written again, the partition has a family again.
  put({keys::batch(t1_, 0, 9)});
  EXPECT_EQ(scan(keys::topic_begin('B', t1_), keys::topic_end('B', t1_)), Keys{keys::batch(t1_, 0, 9)});
}

TEST_F(RocksDbStoreTest, PartOfAPartitionRemovedKeepsItsFamily) {
  open();
  put({keys::batch(t1_, 0, 0), keys::batch(t1_, 0, 10), keys::batch(t1_, 0, 20)});
  WriteBatch removal;
  removal.remove_range(keys::batch(t1_, 0, 0), keys::batch(t1_, 0, 20));
  ASSERT_FALSE(store_->apply(removal));
  EXPECT_EQ(scan("", "\xff"), Keys{keys::batch(t1_, 0, 20)});
  EXPECT_EQ(families().size(), 1u);
}

TEST_F(RocksDbStoreTest, AWriteAfterARemovalInOneBatchKeepsTheFamily) {
  open();
  put({keys::batch(t1_, 0, 0)});
  WriteBatch batch;
  batch.remove_range(keys::batches_begin(t1_, 0), keys::batches_end(t1_, 0));
  batch.put(keys::batch(t1_, 0, 5), "value of " + keys::batch(t1_, 0, 5));
  ASSERT_FALSE(store_->apply(batch));
  EXPECT_EQ(scan("", "\xff"), Keys{keys::batch(t1_, 0, 5)});
  reopen();
  EXPECT_EQ(scan("", "\xff"), Keys{keys::batch(t1_, 0, 5)});
}

TEST_F(RocksDbStoreTest, EmptiedFamiliesGoAtStartUp) {
  open();
  put({keys::batch(t1_, 0, 0), keys::batch(t2_, 0, 0)});
  WriteBatch batch;
  batch.remove(keys::batch(t1_, 0, 0));
  batch.remove(keys::batch(t1_, 3, 0));  // a partition with no family: nothing to do
  ASSERT_FALSE(store_->apply(batch));
  EXPECT_EQ(families().size(), 2u);
  reopen();
  EXPECT_EQ(families().size(), 1u);
  EXPECT_EQ(scan("", "\xff"), Keys{keys::batch(t2_, 0, 0)});
}

// An earlier kafkalite kept every key, batches too, in the default family.
void write_earlier_layout(const std::string& dir, const Keys& keys) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  for (const auto& key : keys) ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, "value of " + key).ok());
}

TEST_F(RocksDbStoreTest, BatchesOfAnEarlierLayoutMoveToTheirFamiliesOnce) {
  const Keys all = {"A1", keys::batch(t1_, 0, 0), keys::batch(t1_, 0, 4), keys::batch(t2_, 1, 0), "M1"};
  write_earlier_layout(dir_.string(), all);
  // A reader beside the earlier broker reads the batches where they are.
  const auto scratch = dir_.string() + "-scratch";
  EXPECT_EQ(scan(*open_rocksdb_reader(dir_.string(), scratch), "", "\xff"), all);
  open();
  EXPECT_EQ(families().size(), 2u);
  EXPECT_EQ(scan("", "\xff"), all);
  reopen();
  EXPECT_EQ(scan("", "\xff"), all);
  store_.reset();
  // Nothing is left in the default family but what belongs there.
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir_.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir_.string(), descriptors, &handles, &raw).ok());
  Keys in_default;
  {
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[0]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) in_default.push_back(it->key().ToString());
  }
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  EXPECT_EQ(in_default, (Keys{"A1", "M1"}));
  std::filesystem::remove_all(scratch);
}

TEST_F(RocksDbStoreTest, AReaderBesideTheBrokerSeesEveryFamily) {
  open();
  const Keys all = {keys::batch(t1_, 0, 0), keys::batch(t2_, 0, 0), keys::partition_state(t1_, 0)};
  put(all);
  const auto scratch = dir_.string() + "-scratch";
  auto reader = open_rocksdb_reader(dir_.string(), scratch);
  EXPECT_EQ(scan(*reader, "", "\xff"), all);
  WriteBatch write;
  write.put("M", "x");
  EXPECT_TRUE(reader->apply(write));  // read-only
  reader.reset();
  std::filesystem::remove_all(scratch);
}


// What RocksDB holds under each key of a family, read with RocksDB itself.
std::map<std::string, std::string> raw_family(const std::string& dir, const std::string& family) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, descriptors, &handles, &raw).ok());
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] != family) continue;
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(rocksdb::ReadOptions(), handles[i]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out[it->key().ToString()] = it->value().ToString();
  }
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return out;
}

class ValueFilesTest : public RocksDbStoreTest {
 protected:
  // The partition's value files by number, with their sizes.
  std::map<uint64_t, uintmax_t> files_of(const wire::Uuid& topic, int32_t partition) {
    std::map<uint64_t, uintmax_t> out;
    std::error_code ignored;
    for (const auto& e : std::filesystem::directory_iterator(folder_of(topic, partition), ignored)) {
      out[std::stoull(e.path().stem().string(), nullptr, 16)] = e.file_size();
    }
    return out;
  }
  std::filesystem::path folder_of(const wire::Uuid& topic, int32_t partition) {
    return dir_ / "batches" / family_of(topic, partition);
  }
  static std::string family_of(const wire::Uuid& topic, int32_t partition) {
    const std::string prefix(keys::batch_partition_prefix(keys::batch(topic, partition, 0)));
    return "B" + text::to_hex(text::bytes_of(prefix.substr(1)));
  }
  std::filesystem::path path_of(const wire::Uuid& topic, int32_t partition, uint64_t file) {
    return ValueFiles(folder_of(topic, partition), /*read_only=*/true).path_of(file);
  }
  void put_value(const std::string& key, const std::string& value) {
    WriteBatch batch;
    batch.put(key, value);
    ASSERT_FALSE(store_->apply(batch));
  }
  void remove(const std::string& key) {
    WriteBatch batch;
    batch.remove(key);
    ASSERT_FALSE(store_->apply(batch));
  }
  // Big enough that two fill a value file.
  static std::string big(char c) { return std::string(ValueFiles::kFileBytes / 2 - 100, c); }
};

TEST_F(ValueFilesTest, BatchesAreWrittenOnceToValueFilesAndRocksDbKeepsPointers) {
  open();
  std::string a(1000, 'a'), b(3000, 'b');
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<char>('a' + i % 26);  // a read from the wrong byte shows
  put_value(keys::batch(t1_, 0, 0), a);
  put_value(keys::batch(t1_, 0, 7), b);
  put_value(keys::partition_state(t1_, 0), "state");
  ASSERT_EQ(files_of(t1_, 0).size(), 1u);
  const uint64_t file = files_of(t1_, 0).begin()->first;
  EXPECT_EQ(files_of(t1_, 0).begin()->second, 4000u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(store_->get(keys::batch(t1_, 0, 7)), b);
    std::vector<std::string> values, prefixes;
    std::vector<size_t> sizes;
    store_->scan_from_floor(keys::batches_begin(t1_, 0), keys::batch(t1_, 0, 3), keys::batches_end(t1_, 0),
                            [&](std::string_view, const StoredValue& v) {
                              std::string buffer;
                              values.emplace_back(v.whole(buffer).value_or("gone"));
                              sizes.push_back(v.size());
                              // A read of the first bytes only (a fetch whose slice cuts the batch).
                              std::vector<uint8_t> prefix{'>'};
                              EXPECT_TRUE(v.append_to(prefix, 70));
                              prefixes.emplace_back(prefix.begin(), prefix.end());
                              // The same bytes, left in the file to be sent from it.
                              const auto sent_from = v.file_bytes(70);
                              EXPECT_TRUE(sent_from && sent_from->length == 70);
                              if (sent_from) {
                                std::vector<uint8_t> sent(70);
                                EXPECT_TRUE(sent_from->read_into(sent.data()));
                                EXPECT_EQ(std::string(sent.begin(), sent.end()), prefixes.back().substr(1));
                              }
                              return true;
                            });
    EXPECT_EQ(values, (std::vector<std::string>{a, b}));
    EXPECT_EQ(sizes, (std::vector<size_t>{a.size(), b.size()}));
    EXPECT_EQ(prefixes, (std::vector<std::string>{">" + a.substr(0, 70), ">" + b.substr(0, 70)}));
    reopen();
  }
  store_.reset();
  const auto stored = raw_family(dir_.string(), family_of(t1_, 0));
  ASSERT_EQ(stored.size(), 2u);
  const auto pointer = ValuePointer::decode(stored.at(keys::batch(t1_, 0, 7)));
  ASSERT_TRUE(pointer);
  EXPECT_EQ(pointer->file, file);
  EXPECT_EQ(pointer->offset, 1000u);
  EXPECT_EQ(pointer->length, 3000u);
  // The counts: two live batches of 4000 bytes in file 1.
  const auto live = raw_family(dir_.string(), "live-batches");
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(LiveValues::decode(live.begin()->second).count, 2);
  EXPECT_EQ(LiveValues::decode(live.begin()->second).bytes, 4000);
}

TEST_F(ValueFilesTest, AFileGoesOnceNoKeyPointsIntoItButNeverTheNewest) {
  open();
  put_value(keys::batch(t1_, 0, 0), big('a'));
  put_value(keys::batch(t1_, 0, 1), big('b'));
  put_value(keys::batch(t1_, 0, 2), big('c'));  // past the size: a second file
  EXPECT_EQ(files_of(t1_, 0).size(), 2u);
  remove(keys::batch(t1_, 0, 0));
  EXPECT_EQ(files_of(t1_, 0).size(), 2u);  // file 1 still holds b
  remove(keys::batch(t1_, 0, 1));
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
  EXPECT_EQ(files_of(t1_, 0).begin()->second, big('c').size());
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 2)), big('c'));
  remove(keys::batch(t1_, 0, 2));
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);  // the newest stays: appends go there
  put_value(keys::batch(t1_, 0, 3), "d");
  reopen();
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 3)), "d");
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
}

TEST_F(ValueFilesTest, ABatchRewrittenInPlaceMovesItsCount) {
  // As the log cleaner rewrites a batch: removed and put again in one write,
  // or put over.
  open();
  put_value(keys::batch(t1_, 0, 0), big('a'));
  put_value(keys::batch(t1_, 0, 5), big('b'));
  WriteBatch clean;
  clean.remove(keys::batch(t1_, 0, 0));
  clean.put(keys::batch(t1_, 0, 0), big('A'));  // into file 2
  ASSERT_FALSE(store_->apply(clean));
  EXPECT_EQ(files_of(t1_, 0).size(), 2u);  // b is still in file 1
  put_value(keys::batch(t1_, 0, 5), big('B'));  // put over, into file 2
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
  EXPECT_EQ(files_of(t1_, 0).begin()->second, 2 * big('A').size());
  reopen();
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 0)), big('A'));
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 5)), big('B'));
}

TEST_F(ValueFilesTest, ARangeRemovalReleasesWhatItCovers) {
  open();
  put_value(keys::batch(t1_, 0, 0), big('a'));
  put_value(keys::batch(t1_, 0, 1), big('b'));
  put_value(keys::batch(t1_, 0, 2), big('c'));
  WriteBatch removal;
  removal.remove_range(keys::batch(t1_, 0, 0), keys::batch(t1_, 0, 2));
  ASSERT_FALSE(store_->apply(removal));
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 2)), big('c'));
}

TEST_F(ValueFilesTest, DeletingATopicRemovesItsFiles) {
  open();
  put_value(keys::batch(t1_, 0, 0), "a");
  put_value(keys::batch(t2_, 0, 0), "b");
  WriteBatch removal;
  removal.remove_range(keys::topic_begin('B', t1_), keys::topic_end('B', t1_));
  ASSERT_FALSE(store_->apply(removal));
  EXPECT_FALSE(std::filesystem::exists(folder_of(t1_, 0)));
  EXPECT_TRUE(std::filesystem::exists(folder_of(t2_, 0)));
  store_.reset();
  EXPECT_EQ(raw_family(dir_.string(), "live-batches").size(), 1u);  // t2's only
}

TEST_F(ValueFilesTest, FilesNoKeyPointsIntoGoAtStartUp) {
  // A crash between a write and a file's deletion, or a partition's.
  open();
  put_value(keys::batch(t1_, 0, 0), "a");
  store_.reset();
  const auto folder = folder_of(t1_, 0);
  const uint64_t file = files_of(t1_, 0).begin()->first;
  std::filesystem::copy_file(path_of(t1_, 0, file), path_of(t1_, 0, file - 1));
  std::filesystem::create_directories(folder_of(t2_, 0));
  open();
  EXPECT_EQ(files_of(t1_, 0), (std::map<uint64_t, uintmax_t>{{file, 1}}));
  EXPECT_FALSE(std::filesystem::exists(folder_of(t2_, 0)));
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 0)), "a");
}

TEST_F(ValueFilesTest, ATornTailIsLeftOutAtStartUp) {
  // A crash of the OS kept the WAL's last keys but not the bytes of the
  // newest file they point at.
  open();
  put_value(keys::batch(t1_, 0, 0), std::string(100, 'a'));
  put_value(keys::batch(t1_, 0, 1), std::string(100, 'b'));
  put_value(keys::batch(t1_, 0, 2), std::string(100, 'c'));
  store_.reset();
  const uint64_t file = files_of(t1_, 0).begin()->first;
  std::filesystem::resize_file(path_of(t1_, 0, file), 150);
  open();
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 0)), std::string(100, 'a'));
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 1)), std::nullopt);
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 2)), std::nullopt);
  EXPECT_FALSE(store_->failed());
  put_value(keys::batch(t1_, 0, 3), "d");  // appends go on after what is there
  reopen();
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 3)), "d");
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 0)), std::string(100, 'a'));
}

TEST_F(ValueFilesTest, ABatchMissingBeforeTheTailFailsTheStore) {
  open();
  put_value(keys::batch(t1_, 0, 0), big('a'));
  put_value(keys::batch(t1_, 0, 1), big('b'));
  put_value(keys::batch(t1_, 0, 2), big('c'));
  store_.reset();
  std::filesystem::remove(path_of(t1_, 0, files_of(t1_, 0).begin()->first));
  open();
  std::vector<Access> heard;
  store_->on_failure([&](Access access, const std::string&) { heard.push_back(access); });
  EXPECT_THROW(store_->get(keys::batch(t1_, 0, 0)), ReadError);
  EXPECT_TRUE(store_->failed());
  EXPECT_EQ(heard, std::vector<Access>{Access::kReading});  // the broker's log line says reading
  WriteBatch write;
  write.put(keys::batch(t1_, 0, 3), std::string("d"));
  EXPECT_TRUE(store_->apply(write));  // fail-stop
}

TEST_F(ValueFilesTest, PagesGoToWritebackAMegabyteAtATime) {
  ValueFiles files(dir_ / "direct", /*read_only=*/false);
  const std::string small(300 << 10, 's');
  std::vector<ValuePointer> pointers;
  for (int i = 0; i < 3; ++i) pointers.push_back(std::get<ValuePointer>(files.append(small)));
  EXPECT_EQ(files.writeback_begun(), 0u);  // 900 KiB: not yet
  pointers.push_back(std::get<ValuePointer>(files.append(small)));
  EXPECT_EQ(files.writeback_begun(), 4u * small.size());  // all 1200 KiB
  pointers.push_back(std::get<ValuePointer>(files.append(small)));
  EXPECT_EQ(files.writeback_begun(), 4u * small.size());
  // Reopened: what is there counts as handed over; appends go on from it.
  ValueFiles again(dir_ / "direct", /*read_only=*/false);
  pointers.push_back(std::get<ValuePointer>(again.append(std::string(ValueFiles::kWritebackBytes, 'b'))));
  EXPECT_EQ(again.writeback_begun(), 5u * small.size() + ValueFiles::kWritebackBytes);
  std::string read(small.size(), '\0');
  ASSERT_TRUE(again.read(pointers[4], small.size(), reinterpret_cast<uint8_t*>(read.data())));
  EXPECT_EQ(read, small);
  EXPECT_FALSE(again.sync());
}

TEST_F(ValueFilesTest, RangeAndPointRemovalsOfOneBatchReleaseEachBatchOnce) {
  open();
  put_value(keys::batch(t1_, 0, 0), "a");
  put_value(keys::batch(t1_, 0, 1), "b");
  put_value(keys::batch(t1_, 0, 5), "c");
  put_value(keys::batch(t1_, 0, 6), std::string(ValueFiles::kFileBytes - 100, 'd'));
  put_value(keys::batch(t1_, 0, 7), std::string(200, 'e'));  // into a second file
  ASSERT_EQ(files_of(t1_, 0).size(), 2u);
  WriteBatch removal;
  removal.remove_range(keys::batch(t1_, 0, 0), keys::batch(t1_, 0, 2));
  removal.remove(keys::batch(t1_, 0, 1));  // already removed by the range
  removal.remove(keys::batch(t1_, 0, 6));
  ASSERT_FALSE(store_->apply(removal));
  EXPECT_EQ(files_of(t1_, 0).size(), 2u);  // c is still in the first file
  reopen();
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 5)), "c");
  EXPECT_EQ(files_of(t1_, 0).size(), 2u);
  remove(keys::batch(t1_, 0, 5));
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
}

TEST_F(ValueFilesTest, APartitionClearedAndWrittenInOneBatchLosesItsOldFiles) {
  open();
  put_value(keys::batch(t1_, 0, 0), big('a'));
  put_value(keys::batch(t1_, 0, 1), big('b'));
  put_value(keys::batch(t1_, 0, 2), big('c'));
  ASSERT_EQ(files_of(t1_, 0).size(), 2u);
  WriteBatch batch;
  batch.remove_range(keys::batches_begin(t1_, 0), keys::batches_end(t1_, 0));
  batch.put(keys::batch(t1_, 0, 9), std::string("x"));
  ASSERT_FALSE(store_->apply(batch));
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
  reopen();
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 9)), "x");
  EXPECT_EQ(store_->get(keys::batch(t1_, 0, 2)), std::nullopt);
  remove(keys::batch(t1_, 0, 9));
  put_value(keys::batch(t1_, 0, 10), "y");
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
}

TEST_F(ValueFilesTest, APartitionsFilesAreNeverNumberedAgain) {
  // A reader beside the broker may hold pointers of an earlier folder.
  open();
  put_value(keys::batch(t1_, 0, 0), "a");
  const uint64_t before = files_of(t1_, 0).begin()->first;
  WriteBatch removal;
  removal.remove_range(keys::topic_begin('B', t1_), keys::topic_end('B', t1_));
  ASSERT_FALSE(store_->apply(removal));
  put_value(keys::batch(t1_, 0, 5), "b");
  ASSERT_EQ(files_of(t1_, 0).size(), 1u);
  EXPECT_GT(files_of(t1_, 0).begin()->first, before);
}

TEST_F(ValueFilesTest, AReaderBesideTheBrokerReadsTheFiles) {
  open();
  put_value(keys::batch(t1_, 0, 0), "a");
  const auto scratch = dir_.string() + "-scratch";
  auto reader = open_rocksdb_reader(dir_.string(), scratch);
  EXPECT_EQ(reader->get(keys::batch(t1_, 0, 0)), "a");
  EXPECT_FALSE(store_->flush());
  // The broker deletes a file the reader's view still points into: the
  // reader finds no batch there, and goes on.
  put_value(keys::batch(t1_, 0, 1), std::string(ValueFiles::kFileBytes - 100, 'b'));
  put_value(keys::batch(t1_, 0, 2), big('c'));  // into a second file
  auto later = open_rocksdb_reader(dir_.string(), scratch + "2");
  WriteBatch removal;
  removal.remove(keys::batch(t1_, 0, 0));
  removal.remove(keys::batch(t1_, 0, 1));
  ASSERT_FALSE(store_->apply(removal));
  EXPECT_EQ(files_of(t1_, 0).size(), 1u);
  EXPECT_EQ(later->get(keys::batch(t1_, 0, 0)), std::nullopt);
  EXPECT_EQ(later->get(keys::batch(t1_, 0, 2)), big('c'));
  EXPECT_FALSE(later->failed());
  later.reset();
  std::filesystem::remove_all(scratch + "2");
  reader.reset();
  std::filesystem::remove_all(scratch);
}

}  // namespace
}  // namespace kafkalite::storage
