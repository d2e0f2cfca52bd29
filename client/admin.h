// The admin client: Kafka's Admin API, blocking, with results as values.
// Each call says which Kafka request it sends; errors keep Kafka's names and
// the broker's messages, so tools can print what Kafka's tools print.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/cluster.h"

namespace kafkalite::client {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

struct NewTopic {
  std::string name;
  int32_t partitions = -1;          // -1: the broker's num.partitions
  int16_t replication_factor = -1;  // -1: the broker's default
  std::map<std::string, std::string> configs;
};

// A config as DescribeConfigs describes it; `source` is Kafka's ConfigSource
// (1 DYNAMIC_TOPIC_CONFIG, 2 DYNAMIC_BROKER_CONFIG, 4 STATIC_BROKER_CONFIG,
// 5 DEFAULT_CONFIG, 7 DYNAMIC_DEFAULT_BROKER_CONFIG, ...).
struct ConfigEntry {
  struct Synonym {
    std::string name;
    std::optional<std::string> value;
    int8_t source = 0;
  };
  std::string name;
  std::optional<std::string> value;
  int8_t source = 0;
  bool read_only = false;
  bool sensitive = false;
  std::vector<Synonym> synonyms;
};
std::string_view config_source_name(int8_t source);

enum class ConfigResourceType : int8_t { kTopic = 2, kBroker = 4 };
enum class AlterOp : int8_t { kSet = 0, kDelete = 1, kAppend = 2, kSubtract = 3 };

struct ConfigAlteration {
  std::string name;
  AlterOp op = AlterOp::kSet;
  std::optional<std::string> value;
};

struct GroupListing {
  std::string group_id;
  std::string protocol_type;
  std::string state;
  std::string type;
};

struct MemberDescription {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string client_id;
  std::string host;
  std::vector<TopicPartition> assignment;  // decoded for consumer groups
  // Consumer groups (KIP-848) only: the member's epoch, the assignment the
  // coordinator means it to reach, and whether it speaks the new protocol
  // (false: a classic member in a consumer group).
  std::optional<int32_t> member_epoch;
  std::vector<TopicPartition> target_assignment;
  std::optional<bool> upgraded;
};

struct GroupDescription {
  std::string group_id;
  std::string type = "classic";  // or "consumer"
  std::string state;             // "Dead" for a group that does not exist
  std::string protocol_type;
  std::string protocol;  // the assignor (a consumer group's server-side one)
  std::vector<MemberDescription> members;
  std::optional<int32_t> group_epoch, assignment_epoch;  // consumer groups
  Error error;
};

struct CommittedOffset {
  int64_t offset = -1;
  int32_t leader_epoch = -1;
  std::optional<std::string> metadata;
};

struct ListedOffset {
  int64_t offset = -1;
  int64_t timestamp = -1;
  int32_t leader_epoch = -1;
  Error error;
};

// What ListOffsets looks for: Kafka's OffsetSpec.
struct OffsetSpec {
  static constexpr int64_t kLatest = -1;
  static constexpr int64_t kEarliest = -2;
  static constexpr int64_t kMaxTimestamp = -3;
  int64_t timestamp = kLatest;
};

class Admin {
 public:
  static Result<std::unique_ptr<Admin>> connect(const ClientConfig& config);
  explicit Admin(std::shared_ptr<Cluster> cluster) : cluster_(std::move(cluster)) {}
  Cluster& cluster() { return *cluster_; }

  // CreateTopics; one error per topic, by name.
  Result<std::map<std::string, Error>> create_topics(const std::vector<NewTopic>& topics,
                                                     bool validate_only = false);
  // DeleteTopics, by name.
  Result<std::map<std::string, Error>> delete_topics(const std::vector<std::string>& names);
  // CreatePartitions: topic -> new total count.
  Result<std::map<std::string, Error>> create_partitions(const std::map<std::string, int32_t>& counts);
  // Metadata for every topic, in the broker's order.
  Result<std::vector<TopicInfo>> list_topics(bool include_internal = true);
  // Metadata for the named topics (errors inside each TopicInfo).
  Result<std::vector<TopicInfo>> describe_topics(const std::vector<std::string>& names);

  // DescribeConfigs for one resource (all its configs, with synonyms).
  Result<std::vector<ConfigEntry>> describe_configs(ConfigResourceType type, const std::string& name,
                                                    bool include_synonyms = true);
  // IncrementalAlterConfigs for one resource.
  Error incremental_alter_configs(ConfigResourceType type, const std::string& name,
                                  const std::vector<ConfigAlteration>& alterations,
                                  bool validate_only = false);

  // ListGroups, optionally only groups in the given states and of the given
  // types ("classic", "consumer"; types need ListGroups v5).
  Result<std::vector<GroupListing>> list_groups(const std::vector<std::string>& states = {},
                                                const std::vector<std::string>& types = {});
  // Each group through its coordinator, as Kafka's admin describes consumer
  // groups: ConsumerGroupDescribe, and DescribeGroups for a classic group
  // (or a broker without the new protocol).
  Result<std::vector<GroupDescription>> describe_groups(const std::vector<std::string>& ids);
  // DeleteGroups; one error per group.
  Result<std::map<std::string, Error>> delete_groups(const std::vector<std::string>& ids);

  // OffsetFetch: a group's committed offsets (all of them when `partitions`
  // is null).
  Result<std::map<TopicPartition, CommittedOffset>> list_group_offsets(
      const std::string& group, const std::optional<std::vector<TopicPartition>>& partitions = std::nullopt);
  // OffsetCommit as the admin client sends it (no member, generation -1):
  // refused by Kafka while the group has members.
  Result<std::map<TopicPartition, Error>> alter_group_offsets(const std::string& group,
                                                             const std::map<TopicPartition, int64_t>& offsets);
  // OffsetDelete; the group-level error, or per partition.
  Result<std::map<TopicPartition, Error>> delete_group_offsets(const std::string& group,
                                                              const std::vector<TopicPartition>& partitions);

  // ListOffsets; `isolation_level` 1 (read_committed) answers latest with
  // the last stable offset.
  Result<std::map<TopicPartition, ListedOffset>> list_offsets(const std::map<TopicPartition, OffsetSpec>& specs,
                                                              int8_t isolation_level = 0);
  // DeleteRecords: partition -> offset before which records go; answers the
  // new low watermarks.
  Result<std::map<TopicPartition, ListedOffset>> delete_records(const std::map<TopicPartition, int64_t>& before);

  Result<protocol::DescribeClusterResponse> describe_cluster();
  // DescribeLogDirs on each node: bytes on disk per partition (summed over
  // the node's log dirs; future replicas left out).
  Result<std::map<TopicPartition, int64_t>> partition_sizes(const std::vector<int32_t>& nodes);

 private:
  Result<int32_t> group_coordinator(const std::string& group) { return cluster_->coordinator(group, 0); }
  std::shared_ptr<Cluster> cluster_;
};

// ConsumerProtocolAssignment: the partitions assigned to a member.
std::vector<TopicPartition> decode_consumer_assignment(std::span<const uint8_t> bytes);

}  // namespace kafkalite::client
