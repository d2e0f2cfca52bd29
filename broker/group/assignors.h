// The broker's assignors for consumer groups (group.consumer.assignors), as
// Kafka 4.1.1 offers them:
//   uniform: every partition of the subscribed topics spread as evenly as
//     the subscriptions allow, members keeping what they had where they can
//     (so a new member takes a share, and only that share moves);
//   range: per topic, consecutive ranges of partitions to the members
//     subscribed to it, in member order, so members of topics with equal
//     partition counts get the same partition numbers (co-partitioning).
// Kafka iterates its members in hash order, which varies with their random
// ids; kafkalite takes them in member id order, so an assignment is
// reproducible. What a member gets is otherwise Kafka's rule.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/group/consumer_group.h"

namespace kafkalite::broker::group {

struct MemberSpec {
  std::string member_id;
  std::optional<std::string> instance_id;
  std::optional<std::string> rack_id;
  std::set<wire::Uuid> subscribed;  // topic ids that exist
  Assignment current;               // its target assignment so far
};

struct TopicSpec {
  std::string name;
  int32_t partitions = 0;
};

struct AssignmentSpec {
  std::vector<MemberSpec> members;
  std::map<wire::Uuid, TopicSpec> topics;  // every subscribed topic that exists
};

// Member id -> its new target assignment (every member has an entry).
std::map<std::string, Assignment> assign_uniform(const AssignmentSpec& spec);
std::map<std::string, Assignment> assign_range(const AssignmentSpec& spec);

}  // namespace kafkalite::broker::group
