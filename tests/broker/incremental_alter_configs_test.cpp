// IncrementalAlterConfigs: SET, DELETE, APPEND, SUBTRACT, validation, and configs taking effect.
#include "tests/broker/config_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(ConfigsTest, IncrementalAlterSetDeleteAppendSubtract) {
  auto c = connect();
  auto alter = [&](std::vector<IncrementalAlterConfigsRequest::AlterConfigsResource::AlterableConfig> configs) {
    IncrementalAlterConfigsRequest request;
    request.resources.push_back({kTopic, "t", std::move(configs), {}});
    return c.request<IncrementalAlterConfigsApi>(request, 1).responses.at(0);
  };
  EXPECT_EQ(alter({{"retention.ms", 0, "1000", {}}}).error_code, ErrorCode::None);
  EXPECT_EQ(entry(describe(kTopic, "t"), "retention.ms").value, "1000");
  EXPECT_EQ(entry(describe(kTopic, "t"), "retention.ms").config_source, kTopicConfig);
  EXPECT_EQ(alter({{"cleanup.policy", 2, "delete", {}}}).error_code, ErrorCode::None);
  EXPECT_EQ(entry(describe(kTopic, "t"), "cleanup.policy").value, "compact,delete");
  EXPECT_EQ(alter({{"cleanup.policy", 3, "compact", {}}}).error_code, ErrorCode::None);
  EXPECT_EQ(entry(describe(kTopic, "t"), "cleanup.policy").value, "delete");
  EXPECT_EQ(alter({{"retention.ms", 1, std::nullopt, {}}}).error_code, ErrorCode::None);
  EXPECT_EQ(entry(describe(kTopic, "t"), "retention.ms").value, "86400000")
      << "back to the broker's log.retention.hours=24";

  EXPECT_EQ(alter({{"no.such.config", 0, "1", {}}}).error_code,
            ErrorCode::InvalidConfig);
  EXPECT_EQ(alter({{"retention.ms", 0, "soon", {}}}).error_code,
            ErrorCode::InvalidConfig);
  EXPECT_EQ(alter({{"retention.ms", 2, "5", {}}}).error_code,
            ErrorCode::InvalidConfig)
      << "APPEND on a non-list config";
}

TEST_F(ConfigsTest, ConfigsTakeEffect) {
  auto c = connect();
  IncrementalAlterConfigsRequest request;
  request.resources.push_back({kTopic, "t", {{"max.message.bytes", 0, "100", {}}}, {}});
  ASSERT_EQ(c.request<IncrementalAlterConfigsApi>(request, 1).responses.at(0).error_code, ErrorCode::None);
  EXPECT_EQ(produce(c, "t", 0, make_batch(10)).error_code,
            ErrorCode::MessageTooLarge);
}

}  // namespace
}  // namespace kafkalite::testing
