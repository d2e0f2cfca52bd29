// The classic consumer protocol's payloads, which JoinGroup and SyncGroup
// carry as opaque bytes: ConsumerProtocolSubscription (v0-3) and
// ConsumerProtocolAssignment (v0-3). Kafka keeps them as "data" specs beside
// its messages; they are not requests, so the generator leaves them out and
// they are written here. The broker reads them when a classic member joins a
// consumer group (KIP-848) or a classic group is converted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/protocol/wire/types.h"

namespace kafkalite::protocol {

// Partitions by topic name, in the order they were read or are to be written.
using TopicPartitionList = std::vector<std::pair<std::string, std::vector<int32_t>>>;

struct ConsumerSubscription {
  int16_t version = 0;
  std::vector<std::string> topics;
  std::optional<wire::Bytes> user_data;
  TopicPartitionList owned_partitions;  // v1+
  int32_t generation_id = -1;           // v2+
  std::optional<std::string> rack_id;   // v3+
};

struct ConsumerAssignment {
  int16_t version = 0;
  TopicPartitionList partitions;
  std::optional<wire::Bytes> user_data;
};

// As Kafka's ConsumerProtocol reads them: a newer version than 3 is read as
// 3 (its fields come first). Nothing when the bytes are malformed.
std::optional<ConsumerSubscription> decode_consumer_subscription(std::span<const uint8_t> bytes);
std::optional<ConsumerAssignment> decode_consumer_assignment(std::span<const uint8_t> bytes);
wire::Bytes encode_consumer_subscription(const ConsumerSubscription& subscription);
wire::Bytes encode_consumer_assignment(const ConsumerAssignment& assignment);

}  // namespace kafkalite::protocol
