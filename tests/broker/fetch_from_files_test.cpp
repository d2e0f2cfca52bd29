// Fetch answers that send large batches from the log's value files
// (sendfile) rather than from memory: a client gets the stored batches
// whole, or cut where Kafka cuts them, byte for byte as produced but for
// the base offset and leader epoch the broker stamps.
#include <filesystem>

#include "broker/log/partition_log.h"
#include "broker/storage/kv_store.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

class FetchFromFiles : public BrokerTest {
 protected:
  FetchFromFiles()
      : dir_(std::filesystem::temp_directory_path() /
             ("kafkalite-fetch-files-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
  }
  ~FetchFromFiles() override {
    broker_.reset();
    std::filesystem::remove_all(dir_);
  }
  EmbeddedBroker::Options options() override { return {dir_.string(), {}}; }

  std::filesystem::path dir_;
};

// The batches a fetch returned, one by one (a cut-short last one included).
std::vector<wire::Bytes> batches_in(const wire::Bytes& data) {
  std::vector<wire::Bytes> out;
  size_t at = 0;
  while (at + records::kLogOverhead <= data.size()) {
    const size_t size = records::kLogOverhead + ((size_t{data[at + 8]} << 24) | (size_t{data[at + 9]} << 16) |
                                                 (size_t{data[at + 10]} << 8) | data[at + 11]);
    const size_t end = std::min(data.size(), at + size);
    out.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(at), data.begin() + static_cast<std::ptrdiff_t>(end));
    at = end;
  }
  return out;
}

// The batch as stored: the broker's base offset; the rest as produced from
// the length on, but the leader epoch (bytes 12-15, outside the CRC).
void expect_stored_as_produced(const wire::Bytes& fetched, const wire::Bytes& produced, int64_t base) {
  ASSERT_EQ(fetched.size(), produced.size());
  EXPECT_EQ(header_of(fetched).base_offset, base);
  EXPECT_TRUE(std::equal(fetched.begin() + 8, fetched.begin() + 12, produced.begin() + 8));
  EXPECT_TRUE(std::equal(fetched.begin() + 16, fetched.end(), produced.begin() + 16));
}

TEST_F(FetchFromFiles, LargeBatchesGoOutFromTheirFileAsStoredWholeOrCut) {
  broker_->create_topic("t", 1);
  auto c = connect();
  const std::vector<wire::Bytes> produced = {make_batch(1), make_batch(5000), make_batch(5000), make_batch(2)};
  ASSERT_GT(produced[1].size(), log::PartitionLog::kSendFromFileBytes);  // these two go out from the file
  ASSERT_LT(produced[0].size(), log::PartitionLog::kSendFromFileBytes);  // these two are read in
  std::vector<int64_t> bases;
  size_t total = 0;
  int64_t next = 0;
  for (const auto& batch : produced) {
    ASSERT_EQ(produce(c, "t", 0, batch).base_offset, next);
    bases.push_back(next);
    next += header_of(batch).record_count;
    total += batch.size();
  }

  // From the start: every batch, whole.
  const auto all = fetch(c, "t", 0, 0);
  ASSERT_TRUE(all.records.data);
  ASSERT_EQ(all.records.data->size(), total);
  const auto fetched = batches_in(*all.records.data);
  ASSERT_EQ(fetched.size(), produced.size());
  for (size_t i = 0; i < produced.size(); ++i) expect_stored_as_produced(fetched[i], produced[i], bases[i]);
  const auto records = records_of(all.records);
  ASSERT_EQ(records.size(), static_cast<size_t>(next));
  EXPECT_EQ(records[5000].first, 5000);

  // A limit inside the third batch: Kafka's cut, the same bytes as the whole read's.
  auto request = fetch_request("t", 0, 0);
  const size_t limit = produced[0].size() + produced[1].size() + 1000;
  request.topics[0].partitions[0].partition_max_bytes = static_cast<int32_t>(limit);
  const auto cut = c.request<FetchApi>(request, 12).responses.at(0).partitions.at(0);
  ASSERT_TRUE(cut.records.data);
  EXPECT_EQ(*cut.records.data, wire::Bytes(all.records.data->begin(),
                                           all.records.data->begin() + static_cast<std::ptrdiff_t>(limit)));

  // From inside the second batch: it comes whole, from its start.
  const auto middle = fetch(c, "t", 0, 2500);
  ASSERT_TRUE(middle.records.data);
  EXPECT_EQ(*middle.records.data,
            wire::Bytes(all.records.data->begin() + static_cast<std::ptrdiff_t>(produced[0].size()),
                        all.records.data->end()));

  // And the same after a restart, from files the broker opens again.
  broker_.reset();
  broker_ = EmbeddedBroker::start(options());
  auto again = connect();
  EXPECT_EQ(fetch(again, "t", 0, 0).records.data, all.records.data);
}

