// ListOffsets: earliest, latest, by timestamp, max timestamp, unknown topics.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

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
  ASSERT_EQ(produce(c, "t", 0, batch_at({1000, 5000, 3000})).error_code, ErrorCode::None);
  ASSERT_EQ(produce(c, "t", 0, batch_at({4000, 6000})).error_code, ErrorCode::None);
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
            ErrorCode::UnknownTopicOrPartition);
}


}  // namespace
}  // namespace kafkalite::testing

namespace kafkalite::testing {
namespace {

// Retention: retention.bytes and retention.ms delete the oldest batches and
// move the log start offset, as Kafka deletes old segments.

}  // namespace
}  // namespace kafkalite::testing
