// DeleteTopics: by name and by id; a re-created topic starts empty.
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

TEST_F(BrokerTest, DeleteTopicsByNameAndId) {
  broker_->create_topic("gone");
  broker_->create_topic("gone-too");
  auto c = connect();
  DeleteTopicsRequest by_name;
  by_name.topic_names = {"gone", "never-was"};
  auto response = c.request<DeleteTopicsApi>(by_name, 5);
  ASSERT_EQ(response.responses.size(), 2u);
  EXPECT_EQ(response.responses[0].error_code, ErrorCode::None);
  EXPECT_EQ(response.responses[1].error_code, ErrorCode::UnknownTopicOrPartition);

  const auto id = metadata(c, {"gone-too"}).topics[0].topic_id;
  DeleteTopicsRequest by_id;
  by_id.topics.push_back({std::nullopt, id, {}});
  by_id.topics.push_back({std::nullopt, wire::Uuid{{7}}, {}});
  auto by_id_response = c.request<DeleteTopicsApi>(by_id, 6);
  EXPECT_EQ(by_id_response.responses[0].error_code, ErrorCode::None);
  EXPECT_EQ(by_id_response.responses[0].name, "gone-too");
  EXPECT_EQ(by_id_response.responses[1].error_code, ErrorCode::UnknownTopicId);
  EXPECT_EQ(metadata(c, {"gone-too"}, false).topics[0].error_code,
            ErrorCode::UnknownTopicOrPartition);
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

}  // namespace
}  // namespace kafkalite::testing
