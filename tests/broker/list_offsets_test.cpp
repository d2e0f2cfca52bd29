// ListOffsets: earliest, latest, by timestamp, max timestamp; DeleteRecords
// moving the earliest.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

using PartitionAnswer = ListOffsetsResponse::ListOffsetsTopicResponse::ListOffsetsPartitionResponse;

PartitionAnswer list_offset(client::Connection& c, const std::string& topic, int64_t timestamp) {
  ListOffsetsRequest request;
  request.replica_id = -1;
  auto& t = request.topics.emplace_back();
  t.name = topic;
  t.partitions.push_back({0, -1, timestamp, {}});
  return c.request<ListOffsetsApi>(request, 9).topics.at(0).partitions.at(0);
}

wire::Bytes batch_at(std::initializer_list<int64_t> timestamps) {
  records::BatchBuilder builder;
  for (int64_t ts : timestamps) builder.add(ts, std::nullopt, wire::Bytes{'x'});
  return builder.build();
}

class ListOffsetsTest : public BrokerTest {
 protected:
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("t");
  }
};

TEST_F(ListOffsetsTest, EmptyPartition) {
  auto c = connect();
  EXPECT_EQ(list_offset(c, "t", -2).offset, 0);
  EXPECT_EQ(list_offset(c, "t", -1).offset, 0);
  auto max = list_offset(c, "t", -3);
  EXPECT_EQ(max.offset, -1);
  EXPECT_EQ(max.timestamp, -1);
  EXPECT_EQ(list_offset(c, "t", 1000).offset, -1);
}

TEST_F(ListOffsetsTest, EarliestLatestTimestampAndMax) {
  auto c = connect();
  ASSERT_EQ(produce(c, "t", 0, batch_at({1000, 5000, 3000})).error_code, 0);
  ASSERT_EQ(produce(c, "t", 0, batch_at({4000, 6000})).error_code, 0);
  EXPECT_EQ(list_offset(c, "t", -2).offset, 0);
  EXPECT_EQ(list_offset(c, "t", -1).offset, 5);
  auto by_time = list_offset(c, "t", 2000);
  EXPECT_EQ(by_time.offset, 1) << "the first record with timestamp >= 2000";
  EXPECT_EQ(by_time.timestamp, 5000);
  EXPECT_EQ(list_offset(c, "t", 5500).offset, 4);
  EXPECT_EQ(list_offset(c, "t", 7000).offset, -1);
  auto max = list_offset(c, "t", -3);
  EXPECT_EQ(max.offset, 4);
  EXPECT_EQ(max.timestamp, 6000);
  EXPECT_EQ(list_offset(c, "missing", -1).error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(ListOffsetsTest, DeleteRecordsMovesEarliest) {
  auto c = connect();
  produce(c, "t", 0, batch_at({1, 2}));
  produce(c, "t", 0, batch_at({3, 4}));
  auto del = [&](int64_t offset) {
    DeleteRecordsRequest request;
    request.topics.push_back({"t", {{0, offset, {}}}, {}});
    return c.request<DeleteRecordsApi>(request, 2).topics.at(0).partitions.at(0);
  };
  EXPECT_EQ(del(3).low_watermark, 3);
  EXPECT_EQ(list_offset(c, "t", -2).offset, 3);
  EXPECT_EQ(list_offset(c, "t", 0).offset, 3) << "deleted records are not found by timestamp";
  EXPECT_EQ(del(9).error_code, static_cast<int16_t>(ErrorCode::OffsetOutOfRange));
  EXPECT_EQ(del(-1).low_watermark, 4) << "-1 means the high watermark";
  EXPECT_TRUE(records_of(fetch(c, "t", 0, 4).records).empty());
}

}  // namespace
}  // namespace kafkalite::testing
