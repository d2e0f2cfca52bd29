// DescribeConfigs: topic and broker configs with Kafka's defaults, sources and synonyms.
#include "tests/broker/config_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(ConfigsTest, TopicValuesSourcesAndSynonyms) {
  auto result = describe(kTopic, "t");
  EXPECT_EQ(result.error_code, ErrorCode::None);
  EXPECT_EQ(result.configs.size(), 33u) << "every (non-internal) topic config of Kafka 4.1.1";

  const auto& policy = entry(result, "cleanup.policy");
  EXPECT_EQ(policy.value, "compact");
  EXPECT_EQ(policy.config_source, kTopicConfig);
  ASSERT_EQ(policy.synonyms.size(), 2u);
  EXPECT_EQ(policy.synonyms[0].source, kTopicConfig);
  EXPECT_EQ(policy.synonyms[1].name, "log.cleanup.policy");
  EXPECT_EQ(policy.synonyms[1].value, "delete");
  EXPECT_EQ(policy.synonyms[1].source, kDefault);

  // As real Kafka 4.1.1 answers with log.retention.hours=24 in server.properties:
  // the value follows the broker setting, yet the source is DEFAULT_CONFIG and
  // no synonym is listed (only synonyms from log.retention.ms on are shown).
  const auto& retention = entry(result, "retention.ms");
  EXPECT_EQ(retention.value, "86400000");
  EXPECT_EQ(retention.config_source, kDefault);
  EXPECT_TRUE(retention.synonyms.empty());

  // KRaft sets min.insync.replicas as a cluster-wide dynamic default.
  const auto& isr = entry(result, "min.insync.replicas");
  EXPECT_EQ(isr.value, "1");
  EXPECT_EQ(isr.config_source, 3);
  ASSERT_EQ(isr.synonyms.size(), 2u);
  EXPECT_EQ(isr.synonyms[0].source, 3);
  EXPECT_EQ(isr.synonyms[1].source, kDefault);

  const auto& max_bytes = entry(result, "max.message.bytes");
  EXPECT_EQ(max_bytes.value, "1048588");
  EXPECT_EQ(max_bytes.config_source, kDefault);
  EXPECT_EQ(max_bytes.config_type, 3) << "INT";
  EXPECT_FALSE(max_bytes.read_only);
}

TEST_F(ConfigsTest, TopicErrors) {
  EXPECT_EQ(describe(kTopic, "missing").error_code,
            ErrorCode::UnknownTopicOrPartition);
  EXPECT_EQ(describe(kTopic, "bad name").error_code,
            ErrorCode::InvalidTopicException);
}

TEST_F(ConfigsTest, BrokerConfigs) {
  auto result = describe(kBroker, "1", false);
  EXPECT_EQ(result.error_code, ErrorCode::None);
  EXPECT_GT(result.configs.size(), 300u);
  EXPECT_EQ(entry(result, "num.partitions").value, "3");
  EXPECT_EQ(entry(result, "num.partitions").config_source, kStaticBroker);
  EXPECT_EQ(entry(result, "message.max.bytes").value, "1048588");
  EXPECT_EQ(entry(result, "message.max.bytes").config_source, kDefault);
  EXPECT_EQ(describe(kBroker, "2").error_code, ErrorCode::InvalidRequest);
  auto defaults = describe(kBroker, "", true);
  ASSERT_EQ(defaults.configs.size(), 1u) << "the cluster-wide dynamic defaults";
  EXPECT_EQ(defaults.configs[0].name, "min.insync.replicas");
}

}  // namespace
}  // namespace kafkalite::testing
