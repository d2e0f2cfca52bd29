// The group coordinator's events for an observer (the console's rebalance
// timeline): the same moments Kafka's coordinator logs, as JSON objects on
// the journal's group stream. Without a journal, nothing is built.
#pragma once

#include <string>

#include "broker/group/classic_group.h"
#include "common/observe/journal.h"

namespace kafkalite::broker::group {

class GroupEvents {
 public:
  void attach(observe::Journal* journal) { journal_ = journal; }

  void member_joined(const ClassicGroup& group, const Member& member, const std::string& reason);
  void member_left(const ClassicGroup& group, const std::string& member_id, const std::string& reason);
  void member_expired(const ClassicGroup& group, const std::string& member_id);
  void rebalance_started(const ClassicGroup& group, const std::string& reason);
  void empty(const ClassicGroup& group);
  void stabilized(const ClassicGroup& group);  // joined: members, leader, protocol
  void assigned(const ClassicGroup& group);    // Stable with the leader's assignment

 private:
  observe::Journal* journal_ = nullptr;
};

}  // namespace kafkalite::broker::group
