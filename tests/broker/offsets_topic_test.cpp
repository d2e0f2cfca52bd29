// __consumer_offsets: made by the first FindCoordinator for a group, internal,
// closed to clients' writes, and holding the group coordinator's records in
// Kafka's format — which the log cleaner compacts like any compacted topic.
#include "common/java_hash.h"
#include "common/protocol/generated/coordinator_records.h"
#include "tests/broker/group_fixture.h"

namespace kafkalite::testing {
namespace {

constexpr const char* kOffsets = "__consumer_offsets";

class OffsetsTopicTest : public GroupTest {
 protected:
  EmbeddedBroker::Options options() override {
    // Small segments, so the cleaner has closed ones to compact.
    return {"",
            {{"group.initial.rebalance.delay.ms", "0"},
             {"offsets.topic.segment.bytes", "200"},
             {"log.cleaner.min.compaction.lag.ms", "0"}}};
  }
};

FindCoordinatorResponse find_group(client::Connection& c, const std::string& group) {
  FindCoordinatorRequest r;
  r.key_type = 0;
  r.coordinator_keys = {group};
  return c.request<FindCoordinatorApi>(r, 4);
}

struct Decoded {
  int16_t type = -1;
  std::string group;
  std::string topic;
  int64_t offset = -1;     // an offset commit's
  int32_t generation = -1;  // group metadata's
  size_t members = 0;
  bool tombstone = false;
};

Decoded decode(const records::Record& record) {
  Decoded d;
  wire::Reader key(*record.key);
  d.type = key.read_int16();
  d.tombstone = !record.value;
  static const wire::Bytes kNone;
  wire::Reader value(record.value ? *record.value : kNone);
  const int16_t version = record.value ? value.read_int16() : -1;
  if (d.type == 1) {
    protocol::OffsetCommitKey k;
    EXPECT_TRUE(k.decode(key, 0));
    d.group = k.group;
    d.topic = k.topic;
    if (record.value) {
      protocol::OffsetCommitValue v;
      EXPECT_EQ(version, 4);
      EXPECT_TRUE(v.decode(value, version));
      d.offset = v.offset;
    }
  } else if (d.type == 2) {
    protocol::GroupMetadataKey k;
    EXPECT_TRUE(k.decode(key, 0));
    d.group = k.group;
    if (record.value) {
      protocol::GroupMetadataValue v;
      EXPECT_EQ(version, 3);
      EXPECT_TRUE(v.decode(value, version));
      d.generation = v.generation;
      d.members = v.members.size();
    }
  }
  return d;
}

std::vector<Decoded> group_records(client::Connection& c, const std::string& group) {
  const int32_t partition = java::partition_for(group, 50);
  std::vector<Decoded> out;
  // A fetch reads one segment: read on until the high watermark.
  int64_t next = 0;
  for (;;) {
    const auto data = fetch(c, kOffsets, partition, next);
    const auto records = records_of(data.records);
    for (const auto& [offset, record] : records) out.push_back(decode(record));
    if (records.empty() || records.back().first + 1 >= data.high_watermark) break;
    next = records.back().first + 1;
  }
  return out;
}

TEST_F(OffsetsTopicTest, TheFirstFindCoordinatorMakesItInternal) {
  auto c = connect();
  EXPECT_TRUE(metadata(c, {}, false).topics.empty());
  auto first = find_group(c, "g");
  EXPECT_EQ(first.coordinators.at(0).error_code, ErrorCode::CoordinatorNotAvailable);
  auto second = find_group(c, "g");
  EXPECT_EQ(second.coordinators.at(0).error_code, ErrorCode::None);
  auto md = metadata(c, {kOffsets}, false);
  ASSERT_EQ(md.topics.size(), 1u);
  EXPECT_TRUE(md.topics[0].is_internal);
  EXPECT_EQ(md.topics[0].partitions.size(), 50u);
  // Clients may read it but not write to it.
  const int32_t partition = java::partition_for("g", 50);
  EXPECT_EQ(produce(c, kOffsets, partition, make_batch(1)).error_code, ErrorCode::InvalidTopicException);
}

TEST_F(OffsetsTopicTest, AGroupsLifeInKafkasRecords) {
  auto c = connect();
  find_group(c, "g");
  broker_->create_topic("t", 1);
  const auto joined = join_alone(c, "g");
  ASSERT_EQ(commit(c, "g", joined.generation_id, joined.member_id, "t", 5), ErrorCode::None);
  LeaveGroupRequest leave;
  leave.group_id = GroupId("g");
  leave.members.push_back({joined.member_id, std::nullopt, std::nullopt, {}});
  ASSERT_EQ(c.request<LeaveGroupApi>(leave, 5).error_code, ErrorCode::None);
  DeleteGroupsRequest del;
  del.groups_names = {GroupId("g")};
  ASSERT_EQ(c.request<DeleteGroupsApi>(del, 2).results.at(0).error_code, ErrorCode::None);

  const auto records = group_records(c, "g");
  ASSERT_EQ(records.size(), 6u);
  // A new group (generation 0), the leader's assignment (generation 1, one
  // member), the commit, the emptied group (generation 2), then the
  // deletion: the offset's tombstone before the group's.
  EXPECT_EQ(records[0].type, 2);
  EXPECT_EQ(records[0].generation, 0);
  EXPECT_EQ(records[1].generation, 1);
  EXPECT_EQ(records[1].members, 1u);
  EXPECT_EQ(records[2].type, 1);
  EXPECT_EQ(records[2].offset, 5);
  EXPECT_EQ(records[2].topic, "t");
  EXPECT_EQ(records[3].generation, 2);
  EXPECT_EQ(records[3].members, 0u);
  EXPECT_TRUE(records[4].tombstone);
  EXPECT_EQ(records[4].type, 1);
  EXPECT_TRUE(records[5].tombstone);
  EXPECT_EQ(records[5].type, 2);
}

TEST_F(OffsetsTopicTest, TheCleanerKeepsTheNewestRecordPerKey) {
  auto c = connect();
  find_group(c, "g");
  broker_->create_topic("t", 1);
  for (int64_t offset = 1; offset <= 20; ++offset) ASSERT_EQ(commit(c, "g", -1, "", "t", offset), ErrorCode::None);
  EXPECT_EQ(group_records(c, "g").size(), 20u);
  EXPECT_GE(broker_->clean_logs(), 1u);
  const auto after = group_records(c, "g");
  // The cleaned segments keep only their newest commit, the one just before
  // the active segment, which is never cleaned: what is left is the last
  // commits, consecutive.
  ASSERT_LT(after.size(), 20u);
  ASSERT_GE(after.size(), 2u);
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].offset, 20 - static_cast<int64_t>(after.size() - 1 - i));
  }
  EXPECT_EQ(committed_offset(c, "g", "t"), 20);
}

