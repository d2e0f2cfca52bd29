// CreateTopics with configs: checked against Kafka's definitions, effective values returned.
#include "tests/broker/config_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(ConfigsTest, CreateTopicsChecksAndReturnsConfigs) {
  auto c = connect();
  CreateTopicsRequest request;
  CreateTopicsRequest::CreatableTopic good;
  good.name = "with-configs";
  good.num_partitions = -1;
  good.replication_factor = -1;
  good.configs.push_back({"retention.ms", "5000", {}});
  CreateTopicsRequest::CreatableTopic bad = good;
  bad.name = "bad-config";
  bad.configs = {{"retention.ms", "forever", {}}};
  request.topics = {good, bad};
  auto response = c.request<CreateTopicsApi>(request, 7);
  ASSERT_EQ(response.topics.size(), 2u);
  EXPECT_EQ(response.topics[0].error_code, ErrorCode::None);
  EXPECT_EQ(response.topics[0].num_partitions, 3) << "num.partitions=3 on this broker";
  ASSERT_TRUE(response.topics[0].configs);
  bool found = false;
  for (const auto& e : *response.topics[0].configs) {
    if (e.name == "retention.ms") {
      found = true;
      EXPECT_EQ(e.value, "5000");
      EXPECT_EQ(e.config_source, kTopicConfig);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(response.topics[1].error_code, ErrorCode::InvalidConfig);
}

}  // namespace
}  // namespace kafkalite::testing
