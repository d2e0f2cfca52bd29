// CreateTopics, DeleteTopics, CreatePartitions, Metadata and DescribeCluster:
// the topic lifecycle and its error paths.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

CreateTopicsRequest::CreatableTopic topic(const std::string& name, int32_t partitions = 1,
                                          int16_t replication = -1) {
  CreateTopicsRequest::CreatableTopic t;
  t.name = name;
  t.num_partitions = partitions;
  t.replication_factor = replication;
  return t;
}

int16_t create_error(client::Connection& c, CreateTopicsRequest::CreatableTopic t,
                     bool validate_only = false) {
  CreateTopicsRequest request;
  request.topics.push_back(std::move(t));
  request.validate_only = validate_only;
  auto response = c.request<CreateTopicsApi>(request, 7);
  EXPECT_EQ(response.topics.size(), 1u);
  return response.topics.at(0).error_code;
}

MetadataResponse metadata(client::Connection& c, std::vector<std::string> names, bool auto_create = true) {
  MetadataRequest request;
  request.topics.emplace();
  for (auto& n : names) request.topics->push_back({wire::Uuid{}, n, {}});
  request.allow_auto_topic_creation = auto_create;
  return c.request<MetadataApi>(request, 12);
}

TEST_F(BrokerTest, CreateTopicsSuccessAndErrors) {
  auto c = connect();
  CreateTopicsRequest request;
  request.topics.push_back(topic("orders", 3));
  auto response = c.request<CreateTopicsApi>(request, 7);
  ASSERT_EQ(response.topics.size(), 1u);
  EXPECT_EQ(response.topics[0].error_code, 0);
  EXPECT_EQ(response.topics[0].num_partitions, 3);
  EXPECT_EQ(response.topics[0].replication_factor, 1);
  EXPECT_FALSE(response.topics[0].topic_id.is_zero());

  auto err = [](ErrorCode code) { return static_cast<int16_t>(code); };
  EXPECT_EQ(create_error(c, topic("orders")), err(ErrorCode::TopicAlreadyExists));
  EXPECT_EQ(create_error(c, topic("bad name!")), err(ErrorCode::InvalidTopicException));
  EXPECT_EQ(create_error(c, topic("")), err(ErrorCode::InvalidTopicException));
  EXPECT_EQ(create_error(c, topic(std::string(250, 'a'))), err(ErrorCode::InvalidTopicException));
  EXPECT_EQ(create_error(c, topic("zero", 0)), err(ErrorCode::InvalidPartitions));
  EXPECT_EQ(create_error(c, topic("rf3", 1, 3)), err(ErrorCode::InvalidReplicationFactor));
  EXPECT_EQ(create_error(c, topic("rf0", 1, 0)), err(ErrorCode::InvalidReplicationFactor));
  broker_->create_topic("a.b");
  EXPECT_EQ(create_error(c, topic("a_b")), err(ErrorCode::InvalidTopicException)) << "collision";
  EXPECT_EQ(create_error(c, topic("checked", 2), true), 0);
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
  EXPECT_EQ(response.topics[0].error_code, static_cast<int16_t>(ErrorCode::InvalidRequest));
  EXPECT_EQ(metadata(c, {"dup"}, false).topics[0].error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(BrokerTest, MetadataAutoCreatesWithLeaderNotAvailableFirst) {
  auto c = connect();
  auto first = metadata(c, {"auto"});
  ASSERT_EQ(first.topics.size(), 1u);
  EXPECT_EQ(first.topics[0].error_code, static_cast<int16_t>(ErrorCode::LeaderNotAvailable));
  auto second = metadata(c, {"auto"});
  EXPECT_EQ(second.topics[0].error_code, 0);
  ASSERT_EQ(second.topics[0].partitions.size(), 1u) << "num.partitions defaults to 1";
  const auto& p = second.topics[0].partitions[0];
  EXPECT_EQ(p.leader_id, 1);
  EXPECT_EQ(p.replica_nodes, std::vector<int32_t>{1});
  EXPECT_EQ(p.isr_nodes, std::vector<int32_t>{1});
  ASSERT_EQ(second.brokers.size(), 1u);
  EXPECT_EQ(second.brokers[0].node_id, 1);
  EXPECT_EQ(second.brokers[0].port, broker_->port());
  EXPECT_EQ(second.controller_id, 1);
  EXPECT_TRUE(second.cluster_id.has_value());
}

TEST_F(BrokerTest, MetadataErrors) {
  auto c = connect();
  EXPECT_EQ(metadata(c, {"no_auto"}, false).topics[0].error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
  EXPECT_EQ(metadata(c, {"bad/name"}).topics[0].error_code,
            static_cast<int16_t>(ErrorCode::InvalidTopicException));
  MetadataRequest by_id;
  by_id.topics.emplace().push_back({wire::Uuid{{9, 9, 9}}, std::nullopt, {}});
  EXPECT_EQ(c.request<MetadataApi>(by_id, 12).topics[0].error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicId));
}

TEST_F(BrokerTest, MetadataNullTopicsListsAll) {
  broker_->create_topic("one");
  broker_->create_topic("two", 2);
  auto c = connect();
  MetadataRequest all;
  all.topics = std::nullopt;
  auto response = c.request<MetadataApi>(all, 12);
  EXPECT_EQ(response.topics.size(), 2u);
}

TEST_F(BrokerTest, DeleteTopicsByNameAndId) {
  broker_->create_topic("gone");
  broker_->create_topic("gone-too");
  auto c = connect();
  DeleteTopicsRequest by_name;
  by_name.topic_names = {"gone", "never-was"};
  auto response = c.request<DeleteTopicsApi>(by_name, 5);
  ASSERT_EQ(response.responses.size(), 2u);
  EXPECT_EQ(response.responses[0].error_code, 0);
  EXPECT_EQ(response.responses[1].error_code, static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));

  const auto id = metadata(c, {"gone-too"}).topics[0].topic_id;
  DeleteTopicsRequest by_id;
  by_id.topics.push_back({std::nullopt, id, {}});
  by_id.topics.push_back({std::nullopt, wire::Uuid{{7}}, {}});
  auto by_id_response = c.request<DeleteTopicsApi>(by_id, 6);
  EXPECT_EQ(by_id_response.responses[0].error_code, 0);
  EXPECT_EQ(by_id_response.responses[0].name, "gone-too");
  EXPECT_EQ(by_id_response.responses[1].error_code, static_cast<int16_t>(ErrorCode::UnknownTopicId));
  EXPECT_EQ(metadata(c, {"gone-too"}, false).topics[0].error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(BrokerTest, RecreatedTopicStartsEmpty) {
  broker_->create_topic("again");
  auto c = connect();
  produce(c, "again", 0, make_batch(3));
  DeleteTopicsRequest del;
  del.topic_names = {"again"};
  c.request<DeleteTopicsApi>(del, 5);
  broker_->create_topic("again");
  EXPECT_EQ(produce(c, "again", 0, make_batch(1)).base_offset, 0);
}

TEST_F(BrokerTest, CreatePartitionsGrowsOnly) {
  broker_->create_topic("grow", 2);
  auto c = connect();
  auto result = [&](int32_t count) {
    CreatePartitionsRequest request;
    request.topics.push_back({"grow", count, std::nullopt, {}});
    return c.request<CreatePartitionsApi>(request, 3).results.at(0).error_code;
  };
  EXPECT_EQ(result(1), static_cast<int16_t>(ErrorCode::InvalidPartitions));
  EXPECT_EQ(result(2), static_cast<int16_t>(ErrorCode::InvalidPartitions));
  EXPECT_EQ(result(4), 0);
  EXPECT_EQ(metadata(c, {"grow"}).topics[0].partitions.size(), 4u);
  EXPECT_EQ(produce(c, "grow", 3, make_batch(1)).error_code, 0);
  CreatePartitionsRequest missing;
  missing.topics.push_back({"nope", 3, std::nullopt, {}});
  EXPECT_EQ(c.request<CreatePartitionsApi>(missing, 3).results.at(0).error_code,
            static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition));
}

TEST_F(BrokerTest, DescribeClusterShowsTheOneBroker) {
  auto c = connect();
  auto response = c.request<DescribeClusterApi>(DescribeClusterRequest{}, 2);
  EXPECT_EQ(response.error_code, 0);
  ASSERT_EQ(response.brokers.size(), 1u);
  EXPECT_EQ(response.brokers[0].broker_id, 1);
  EXPECT_EQ(response.brokers[0].port, broker_->port());
  EXPECT_FALSE(response.cluster_id.empty());
  EXPECT_EQ(response.controller_id, 1);
}

}  // namespace
}  // namespace kafkalite::testing
