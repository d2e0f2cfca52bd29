// Incremental fetch sessions (KIP-227): opening, incremental answers with
// only what changed, epochs, forgotten partitions, closing.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

class FetchSessionTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("s", 2);
  }
  static FetchRequest request(int32_t session_id, int32_t epoch,
                              std::vector<std::pair<int32_t, int64_t>> partitions) {
    FetchRequest r;
    r.session_id = session_id;
    r.session_epoch = epoch;
    r.max_bytes = 1 << 20;
    if (!partitions.empty()) {
      auto& t = r.topics.emplace_back();
      t.topic = "s";
      for (auto [index, offset] : partitions) {
        auto& p = t.partitions.emplace_back();
        p.partition = index;
        p.fetch_offset = offset;
        p.partition_max_bytes = 1 << 20;
      }
    }
    return r;
  }
  static size_t partitions_in(const FetchResponse& r) {
    size_t n = 0;
    for (const auto& t : r.responses) n += t.partitions.size();
    return n;
  }
};

TEST_F(FetchSessionTest, IncrementalFetchesReturnOnlyNews) {
  auto c = connect();
  produce(c, "s", 0, make_batch(2));
  auto full = c.request<FetchApi>(request(0, 0, {{0, 0}, {1, 0}}), 12);
  EXPECT_EQ(full.error_code, ErrorCode::None);
  ASSERT_NE(full.session_id, 0) << "epoch 0 opens a session";
  EXPECT_EQ(partitions_in(full), 2u);
  const int32_t id = full.session_id;

  // The client moves partition 0 to offset 2; nothing is new anywhere.
  auto quiet = c.request<FetchApi>(request(id, 1, {{0, 2}}), 12);
  EXPECT_EQ(quiet.error_code, ErrorCode::None);
  EXPECT_EQ(quiet.session_id, id);
  EXPECT_EQ(partitions_in(quiet), 0u);

  produce(c, "s", 1, make_batch(3));
  auto news = c.request<FetchApi>(request(id, 2, {}), 12);
  ASSERT_EQ(partitions_in(news), 1u) << "only the partition with new data";
  EXPECT_EQ(news.responses[0].partitions[0].partition_index, 1);
  EXPECT_EQ(records_of(news.responses[0].partitions[0].records).size(), 3u);
}

TEST_F(FetchSessionTest, WrongEpochAndUnknownSession) {
  auto c = connect();
  auto full = c.request<FetchApi>(request(0, 0, {{0, 0}}), 12);
  EXPECT_EQ(c.request<FetchApi>(request(full.session_id, 5, {}), 12).error_code,
            ErrorCode::InvalidFetchSessionEpoch);
  EXPECT_EQ(c.request<FetchApi>(request(full.session_id, 1, {}), 12).error_code, ErrorCode::None)
      << "a refused epoch does not advance the session";
  EXPECT_EQ(c.request<FetchApi>(request(full.session_id + 1, 1, {}), 12).error_code,
            ErrorCode::FetchSessionIdNotFound);
}

TEST_F(FetchSessionTest, ForgottenPartitionsAreDropped) {
  auto c = connect();
  auto full = c.request<FetchApi>(request(0, 0, {{0, 0}, {1, 0}}), 12);
  auto forget = request(full.session_id, 1, {});
  forget.forgotten_topics_data.push_back({"s", wire::Uuid{}, {1}, {}});
  EXPECT_EQ(c.request<FetchApi>(forget, 12).error_code, ErrorCode::None);
  produce(c, "s", 1, make_batch(1));
  EXPECT_EQ(partitions_in(c.request<FetchApi>(request(full.session_id, 2, {}), 12)), 0u);
}

TEST_F(FetchSessionTest, FinalEpochClosesTheSession) {
  auto c = connect();
  auto full = c.request<FetchApi>(request(0, 0, {{0, 0}}), 12);
  auto last = c.request<FetchApi>(request(full.session_id, -1, {{0, 0}}), 12);
  EXPECT_EQ(last.session_id, 0);
  EXPECT_EQ(c.request<FetchApi>(request(full.session_id, 1, {}), 12).error_code,
            ErrorCode::FetchSessionIdNotFound);
}

TEST_F(FetchSessionTest, SessionsByTopicId) {
  auto c = connect();
  MetadataRequest m;
  m.topics.emplace().push_back({wire::Uuid{}, TopicName("s"), {}});
  const auto id = c.request<MetadataApi>(m, 12).topics.at(0).topic_id;
  FetchRequest r = request(0, 0, {{0, 0}});
  r.topics[0].topic = TopicName();
  r.topics[0].topic_id = id;
  auto full = c.request<FetchApi>(r, 16);
  ASSERT_NE(full.session_id, 0);
  produce(c, "s", 0, make_batch(1));
  FetchRequest next = request(full.session_id, 1, {});
  auto news = c.request<FetchApi>(next, 16);
  ASSERT_EQ(partitions_in(news), 1u);
  EXPECT_EQ(news.responses[0].topic_id, id);
}

}  // namespace
}  // namespace kafkalite::testing
