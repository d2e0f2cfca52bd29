// Storage failures are fail-stop: a write the store refuses changes nothing in
// memory, is answered with Kafka's error for it (KAFKA_STORAGE_ERROR for a
// produce), and stops the broker, as Kafka stops when its only log directory
// fails. Nothing acknowledged is lost.
#include <future>

#include "broker/log/partition_log.h"
#include "tests/broker/faulty_store.h"
#include "tests/broker/group_fixture.h"

namespace kafkalite::testing {
namespace {

TEST(StorageFailure, AFailedAppendChangesNothingInMemory) {
  auto control = std::make_shared<FaultyStore::Control>();
  FaultyStore store(control);
  wire::Uuid topic_id;
  topic_id.bytes[0] = 1;
  log::PartitionLog log(store, topic_id, 0);
  std::vector<storage::Access> heard;
  store.on_failure([&](storage::Access access, const std::string&) { heard.push_back(access); });
  const wire::Bytes first = make_batch(3, {}, 7, 0, 0);
  ASSERT_EQ(log.append(first, header_of(first), -1, 0).error, ErrorCode::None);

  control->writes_left = 0;  // the disk is full from here on
  const wire::Bytes second = make_batch(2, {}, 7, 0, 3);
  EXPECT_EQ(log.append(second, header_of(second), -1, 0).error, ErrorCode::KafkaStorageError);
  EXPECT_EQ(heard, std::vector<storage::Access>{storage::Access::kWriting});  // heard once
  EXPECT_EQ(log.log_end_offset(), 3);
  EXPECT_EQ(log.producers().at(7).batches.size(), 1u);
  // The producer's retry is not taken for a duplicate of a batch never stored.
  auto retry = log.append(second, header_of(second), -1, 0);
  EXPECT_EQ(retry.error, ErrorCode::KafkaStorageError);
  EXPECT_EQ(retry.base_offset, -1);
  EXPECT_FALSE(log.delete_records_before(2) == std::nullopt);
  EXPECT_EQ(log.log_start_offset(), 0);

  // Memory and disk agree.
  log::PartitionLog reloaded(*control->data, topic_id, 0);
  EXPECT_EQ(reloaded.log_end_offset(), log.log_end_offset());
  EXPECT_EQ(reloaded.size_bytes(), log.size_bytes());
  EXPECT_EQ(reloaded.producers().at(7).batches.size(), 1u);
}

// Waits for the broker's thread to end: stop() must return even though the
// broker stopped itself in the middle of a request.
void expect_stops(EmbeddedBroker& broker) {
  auto stopped = std::async(std::launch::async, [&] { broker.stop(); });
  ASSERT_EQ(stopped.wait_for(std::chrono::seconds(20)), std::future_status::ready)
      << "the broker did not stop after its store failed";
}

TEST(StorageFailure, ProduceGetsKafkaStorageErrorAndTheBrokerStops) {
  auto control = std::make_shared<FaultyStore::Control>();
  auto broker = EmbeddedBroker::start(faulty_options(control));
  broker->create_topic("full", 1);
  client::Connection c(broker->bootstrap());
  client::Connection bystander(broker->bootstrap());
  const int64_t pid = c.request<InitProducerIdApi>(idempotent_init_request(), 4).producer_id.value();
  int64_t acknowledged = 0;
  for (int32_t i = 0; i < 5; ++i) {
    auto out = produce(c, "full", 0, make_batch(2, {}, pid, 0, i * 2));
    ASSERT_EQ(out.error_code, ErrorCode::None);
    ASSERT_EQ(out.base_offset, acknowledged);
    acknowledged += 2;
  }
  control->writes_left = 0;
  auto failed = produce(c, "full", 0, make_batch(2, {}, pid, 0, 10));
  EXPECT_EQ(failed.error_code, ErrorCode::KafkaStorageError);
  EXPECT_EQ(failed.base_offset, -1);
  // Then the broker shuts down: every connection closes.
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(20)));
  EXPECT_TRUE(bystander.closed_by_peer(std::chrono::seconds(20)));
  expect_stops(*broker);