// The log's read on RocksDB against the same log in memory: batches next to
// each other in a file are taken as one range, left in the file when large,
// and a read_committed read learns where the last batch taken ends.
TEST(PartitionLogReadFromFiles, SameBytesAndEndAsTheLogInMemory) {
  const auto dir = std::filesystem::temp_directory_path() / ("kafkalite-log-files-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto disk = storage::open_rocksdb_store(dir.string());
    auto memory = storage::open_memory_store();
    wire::Uuid id;
    id.bytes[0] = 7;
    log::PartitionLog on_disk(*disk, id, 0), in_memory(*memory, id, 0);
    // 40 small batches, 3 large ones, 40 small ones.
    int64_t next = 0;
    std::vector<int> counts(40, 2);
    counts.insert(counts.end(), {4000, 4000, 4000});
    counts.insert(counts.end(), 40, 3);
    for (int count : counts) {
      const wire::Bytes batch = make_batch(count);
      records::RecordsError error;
      const auto h = *records::peek_batch_header(batch, error);
      ASSERT_EQ(on_disk.append(batch, h, -1, 0).base_offset, next);
      ASSERT_EQ(in_memory.append(batch, h, -1, 0).base_offset, next);
      next += count;
    }
    struct Read {
      int64_t offset;
      size_t max_bytes;
    };
    // From the start (small ones read in, then the large run from the file),
    // from the middle of a large batch, into the small ones, and a cut.
    for (const Read& r : {Read{0, 1 << 20}, Read{82, 1 << 20}, Read{12085, 1 << 20}, Read{0, 150000}, Read{5, 300}}) {
      wire::Records from_disk;
      wire::Bytes from_memory;
      int64_t disk_end = -1, memory_end = -1;
      const size_t taken = on_disk.read(r.offset, r.max_bytes, true, from_disk, INT64_MAX, &disk_end);
      ASSERT_EQ(taken, in_memory.read(r.offset, r.max_bytes, true, from_memory, INT64_MAX, &memory_end));
      EXPECT_EQ(from_disk.whole(), from_memory) << "from " << r.offset;
      EXPECT_EQ(disk_end, memory_end) << "from " << r.offset;
      EXPECT_TRUE(memory_end > r.offset) << "from " << r.offset;
      // What went out from the file: only runs of 32 KiB or more.
      for (const auto& part : from_disk.files) EXPECT_GE(part.bytes.length, log::PartitionLog::kSendFromFileBytes);
      if (r.offset == 0 && r.max_bytes == (1 << 20)) {
        // Small and large batches lie next to each other in one file: one piece.
        ASSERT_EQ(from_disk.files.size(), 1u);
        EXPECT_EQ(from_disk.files[0].bytes.length, taken);
        EXPECT_TRUE(from_disk.data->empty());
      }
      if (r.offset == 12085 || r.max_bytes == 300) {
        // Only small batches: read in.
        EXPECT_TRUE(from_disk.files.empty());
        EXPECT_EQ(from_disk.data->size(), taken);
      }
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kafkalite::testing
