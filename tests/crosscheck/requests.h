// Small builders for the requests scenarios send most, so a scenario reads as
// the steps it takes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/protocol/generated/visit_api.h"
#include "common/records/record_batch.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

using namespace kafkalite::protocol;

// Produce v13 and Fetch v13+ name topics by id: the builders fill in both
// (the topic's id from the session's Metadata, zero when it does not exist).
inline ProduceRequest produce_request(Session& s, const std::string& topic, int32_t partition,
                                      wire::Bytes batch, int16_t acks = -1) {
  ProduceRequest request;
  request.acks = acks;
  request.timeout_ms = 30000;
  auto& t = request.topic_data.emplace_back();
  t.name = TopicName(topic);
  t.topic_id = s.topic_id(topic);
  auto& p = t.partition_data.emplace_back();
  p.index = partition;
  p.records.data = std::move(batch);
  return request;
}

inline FetchRequest fetch_request(Session& s, const std::string& topic, int32_t partition, int64_t offset,
                                  int32_t partition_max_bytes = 1048576) {
  FetchRequest request;
  request.replica_id = BrokerId(-1);
  request.max_wait_ms = 0;
  request.min_bytes = 1;
  request.max_bytes = 52428800;
  request.session_epoch = -1;
  auto& t = request.topics.emplace_back();
  t.topic = TopicName(topic);
  t.topic_id = s.topic_id(topic);
  auto& p = t.partitions.emplace_back();
  p.partition = partition;
  p.fetch_offset = offset;
  p.partition_max_bytes = partition_max_bytes;
  return request;
}

inline ListOffsetsRequest list_offsets_request(const std::string& topic, int32_t partition,
                                               int64_t timestamp) {
  ListOffsetsRequest request;
  request.replica_id = BrokerId(-1);
  auto& t = request.topics.emplace_back();
  t.name = TopicName(topic);
  auto& p = t.partitions.emplace_back();
  p.partition_index = partition;
  p.timestamp = timestamp;
  return request;
}

// Metadata for the named topics; std::nullopt for all topics.
inline MetadataRequest metadata_request(std::optional<std::vector<std::string>> names,
                                        bool auto_create = false) {
  MetadataRequest request;
  request.topics.reset();  // null: all topics
  if (names) {
    request.topics.emplace();
    for (auto& n : *names) request.topics->emplace_back().name = TopicName(n);
  }
  request.allow_auto_topic_creation = auto_create;
  return request;
}

inline CreateTopicsRequest create_topics_request(const std::string& name, int32_t partitions,
                                                 int16_t replication_factor = 1) {
  CreateTopicsRequest request;
  request.timeout_ms = 30000;
  auto& t = request.topics.emplace_back();
  t.name = TopicName(name);
  t.num_partitions = partitions;
  t.replication_factor = replication_factor;
  return request;
}

// An idempotent producer's batch of `count` records "seqN" from `sequence`.
// IncrementalAlterConfigs of one topic config (op: 0 set, 1 delete, 2 append, 3 subtract).
inline IncrementalAlterConfigsRequest incremental_alter_config_request(const std::string& topic,
                                                                       const std::string& name, int8_t op,
                                                                       std::optional<std::string> value) {
  IncrementalAlterConfigsRequest request;
  auto& r = request.resources.emplace_back();
  r.resource_type = 2;  // a topic
  r.resource_name = topic;
  auto& c = r.configs.emplace_back();
  c.name = name;
  c.config_operation = op;
  c.value = std::move(value);
  return request;
}

inline wire::Bytes sequenced(Session& s, int64_t producer_id, int16_t epoch, int32_t sequence, int count) {
  records::BatchBuilder b;
  b.producer_id = producer_id;
  b.producer_epoch = epoch;
  b.base_sequence = sequence;
  b.base_timestamp = s.base_time_ms();
  for (int i = 0; i < count; ++i) {
    const std::string v = "seq" + std::to_string(sequence + i);
    b.add(s.base_time_ms(), std::nullopt, wire::Bytes(v.begin(), v.end()));
  }
  return b.build();
}

// A commit of `offset` for partition 0 with metadata "meta" (generation -1 and
// no member: a standalone commit).
inline OffsetCommitRequest commit_request(const std::string& group, int32_t generation, const std::string& member,
                                   const std::string& topic, int64_t offset) {
  OffsetCommitRequest request;
  request.group_id = GroupId(group);
  request.generation_id_or_member_epoch = generation;
  request.member_id = member;
  auto& t = request.topics.emplace_back();
  t.name = TopicName(topic);
  auto& p = t.partitions.emplace_back();
  p.partition_index = 0;
  p.committed_offset = offset;
  p.committed_metadata = "meta";
  return request;
}

// A classic member's SyncGroup ("range") and Heartbeat.
inline SyncGroupRequest sync_request(const std::string& group, int32_t generation, const std::string& member,
                              std::vector<std::pair<std::string, wire::Bytes>> assignments = {}) {
  SyncGroupRequest request;
  request.group_id = GroupId(group);
  request.generation_id = generation;
  request.member_id = member;
  request.protocol_type = "consumer";
  request.protocol_name = "range";
  for (auto& [m, a] : assignments) request.assignments.push_back({m, a, {}});
  return request;
}

inline HeartbeatRequest heartbeat_request(const std::string& group, int32_t generation, const std::string& member) {
  HeartbeatRequest request;
  request.group_id = GroupId(group);
  request.generation_id = generation;
  request.member_id = member;
  return request;
}

inline DescribeGroupsRequest describe_request(const std::vector<std::string>& groups) {
  DescribeGroupsRequest request;
  for (const auto& g : groups) request.groups.emplace_back(g);
  return request;
}

// A just-started Kafka creates __consumer_offsets on the first group request
// and answers COORDINATOR_NOT_AVAILABLE until it exists (clients retry).
inline bool group_coordinator_ready(const FindCoordinatorResponse& r) {
  return r.coordinators.empty() || r.coordinators[0].error_code != ErrorCode::CoordinatorNotAvailable;
}

// Then each of its 50 partitions loads, and requests for a group on a
// partition still loading get COORDINATOR_LOAD_IN_PROGRESS: wait (unrecorded)
// until DescribeGroups answers for every group the scenario uses.
inline void await_group_coordinator(Session& s, std::vector<std::string> groups) {
  FindCoordinatorRequest find;
  find.coordinator_keys = groups;
  DescribeGroupsRequest describe = describe_request(groups);
  Session::poll([&] {
    if (!group_coordinator_ready(s.quiet<FindCoordinatorApi>(find))) return false;
    for (const auto& g : s.quiet<DescribeGroupsApi>(describe, 5).groups) {
      if (g.error_code != ErrorCode::None) return false;
    }
    return true;
  });
}

}  // namespace kafkalite::crosscheck
