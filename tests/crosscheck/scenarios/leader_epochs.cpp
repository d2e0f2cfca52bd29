// Leader epochs (KIP-101, KIP-320) as a single node shows them: 0 for a new
// partition, two more after every restart (fenced, then unfenced), in
// Metadata, ListOffsets, the batches written, and OffsetForLeaderEpoch's
// epoch cache; a client's stale or future current_leader_epoch refused.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

OffsetForLeaderEpochRequest epoch_request(const std::string& topic, std::vector<int32_t> epochs, int32_t current,
                                          int32_t partition = 0) {
  OffsetForLeaderEpochRequest request;
  request.replica_id = BrokerId(-1);
  auto& t = request.topics.emplace_back();
  t.topic = TopicName(topic);
  for (int32_t epoch : epochs) t.partitions.push_back({partition, current, epoch, {}});
  return request;
}

ListOffsetsRequest list_offsets_at(const std::string& topic, int64_t timestamp, int32_t current) {
  auto request = list_offsets_request(topic, 0, timestamp);
  request.topics[0].partitions[0].current_leader_epoch = current;
  return request;
}

void epochs_seen(Session& s, const std::string& label, const std::string& topic, int32_t current,
                 const std::vector<int32_t>& epochs) {
  s.call<MetadataApi>(label + ": metadata", metadata_request(std::vector<std::string>{topic}));
  s.call<OffsetForLeaderEpochApi>(label + ": end offsets", epoch_request(topic, epochs, current));
  s.call<OffsetForLeaderEpochApi>(label + ": end offsets, no current epoch", epoch_request(topic, epochs, -1));
  for (int64_t at : {int64_t{-1}, int64_t{-2}, int64_t{-3}}) {
    s.call<ListOffsetsApi>(label + ": list offsets at " + std::to_string(at), list_offsets_at(topic, at, current));
  }
}

}  // namespace

CROSSCHECK_SCENARIO(offset_for_leader_epoch, "") {
  const std::string topic = s.name("e");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("3 records", produce_request(s, topic, 0, s.batch(3)));
  for (int16_t v = OffsetForLeaderEpochApi::min_version; v <= OffsetForLeaderEpochApi::max_stable_version; ++v) {
    const auto suffix = ", v" + std::to_string(v);
    s.call<OffsetForLeaderEpochApi>("epochs -1, 0, 1, 7" + suffix, epoch_request(topic, {-1, 0, 1, 7}, -1), v);
    s.call<OffsetForLeaderEpochApi>("current epoch 0" + suffix, epoch_request(topic, {0}, 0), v);
    s.call<OffsetForLeaderEpochApi>("current epoch 1 (the future)" + suffix, epoch_request(topic, {0}, 1), v);
    s.call<OffsetForLeaderEpochApi>("unknown partition" + suffix, epoch_request(topic, {0}, -1, 4), v);
    s.call<OffsetForLeaderEpochApi>("unknown topic" + suffix, epoch_request(s.name("missing"), {0}, -1), v);
  }
  auto fenced = fetch_request(s, topic, 0, 0);
  fenced.topics[0].partitions[0].current_leader_epoch = 3;
  s.call<FetchApi>("fetch with a future current epoch", fenced);
  s.call<ListOffsetsApi>("list offsets with a future current epoch", list_offsets_at(topic, -1, 3));
}

CROSSCHECK_RESTART_SCENARIO(leader_epochs_after_restarts) {
  const std::string topic = s.name("e");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("3 records", produce_request(s, topic, 0, s.batch(3)));
  epochs_seen(s, "new", topic, 0, {0, 1, 2});
  s.restart_broker();
  epochs_seen(s, "after a restart", topic, 2, {0, 1, 2, 3});
  s.call<ProduceApi>("2 records", produce_request(s, topic, 0, s.batch(2, "w")));
  s.call<FetchApi>("batches of both epochs", fetch_request(s, topic, 0, 0));
  auto stale = fetch_request(s, topic, 0, 0);
  stale.topics[0].partitions[0].current_leader_epoch = 0;
  s.call<FetchApi>("fetch with the old current epoch", stale);
  const std::string later = s.name("later");
  s.create_topic(later, 1);
  s.call<MetadataApi>("a topic made after the restart", metadata_request(std::vector<std::string>{later}));
  s.restart_broker();
  s.call<ProduceApi>("1 record", produce_request(s, topic, 0, s.batch(1, "x")));
  epochs_seen(s, "after two restarts", topic, 4, {0, 1, 2, 3, 4});
  DeleteRecordsRequest del;
  auto& t = del.topics.emplace_back();
  t.name = TopicName(topic);
  t.partitions.push_back({0, 4, {}});
  del.timeout_ms = 30000;
  s.call<DeleteRecordsApi>("delete below 4", del);
  epochs_seen(s, "after deleting below 4", topic, 4, {0, 1, 2, 3, 4});
  s.call<MetadataApi>("the later topic", metadata_request(std::vector<std::string>{later}));
}

}  // namespace kafkalite::crosscheck
