// Both engines of the key-value store agree on the reads the log relies on:
// scan() and scan_from_floor() (a read from the batch holding an offset).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "broker/storage/kv_store.h"

namespace kafkalite::storage {
namespace {

class KvStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "rocksdb") {
      std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      std::replace(name.begin(), name.end(), '/', '-');
      dir_ = std::filesystem::temp_directory_path() / ("kafkalite-kv-" + std::to_string(getpid()) + "-" + name);
      std::filesystem::remove_all(dir_);
      store_ = open_rocksdb_store(dir_.string());
    } else {
      store_ = open_memory_store();
    }
    WriteBatch batch;
    for (const char* key : {"a1", "b10", "b20", "b30", "c1"}) batch.put(key, std::string("value of ") + key);
    ASSERT_FALSE(store_->apply(batch));
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::vector<std::string> from_floor(std::string_view begin, std::string_view key, std::string_view end,
                                      size_t limit = 100) {
    std::vector<std::string> seen;
    store_->scan_from_floor(begin, key, end, [&](std::string_view k, const StoredValue& v) {
      std::string buffer;
      EXPECT_EQ(v.whole(buffer), "value of " + std::string(k));
      EXPECT_EQ(v.size(), ("value of " + std::string(k)).size());
      seen.emplace_back(k);
      return seen.size() < limit;
    });
    return seen;
  }

  std::filesystem::path dir_;
  std::unique_ptr<KvStore> store_;
};

using Keys = std::vector<std::string>;

TEST_P(KvStoreTest, ScanFromFloorStartsAtTheGreatestKeyNotAfterTheOne) {
  EXPECT_EQ(from_floor("b", "b25", "c"), (Keys{"b20", "b30"}));
  EXPECT_EQ(from_floor("b", "b20", "c"), (Keys{"b20", "b30"}));
  EXPECT_EQ(from_floor("b", "b99", "c"), (Keys{"b30"}));
}

TEST_P(KvStoreTest, ScanFromFloorIgnoresAFloorBeforeBegin) {
  // "a1" is the floor of "b05" but lies before the range: start at "b05".
  EXPECT_EQ(from_floor("b", "b05", "c"), (Keys{"b10", "b20", "b30"}));
}

TEST_P(KvStoreTest, ScanFromFloorStopsAtEndAndWhenTold) {
  EXPECT_EQ(from_floor("b", "b15", "b30"), (Keys{"b10", "b20"}));
  EXPECT_EQ(from_floor("b", "b15", "c", 1), (Keys{"b10"}));
  EXPECT_EQ(from_floor("d", "d5", "e"), Keys{});
}

TEST_P(KvStoreTest, ScanVisitsTheRangeInOrder) {
  Keys seen;
  store_->scan("b", "c", [&](std::string_view k, std::string_view) {
    seen.emplace_back(k);
    return true;
  });
  EXPECT_EQ(seen, (Keys{"b10", "b20", "b30"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, KvStoreTest, ::testing::Values("memory", "rocksdb"),
                         [](const auto& engine) { return engine.param; });

}  // namespace
}  // namespace kafkalite::storage
