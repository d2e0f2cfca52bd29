// InitProducerId: fresh ids for idempotent producers.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, InitProducerIdGivesFreshIdsWithEpochZero) {
  auto c = connect();
  const auto a = c.request<InitProducerIdApi>(idempotent_init_request(), 5);
  const auto b = c.request<InitProducerIdApi>(idempotent_init_request(), 5);
  EXPECT_EQ(a.producer_epoch, 0);
  EXPECT_NE(a.producer_id, b.producer_id);
  InitProducerIdRequest transactional;
  transactional.transactional_id = "txn";
  transactional.transaction_timeout_ms = 60000;
  const auto first = c.request<InitProducerIdApi>(transactional, 5);
  EXPECT_EQ(first.error_code, ErrorCode::None);
  EXPECT_EQ(first.producer_epoch, 0);
  const auto second = c.request<InitProducerIdApi>(transactional, 5);
  EXPECT_EQ(second.producer_id, first.producer_id) << "a transactional id keeps its producer id";
  EXPECT_EQ(second.producer_epoch, 1) << "and each InitProducerId fences the previous epoch";
}

}  // namespace
}  // namespace kafkalite::testing
