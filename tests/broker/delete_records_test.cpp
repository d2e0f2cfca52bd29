// DeleteRecords: moving the log start offset; -1 means the high watermark.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, DeleteRecordsMovesEarliest) {
  broker_->create_topic("t");
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
  EXPECT_EQ(del(9).error_code, ErrorCode::OffsetOutOfRange);
  EXPECT_EQ(del(-1).low_watermark, 4) << "-1 means the high watermark";
  EXPECT_TRUE(records_of(fetch(c, "t", 0, 4).records).empty());
}

}  // namespace
}  // namespace kafkalite::testing
