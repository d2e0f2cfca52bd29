// DescribeConfigs: topic and broker configs with Kafka's defaults, sources and synonyms.
#include "tests/broker/config_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(ConfigsTest, TopicValuesSourcesAndSynonyms) {
  auto result = describe(kTopic, "t");
  EXPECT_EQ(result.error_code, 0);
  EXPECT_EQ(result.configs.size(), 34u) << "every topic config of Kafka 4.1.1";

  const auto& policy = entry(result, "cleanup.policy");
  EXPECT_EQ(policy.value, "compact");
  EXPECT_EQ(policy.config_source, kTopicConfig);
  ASSERT_EQ(policy.synonyms.size(), 2u);
  EXPECT_EQ(policy.synonyms[0].source, kTopicConfig);
  EXPECT_EQ(policy.synonyms[1].name, "log.cleanup.policy");
  EXPECT_EQ(policy.synonyms[1].value, "delete");
  EXPECT_EQ(policy.synonyms[1].source, kDefault);

  const auto& retention = entry(result, "retention.ms");
  EXPECT_EQ(retention.value, "86400000") << "log.retention.hours=24 in ms";
  EXPECT_EQ(retention.config_source, kStaticBroker);
  ASSERT_EQ(retention.synonyms.size(), 2u);
  EXPECT_EQ(retention.synonyms[0].name, "log.retention.hours");
  EXPECT_EQ(retention.synonyms[0].value, "24");
  EXPECT_EQ(retention.synonyms[0].source, kStaticBroker);
  EXPECT_EQ(retention.synonyms[1].value, "168");
  EXPECT_EQ(retention.synonyms[1].source, kDefault);

  const auto& max_bytes = entry(result, "max.message.bytes");
  EXPECT_EQ(max_bytes.value, "1048588");
  EXPECT_EQ(max_bytes.config_source, kDefault);
  EXPECT_EQ(max_bytes.config_type, 3) << "INT";
  EXPECT_FALSE(max_bytes.read_only);
}

TEST_F(ConfigsTest, TopicErrors) {
  EXPECT_EQ(describe(kTopic, "missing").error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
  EXPECT_EQ(describe(kTopic, "bad name").error_code,
            static_cast<int16_t>(ErrorCode::InvalidTopicException));
}

TEST_F(ConfigsTest, BrokerConfigs) {
  auto result = describe(kBroker, "1", false);
  EXPECT_EQ(result.error_code, 0);
  EXPECT_GT(result.configs.size(), 300u);
  EXPECT_EQ(entry(result, "num.partitions").value, "3");
  EXPECT_EQ(entry(result, "num.partitions").config_source, kStaticBroker);
  EXPECT_EQ(entry(result, "message.max.bytes").value, "1048588");
  EXPECT_EQ(entry(result, "message.max.bytes").config_source, kDefault);
  EXPECT_EQ(describe(kBroker, "2").error_code, static_cast<int16_t>(ErrorCode::InvalidRequest));
}

}  // namespace
}  // namespace kafkalite::testing
