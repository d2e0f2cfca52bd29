// The RocksDB store: topics, records, offsets, producer state and the
// cluster id survive a restart on the same data directory.
#include <filesystem>

#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("kafkalite-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(Persistence, EverythingSurvivesARestart) {
  TempDir dir;
  std::string cluster_id;
  int64_t producer_id = -1;
  {
    auto broker = EmbeddedBroker::start({dir.str(), {}});
    broker->create_topic("durable", 2);
    client::Connection c(broker->bootstrap());
    producer_id = c.request<InitProducerIdApi>(idempotent_init_request(), 4).producer_id.value();
    ASSERT_EQ(produce(c, "durable", 1, make_batch(3, {}, producer_id, 0, 0)).base_offset, 0);
    ASSERT_EQ(produce(c, "durable", 1, make_batch(2, records::Compression::kZstd)).base_offset, 3);
    cluster_id = *c.request<MetadataApi>(MetadataRequest{}, 12).cluster_id;
  }
  auto broker = EmbeddedBroker::start({dir.str(), {}});
  client::Connection c(broker->bootstrap());
  MetadataRequest all;
  all.topics = std::nullopt;
  auto metadata = c.request<MetadataApi>(all, 12);
  EXPECT_EQ(metadata.cluster_id, cluster_id);
  ASSERT_EQ(metadata.topics.size(), 1u);
  EXPECT_EQ(metadata.topics[0].partitions.size(), 2u);
  auto data = fetch(c, "durable", 1, 0);
  EXPECT_EQ(data.high_watermark, 5);
  EXPECT_EQ(records_of(data.records).size(), 5u);
  // The producer's window survived: its retry is still a duplicate.
  auto retry = produce(c, "durable", 1, make_batch(3, {}, producer_id, 0, 0));
  EXPECT_EQ(retry.error_code, ErrorCode::None);
  EXPECT_EQ(retry.base_offset, 0);
  EXPECT_EQ(produce(c, "durable", 1, make_batch(1)).base_offset, 5);
  EXPECT_NE(c.request<InitProducerIdApi>(idempotent_init_request(), 4).producer_id, producer_id)
      << "producer ids are not reused after a restart";
}

}  // namespace
}  // namespace kafkalite::testing
