// The classic consumer protocol's payloads and Kafka's two eager assignors.
//
// ConsumerProtocolSubscription and ConsumerProtocolAssignment are "data"
// specs in Kafka (not requests), written here by hand at version 0: what
// every client reads, and what kafka-consumer-groups.sh decodes.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "client/admin.h"

namespace kafkalite::client {

wire::Bytes encode_subscription(const std::vector<std::string>& topics);
std::optional<std::vector<std::string>> decode_subscription(std::span<const uint8_t> bytes);
wire::Bytes encode_assignment(const std::vector<TopicPartition>& partitions);

struct GroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<std::string> topics;  // its subscription
};

using Assignment = std::map<std::string, std::vector<TopicPartition>>;  // member id -> partitions

// Kafka's RangeAssignor ("range"): per topic, members in order of their
// instance id (else member id) get consecutive ranges, the first ones one
// partition more when it does not divide.
Assignment assign_range(const std::vector<GroupMember>& members, const std::map<std::string, int32_t>& partitions);
// Kafka's RoundRobinAssignor ("roundrobin"): every partition of every
// subscribed topic, in topic then partition order, dealt to the members in
// turn, skipping those not subscribed to its topic.
Assignment assign_roundrobin(const std::vector<GroupMember>& members,
                             const std::map<std::string, int32_t>& partitions);

}  // namespace kafkalite::client
