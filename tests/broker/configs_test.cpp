// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics, and
// DescribeConfigs for the broker: Kafka's defaults, sources and synonyms.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

constexpr int8_t kTopic = 2, kBroker = 4;
constexpr int8_t kTopicConfig = 1, kStaticBroker = 4, kDefault = 5;

using Entry = DescribeConfigsResponse::DescribeConfigsResult::DescribeConfigsResourceResult;

class ConfigsTest : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"", {{"log.retention.hours", "24"}, {"num.partitions", "3"}}};
  }
  void SetUp() override {
    BrokerTest::SetUp();
    broker_->create_topic("t", 1, {{"cleanup.policy", "compact"}});
  }
  DescribeConfigsResponse::DescribeConfigsResult describe(int8_t type, const std::string& name,
                                                          bool synonyms = true) {
    auto c = connect();
    DescribeConfigsRequest request;
    request.resources.push_back({type, name, std::nullopt, {}});
    request.include_synonyms = synonyms;
    return c.request<DescribeConfigsApi>(request, 4).results.at(0);
  }
  static const Entry& entry(const DescribeConfigsResponse::DescribeConfigsResult& r,
                            const std::string& name) {
    for (const auto& e : r.configs) {
      if (e.name == name) return e;
    }
    throw std::runtime_error("no config " + name);
  }
};

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

TEST_F(ConfigsTest, IncrementalAlterSetDeleteAppendSubtract) {
  auto c = connect();
  auto alter = [&](std::vector<IncrementalAlterConfigsRequest::AlterConfigsResource::AlterableConfig> configs) {
    IncrementalAlterConfigsRequest request;
    request.resources.push_back({kTopic, "t", std::move(configs), {}});
    return c.request<IncrementalAlterConfigsApi>(request, 1).responses.at(0);
  };
  EXPECT_EQ(alter({{"retention.ms", 0, "1000", {}}}).error_code, 0);
  EXPECT_EQ(entry(describe(kTopic, "t"), "retention.ms").value, "1000");
  EXPECT_EQ(entry(describe(kTopic, "t"), "retention.ms").config_source, kTopicConfig);
  EXPECT_EQ(alter({{"cleanup.policy", 2, "delete", {}}}).error_code, 0);
  EXPECT_EQ(entry(describe(kTopic, "t"), "cleanup.policy").value, "compact,delete");
  EXPECT_EQ(alter({{"cleanup.policy", 3, "compact", {}}}).error_code, 0);
  EXPECT_EQ(entry(describe(kTopic, "t"), "cleanup.policy").value, "delete");
  EXPECT_EQ(alter({{"retention.ms", 1, std::nullopt, {}}}).error_code, 0);
  EXPECT_EQ(entry(describe(kTopic, "t"), "retention.ms").value, "86400000");

  EXPECT_EQ(alter({{"no.such.config", 0, "1", {}}}).error_code,
            static_cast<int16_t>(ErrorCode::InvalidConfig));
  EXPECT_EQ(alter({{"retention.ms", 0, "soon", {}}}).error_code,
            static_cast<int16_t>(ErrorCode::InvalidConfig));
  EXPECT_EQ(alter({{"retention.ms", 2, "5", {}}}).error_code,
            static_cast<int16_t>(ErrorCode::InvalidConfig))
      << "APPEND on a non-list config";
}

TEST_F(ConfigsTest, AlterConfigsReplacesAllOverrides) {
  auto c = connect();
  AlterConfigsRequest request;
  request.resources.push_back({kTopic, "t", {{"retention.bytes", "5000", {}}}, {}});
  EXPECT_EQ(c.request<AlterConfigsApi>(request, 2).responses.at(0).error_code, 0);
  auto result = describe(kTopic, "t");
  EXPECT_EQ(entry(result, "retention.bytes").value, "5000");
  EXPECT_EQ(entry(result, "cleanup.policy").value, "delete") << "the old override is gone";
}

TEST_F(ConfigsTest, ConfigsTakeEffect) {
  auto c = connect();
  IncrementalAlterConfigsRequest request;
  request.resources.push_back({kTopic, "t", {{"max.message.bytes", 0, "100", {}}}, {}});
  ASSERT_EQ(c.request<IncrementalAlterConfigsApi>(request, 1).responses.at(0).error_code, 0);
  EXPECT_EQ(produce(c, "t", 0, make_batch(10)).error_code,
            static_cast<int16_t>(ErrorCode::MessageTooLarge));
}

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
  EXPECT_EQ(response.topics[0].error_code, 0);
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
  EXPECT_EQ(response.topics[1].error_code, static_cast<int16_t>(ErrorCode::InvalidConfig));
}

}  // namespace
}  // namespace kafkalite::testing
