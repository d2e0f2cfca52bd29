// AlterConfigs: the given configs replace a topic's overrides.
#include "tests/broker/config_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(ConfigsTest, AlterConfigsReplacesAllOverrides) {
  auto c = connect();
  AlterConfigsRequest request;
  request.resources.push_back({kTopic, "t", {{"retention.bytes", "5000", {}}}, {}});
  EXPECT_EQ(c.request<AlterConfigsApi>(request, 2).responses.at(0).error_code, ErrorCode::None);
  auto result = describe(kTopic, "t");
  EXPECT_EQ(entry(result, "retention.bytes").value, "5000");
  EXPECT_EQ(entry(result, "cleanup.policy").value, "delete") << "the old override is gone";
}

}  // namespace
}  // namespace kafkalite::testing