TEST_F(OffsetsTopicTest, AWaitingFetchWakesForTheCoordinatorsRecords) {
  auto c = connect();
  find_group(c, "g");
  broker_->create_topic("t", 1);
  const int32_t partition = java::partition_for("g", 50);
  // A consumer of __consumer_offsets waits (up to 100 s) for records...
  auto reader = connect();
  const FetchRequest request = fetch_request(kOffsets, partition, 0, 100000);
  reader.send_frame(protocol::encode_request_frame<FetchApi>(request, 12, 1, "reader"));
  // ...and is parked: the broker answers nothing on that connection yet.
  ASSERT_FALSE(reader.readable_within(std::chrono::milliseconds(200)));
  // A commit writes a record there: the fetch answers at once with it.
  ASSERT_EQ(commit(c, "g", -1, "", "t", 1), ErrorCode::None);
  ASSERT_TRUE(reader.readable_within(std::chrono::milliseconds(10000)));
  FetchResponse response;
  protocol::ResponseHeader header;
  std::string error;
  ASSERT_TRUE(protocol::decode_response_frame<FetchApi>(reader.receive_frame(), 12, header, response, error)) << error;
  EXPECT_EQ(records_of(response.responses.at(0).partitions.at(0).records).size(), 1u);
}

}  // namespace
}  // namespace kafkalite::testing
