// A broker with some broker-level settings and a topic with an override,
// for the config APIs' tests.
#pragma once

#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {

constexpr int8_t kTopic = 2, kBroker = 4;
constexpr int8_t kTopicConfig = 1, kStaticBroker = 4, kDefault = 5;

using ConfigEntry = DescribeConfigsResponse::DescribeConfigsResult::DescribeConfigsResourceResult;

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
  static const ConfigEntry& entry(const DescribeConfigsResponse::DescribeConfigsResult& r,
                            const std::string& name) {
    for (const auto& e : r.configs) {
      if (e.name == name) return e;
    }
    throw std::runtime_error("no config " + name);
  }
};

}  // namespace kafkalite::testing