  // Restarted on what was stored: everything acknowledged is there, and the
  // producer's retry of the refused batch is appended, not a duplicate.
  control->writes_left = -1;
  auto restarted = EmbeddedBroker::start(faulty_options(control));
  client::Connection again(restarted->bootstrap());
  auto data = fetch(again, "full", 0, 0);
  EXPECT_EQ(data.high_watermark, acknowledged);
  EXPECT_EQ(records_of(data.records).size(), static_cast<size_t>(acknowledged));
  auto retry = produce(again, "full", 0, make_batch(2, {}, pid, 0, 10));
  EXPECT_EQ(retry.error_code, ErrorCode::None);
  EXPECT_EQ(retry.base_offset, acknowledged);
}

TEST(StorageFailure, AParkedJoinDoesNotKeepAFailedBrokerAlive) {
  auto control = std::make_shared<FaultyStore::Control>();
  auto broker = EmbeddedBroker::start(faulty_options(control, {{"group.initial.rebalance.delay.ms", "60000"}}));
  broker->create_topic("t", 1);
  client::Connection member(broker->bootstrap());
  auto first = member.request<JoinGroupApi>(join_request("g", ""), 9);
  ASSERT_EQ(first.error_code, ErrorCode::MemberIdRequired);
  member.send_frame(encode_request_frame<JoinGroupApi>(join_request("g", first.member_id), 9, 99, "m"));
  ASSERT_FALSE(member.readable_within(std::chrono::milliseconds(200)));  // parked for the initial delay
  control->writes_left = 0;
  client::Connection c(broker->bootstrap());
  EXPECT_EQ(produce(c, "t", 0, make_batch(1)).error_code, ErrorCode::KafkaStorageError);
  expect_stops(*broker);
}

TEST(StorageFailure, DeleteTopicsRemovesTopicAndOffsetsInOneWrite) {
  auto control = std::make_shared<FaultyStore::Control>();
  {
    auto broker = EmbeddedBroker::start(faulty_options(control));
    broker->create_topic("gone", 2);
    client::Connection c(broker->bootstrap());
    ASSERT_EQ(commit(c, "g1", -1, "", "gone", 4), ErrorCode::None);
    ASSERT_EQ(commit(c, "g2", -1, "", "gone", 5), ErrorCode::None);
    DeleteTopicsRequest del;
    del.topic_names = {"gone"};
    control->writes_left = 0;  // the one write deleting the topic fails
    auto out = c.request<DeleteTopicsApi>(del, 5);
    EXPECT_NE(out.responses.at(0).error_code, ErrorCode::None);
    expect_stops(*broker);
  }
  // Neither the topic nor its offsets went.
  control->writes_left = -1;
  {
    auto broker = EmbeddedBroker::start(faulty_options(control));
    client::Connection c(broker->bootstrap());
    EXPECT_EQ(metadata(c, {"gone"}, false).topics.at(0).error_code, ErrorCode::None);
    OffsetFetchRequest fetch_offsets;
    fetch_offsets.group_id = "g1";
    fetch_offsets.topics = std::nullopt;
    auto offsets = c.request<OffsetFetchApi>(fetch_offsets, 7);
    ASSERT_EQ(offsets.topics.size(), 1u);
    EXPECT_EQ(offsets.topics.at(0).partitions.at(0).committed_offset, 4);

    // Deleting it takes exactly one write, with both groups' offsets.
    const int64_t before = control->writes;
    DeleteTopicsRequest del;
    del.topic_names = {"gone"};
    EXPECT_EQ(c.request<DeleteTopicsApi>(del, 5).responses.at(0).error_code, ErrorCode::None);
    EXPECT_EQ(control->writes - before, 1);
    fetch_offsets.group_id = "g2";
    EXPECT_TRUE(c.request<OffsetFetchApi>(fetch_offsets, 7).topics.empty());
  }
}

}  // namespace
}  // namespace kafkalite::testing
