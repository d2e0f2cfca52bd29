// A consumer group of the new protocol (KIP-848) as Kafka 4.1.1's group
// coordinator keeps it (ConsumerGroup, ConsumerGroupMember): the group epoch
// (bumped when what the members subscribe to changes, or a member goes),
// the target assignment the assignor computed for an epoch, and per member
// its epoch and the partitions it owns on its way to its target
// (reconciliation.h). The state is derived, never stored:
//   Empty (no member) | Assigning (group epoch ahead of the assignment's)
//   | Reconciling (a member not yet at its target) | Stable.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "broker/group/guarded_timer.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::broker::group {

// Partitions by topic id: an assignment, owned partitions, a revocation.
using Assignment = std::map<wire::Uuid, std::set<int32_t>>;

// Kafka's MemberState, with its wire values (ConsumerGroupCurrentMemberAssignment).
enum class MemberState : int8_t {
  kStable = 0,
  kUnrevokedPartitions = 1,
  kUnreleasedPartitions = 2,
  kUnknown = 127,
};
const char* member_state_name(MemberState state);  // Kafka's names: STABLE, ...

enum class ConsumerGroupState { kEmpty, kAssigning, kReconciling, kStable };
const char* consumer_group_state_name(ConsumerGroupState state);  // Empty, Assigning, ...

// A member that speaks the classic protocol (JoinGroup/SyncGroup/Heartbeat)
// inside a consumer group: its session timeout and the protocols (name,
// ConsumerProtocolSubscription) of its last JoinGroup. Its member epoch is
// its generation.
struct ClassicProtocols {
  int32_t session_timeout_ms = 0;
  std::vector<std::pair<std::string, wire::Bytes>> protocols;
  bool operator==(const ClassicProtocols&) const = default;
};

struct ConsumerMember {
  std::string id;
  std::optional<std::string> instance_id;
  std::optional<std::string> rack_id;
  int32_t epoch = 0;
  int32_t previous_epoch = -1;
  MemberState state = MemberState::kStable;
  int32_t rebalance_timeout_ms = -1;
  std::string client_id;
  std::string client_host;
  std::set<std::string> subscribed_topic_names;
  std::string subscribed_topic_regex;  // "" for none, as Kafka keeps it
  std::optional<std::string> server_assignor;
  Assignment assigned;
  Assignment pending_revocation;
  std::optional<ClassicProtocols> classic;  // set for a classic-protocol member
  std::shared_ptr<GuardedTimer> session_timer;
  std::shared_ptr<GuardedTimer> rebalance_timer;
  std::shared_ptr<GuardedTimer> join_timer, sync_timer;  // classic members: rejoin, sync deadlines

  // A static member's successor: this member under a new id, at epoch 0,
  // with no timers running.
  ConsumerMember replaced_by(const std::string& new_id) const {
    ConsumerMember next = *this;
    next.id = new_id;
    next.epoch = 0;
    next.previous_epoch = 0;
    next.session_timer.reset();
    next.rebalance_timer.reset();
    next.join_timer.reset();
    next.sync_timer.reset();
    return next;
  }

  void cancel_timers() {
    for (auto* t : {&session_timer, &rebalance_timer, &join_timer, &sync_timer}) {
      if (*t) (*t)->cancel();
    }
  }

  // At its target's epoch with nothing left to hand over or wait for.
  bool reconciled_to(int32_t assignment_epoch) const {
    return state == MemberState::kStable && epoch == assignment_epoch;
  }
};

struct ConsumerGroup {
  std::string id;
  int32_t group_epoch = 0;
  int32_t assignment_epoch = 0;
  std::map<std::string, ConsumerMember> members;
  std::map<std::string, std::string> static_members;  // instance id -> member id
  std::map<std::string, Assignment> target;           // member id -> its target assignment
  // Who holds a partition now: the epoch of the member that owns it (or is
  // revoking it). A partition absent here is free.
  std::map<wire::Uuid, std::map<int32_t, int32_t>> partition_epochs;
  // The topics (name -> partition count) the last epoch was computed for.
  std::map<std::string, int32_t> subscribed_metadata;
  // Each subscribed regular expression with the topic names it matched when
  // last resolved (absent: not resolved yet), and when that was.
  std::map<std::string, std::set<std::string>> resolved_regexes;
  int64_t regexes_resolved_ms = -1;
  uint64_t regexes_resolved_creations = 0;  // TopicLookup::creations then (not stored)

  // A member's topics: its names and what its regex matched.
  std::set<std::string> topics_of(const ConsumerMember& member) const;

  ConsumerGroupState state() const;
  // -1 when no member holds the partition.
  int32_t partition_epoch(const wire::Uuid& topic, int32_t partition) const;
  // Keeps partition_epochs in step with a member's assignment: what `before`
  // held is released, what `after` holds is taken at `after`'s epoch.
  void update_partition_epochs(const ConsumerMember* before, const ConsumerMember* after);
  // Every topic name a member subscribes to, and how many subscribe to it.
  std::map<std::string, int> subscribed_topic_names() const;
  // Puts `member` in the group, in place of `replacing` (a static member's
  // earlier id, whose timers stop and whose target passes to it), keeping
  // partition epochs and the static members in step.
  ConsumerMember& install(ConsumerMember member, const std::optional<std::string>& replacing);
  // The member now registered for a static instance id (null if none).
  const ConsumerMember* find_static(const std::string& instance_id) const;
};

// The group's record ('N' key): epochs, members with their subscriptions,
// epochs, state and partitions, the target assignment, the resolved regular
// expressions. Carries its format version. Timers are not kept: a loaded
// member's session runs again from the load, as in Kafka.
std::string serialize_consumer_group(const ConsumerGroup& group);
// False when the record is in an unknown format.
bool parse_consumer_group(std::string_view record, ConsumerGroup& group);

}  // namespace kafkalite::broker::group
