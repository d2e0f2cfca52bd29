// CreateTopics: creation, validation, and every error Kafka gives.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

CreateTopicsRequest::CreatableTopic topic(const std::string& name, int32_t partitions = 1,
                                          int16_t replication = -1) {
  CreateTopicsRequest::CreatableTopic t;
  t.name = TopicName(name);
  t.num_partitions = partitions;
  t.replication_factor = replication;
  return t;
}

ErrorCode create_error(client::Connection& c, CreateTopicsRequest::CreatableTopic t,
                     bool validate_only = false) {
  CreateTopicsRequest request;
  request.topics.push_back(std::move(t));
  request.validate_only = validate_only;
  auto response = c.request<CreateTopicsApi>(request, 7);
  EXPECT_EQ(response.topics.size(), 1u);
  return response.topics.at(0).error_code;
}

TEST_F(BrokerTest, CreateTopicsSuccessAndErrors) {
  auto c = connect();
  CreateTopicsRequest request;
  request.topics.push_back(topic("orders", 3));
  auto response = c.request<CreateTopicsApi>(request, 7);
  ASSERT_EQ(response.topics.size(), 1u);
  EXPECT_EQ(response.topics[0].error_code, ErrorCode::None);
  EXPECT_EQ(response.topics[0].num_partitions, 3);
  EXPECT_EQ(response.topics[0].replication_factor, 1);
  EXPECT_FALSE(response.topics[0].topic_id.is_zero());

  auto err = [](ErrorCode code) { return code; };
  EXPECT_EQ(create_error(c, topic("orders")), err(ErrorCode::TopicAlreadyExists));
  EXPECT_EQ(create_error(c, topic("bad name!")), err(ErrorCode::InvalidTopicException));
  CreateTopicsRequest bad;
  bad.topics.push_back(topic("bad$"));
  // Kafka 4.1.1's controller says exactly this (checked against the real broker).
  EXPECT_EQ(c.request<CreateTopicsApi>(bad, 7).topics.at(0).error_message,
            "Topic name is invalid: 'bad$' contains one or more characters other than ASCII "
            "alphanumerics, '.', '_' and '-'");
  EXPECT_EQ(create_error(c, topic("")), err(ErrorCode::InvalidTopicException));
  EXPECT_EQ(create_error(c, topic(std::string(250, 'a'))), err(ErrorCode::InvalidTopicException));
  EXPECT_EQ(create_error(c, topic("zero", 0)), err(ErrorCode::InvalidPartitions));
  EXPECT_EQ(create_error(c, topic("rf3", 1, 3)), err(ErrorCode::InvalidReplicationFactor));
  // Huge partition counts are refused before anything is allocated, as Kafka's
  // controller refuses them (10000 records per operation).
  EXPECT_EQ(create_error(c, topic("huge", 2000000000)), err(ErrorCode::PolicyViolation));
  EXPECT_EQ(create_error(c, topic("big", 10000)), err(ErrorCode::PolicyViolation));
  EXPECT_EQ(create_error(c, topic("largest", 9999), true), ErrorCode::None);
  EXPECT_EQ(create_error(c, topic("rf0", 1, 0)), err(ErrorCode::InvalidReplicationFactor));
  broker_->create_topic("a.b");
  EXPECT_EQ(create_error(c, topic("a_b")), err(ErrorCode::InvalidTopicException)) << "collision";
  EXPECT_EQ(create_error(c, topic("checked", 2), true), ErrorCode::None);
  EXPECT_EQ(metadata(c, {"checked"}, false).topics[0].error_code,
            err(ErrorCode::UnknownTopicOrPartition))
      << "validate_only creates nothing";
}

TEST_F(BrokerTest, CreateTopicsDuplicateNameIsInvalidRequest) {
  auto c = connect();
  CreateTopicsRequest request;
  request.topics = {topic("dup"), topic("dup")};
  auto response = c.request<CreateTopicsApi>(request, 7);
  ASSERT_EQ(response.topics.size(), 1u);
  EXPECT_EQ(response.topics[0].error_code, ErrorCode::InvalidRequest);
  EXPECT_EQ(metadata(c, {"dup"}, false).topics[0].error_code,
            ErrorCode::UnknownTopicOrPartition);
}

}  // namespace
}  // namespace kafkalite::testing
