// DescribeCluster: one broker, its own controller.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, DescribeClusterShowsTheOneBroker) {
  auto c = connect();
  auto response = c.request<DescribeClusterApi>(DescribeClusterRequest{}, 2);
  EXPECT_EQ(response.error_code, ErrorCode::None);
  ASSERT_EQ(response.brokers.size(), 1u);
  EXPECT_EQ(response.brokers[0].broker_id, 1);
  EXPECT_EQ(response.brokers[0].port, broker_->port());
  EXPECT_FALSE(response.cluster_id.empty());
  EXPECT_EQ(response.controller_id, 1);
}

}  // namespace
}  // namespace kafkalite::testing
