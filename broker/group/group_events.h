// The group coordinator's events for an observer (the console's rebalance
// timeline): the same moments Kafka's coordinator logs, as JSON objects on
// the journal's group stream. Without a journal, nothing is built.
// Classic groups: joins, generations, the leader's assignment. Consumer
// groups (KIP-848, consumer_group_events.cpp): epoch bumps with their
// reason, each target assignment, each member's reconciliation step.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "broker/group/classic_group.h"
#include "broker/group/consumer_group.h"
#include "common/observe/journal.h"

namespace kafkalite::broker::group {

class GroupEvents {
 public:
  void attach(observe::Journal* journal) { journal_ = journal; }
  bool attached() const { return journal_ != nullptr; }

  void member_joined(const ClassicGroup& group, const Member& member, const std::string& reason);
  void member_left(const ClassicGroup& group, const std::string& member_id, const std::string& reason);
  void member_expired(const ClassicGroup& group, const std::string& member_id);
  void rebalance_started(const ClassicGroup& group, const std::string& reason);
  void empty(const ClassicGroup& group);
  void stabilized(const ClassicGroup& group);  // joined: members, leader, protocol
  void assigned(const ClassicGroup& group);    // Stable with the leader's assignment

  // Consumer groups. Partitions go by topic name, in the assignment's order.
  using NamedPartitions = std::vector<std::pair<std::string, int32_t>>;
  void member_joined(const ConsumerGroup& group, const ConsumerMember& member, const std::string& reason);
  void epoch_bumped(const ConsumerGroup& group, const std::string& reason);
  // The assignor's target for the group's epoch: member id -> its partitions.
  void target_assigned(const ConsumerGroup& group, const std::string& assignor,
                       const std::vector<std::pair<const ConsumerMember*, NamedPartitions>>& targets);
  void member_reconciled(const ConsumerGroup& group, const ConsumerMember& member, const NamedPartitions& assigned,
                         const NamedPartitions& revoking);
  void member_left(const ConsumerGroup& group, const std::string& member_id, const std::string& reason);
  void member_fenced(const ConsumerGroup& group, const std::string& member_id, const std::string& reason);
  // The group changed type (an online upgrade or downgrade, or an empty
  // group taken over); `to` is "consumer" or "classic".
  void converted(const std::string& group_id, int32_t epoch, const std::string& to, const std::string& reason);

 private:
  observe::Journal* journal_ = nullptr;
};

}  // namespace kafkalite::broker::group
