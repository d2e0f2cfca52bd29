// The internal topics on a fresh broker: neither exists until a client asks
// for its coordinator, which creates it and is told COORDINATOR_NOT_AVAILABLE
// that once; then Metadata lists them as internal with 50 partitions, their
// configs are the coordinators', clients may not write to them, and
// __consumer_offsets holds the group coordinator's records in Kafka's format
// (read here with the generated codec, times masked) — also after a restart,
// which the group's committed offsets survive.
#include "common/java_hash.h"
#include "tests/crosscheck/offsets_records.h"
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

constexpr const char* kOffsetsTopic = "__consumer_offsets";
constexpr const char* kTxnTopic = "__transaction_state";

FindCoordinatorRequest find_request(int8_t key_type, const std::string& key) {
  FindCoordinatorRequest request;
  request.key_type = key_type;
  request.key = key;
  request.coordinator_keys = {key};
  return request;
}

DescribeConfigsRequest topic_configs(const std::string& topic) {
  DescribeConfigsRequest request;
  auto& r = request.resources.emplace_back();
  r.resource_type = 2;  // TOPIC
  r.resource_name = topic;
  return request;
}


}  // namespace

CROSSCHECK_RESTART_SCENARIO(internal_topics_on_demand) {
  const std::string topic = s.name("t"), group = s.name("g"), txn = s.name("txn");
  const int32_t group_partition = java::partition_for(group, 50);
  s.call<MetadataApi>("a fresh broker: no topics", metadata_request(std::nullopt));
  s.call<FindCoordinatorApi>("the first ask for a group coordinator", find_request(0, group));
  await_group_coordinator(s, {group});
  s.call<FindCoordinatorApi>("asked again", find_request(0, group));
  s.call<MetadataApi>("__consumer_offsets is there, internal", metadata_request(std::vector<std::string>{kOffsetsTopic}));
  s.call<DescribeConfigsApi>("its configs", topic_configs(kOffsetsTopic));

  s.call<FindCoordinatorApi>("the first ask for a transaction coordinator (v3)", find_request(1, txn), 3);
  Session::poll([&] { return s.quiet<FindCoordinatorApi>(find_request(1, txn), 3).error_code == ErrorCode::None; });
  s.await_topic(kTxnTopic, 50);
  s.call<MetadataApi>("__transaction_state too", metadata_request(std::vector<std::string>{kTxnTopic}));
  s.call<DescribeConfigsApi>("its configs", topic_configs(kTxnTopic));

  s.create_topic(topic, 1);
  s.call<OffsetCommitApi>("a simple group commits 2", commit_request(group, -1, "", topic, 2));
  s.call<OffsetCommitApi>("and then 3", commit_request(group, -1, "", topic, 3));
  s.call<ProduceApi>("a client cannot write to it", produce_request(s, kOffsetsTopic, group_partition, s.batch(1)));
  DeleteRecordsRequest del;
  auto& dt = del.topics.emplace_back();
  dt.name = TopicName(kOffsetsTopic);
  dt.partitions.push_back({group_partition, 0, {}});
  del.timeout_ms = 30000;
  s.call<DeleteRecordsApi>("nor delete its records", del);
  s.note("the group's records", offsets_batches(s.quiet<FetchApi>(fetch_request(s, kOffsetsTopic, group_partition, 0))));

  s.restart_broker();
  await_group_coordinator(s, {group});
  s.call<MetadataApi>("after a restart: still internal",
                      metadata_request(std::vector<std::string>{kOffsetsTopic, kTxnTopic}));
  OffsetFetchRequest offsets;
  auto& g = offsets.groups.emplace_back();
  g.group_id = GroupId(group);
  g.topics = std::nullopt;
  s.call<OffsetFetchApi>("the group's offsets, rebuilt", offsets);
  s.note("its records after the restart",
         offsets_batches(s.quiet<FetchApi>(fetch_request(s, kOffsetsTopic, group_partition, 0))));
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {

// On fresh brokers (a restart scenario's, though it never restarts): a
// Metadata request with auto-creation that names an internal topic makes it
// as its coordinator would, answered UNKNOWN_TOPIC_OR_PARTITION and already
// internal.
CROSSCHECK_RESTART_SCENARIO(internal_topics_by_metadata) {
  s.call<MetadataApi>("named, with auto-creation",
                      metadata_request(std::vector<std::string>{kOffsetsTopic, kTxnTopic}, true));
  s.await_topic(kOffsetsTopic, 50);
  s.await_topic(kTxnTopic, 50);
  s.call<MetadataApi>("made", metadata_request(std::vector<std::string>{kOffsetsTopic, kTxnTopic}));
  s.call<DescribeConfigsApi>("with the coordinators' configs", topic_configs(kOffsetsTopic));
  s.call<DescribeConfigsApi>("both", topic_configs(kTxnTopic));
}

}  // namespace kafkalite::crosscheck
