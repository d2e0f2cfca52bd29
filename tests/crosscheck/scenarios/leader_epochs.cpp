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

}  // namespace kafkalite::crosscheck
