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
  EXPECT_EQ(c.request<InitProducerIdApi>(transactional, 5).error_code,
            ErrorCode::CoordinatorNotAvailable)
      << "transactions are not supported";
}

}  // namespace
}  // namespace kafkalite::testing
