// The new consumer group protocol (KIP-848) on one node, as Kafka 4.1.1's
// coordinator runs it (GroupMetadataManager.consumerGroupHeartbeat): the
// broker assigns the partitions, and each member reconciles toward its
// target one heartbeat at a time, revoking before anyone else is given what
// it held. Every epoch bump, target assignment and member change is logged
// at info, in Kafka's words, so a learner can follow an incremental
// rebalance.
//
// Differs from Kafka, for now:
//   - a group is kept as one record of kafkalite's (not Kafka's
//     ConsumerGroup* records in __consumer_offsets), written after the
//     change it records (a store that refuses stops the broker);
//   - regular expressions (RE2, broker/group/topic_regex.h) are resolved
//     again only when one is new or 10 s after the last resolution (Kafka
//     also when topics were created);
//   - a downgrade's classic group takes the first remaining member (by id)
//     as its leader; Kafka takes the first in its hash order;
//   - the two records of a downgrade go in one write; an upgrade's are two
//     (the classic group's removal, then the consumer group's record);
//   - no metadata hash in the epoch log line.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/group/classic_coordinator.h"
#include "broker/group/consumer_group.h"
#include "broker/storage/kv_store.h"
#include "common/net/asio.h"
#include "common/protocol/consumer_protocol.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::broker::group {

namespace asio = boost::asio;
using protocol::ErrorCode;

// What the coordinator knows of a topic (the cluster layer answers).
struct TopicMeta {
  wire::Uuid id;
  std::string name;
  int32_t partitions = 0;
};
struct TopicLookup {
  std::function<std::optional<TopicMeta>(const std::string&)> by_name;
  std::function<std::optional<TopicMeta>(const wire::Uuid&)> by_id;
  std::function<std::vector<std::string>()> names;  // every topic's name
  std::function<uint64_t()> creations;              // topics created so far (grows with each)
};

struct ConsumerHeartbeat {
  int16_t version = 0;
  std::string group_id;
  std::string member_id;
  int32_t member_epoch = 0;
  std::optional<std::string> instance_id;
  std::optional<std::string> rack_id;
  int32_t rebalance_timeout_ms = -1;
  std::optional<std::vector<std::string>> subscribed_topic_names;
  std::optional<std::string> subscribed_topic_regex;
  std::optional<std::string> server_assignor;
  std::optional<Assignment> owned;  // TopicPartitions
  std::string client_id;
  std::string client_host;  // "/ip", as Kafka shows it
  // With an authorizer: whether the member may DESCRIBE a topic. A regex
  // resolution this heartbeat starts leaves out the topics it may not, as
  // Kafka's coordinator does with the context of the heartbeat that asked.
  std::function<bool(const std::string& topic)> may_describe;
};

struct ConsumerHeartbeatResult {
  ErrorCode error = ErrorCode::None;
  std::optional<std::string> message;
  std::optional<std::string> member_id;
  int32_t member_epoch = 0;
  int32_t heartbeat_interval_ms = 0;
  std::optional<Assignment> assignment;
};

class ConsumerCoordinator {
 public:
  // The classic groups: a consumer member's join takes over an empty one,
  // or converts one with members (`drop` removes it, answering its waiting
  // requests REBALANCE_IN_PROGRESS).
  struct ClassicGroups {
    std::function<const ClassicGroup*(const std::string&)> find;
    std::function<void(const std::string&)> drop;
    // Installs a downgraded group (ClassicCoordinator::adopt).
    std::function<bool(ClassicGroup, storage::WriteBatch, const std::string&)> adopt;
  };
  ConsumerCoordinator(asio::io_context& io, const config::BrokerConfig& config, storage::KvStore& store,
                      ClassicGroups classic, std::string log_prefix);
  // How the groups see the cluster's topics (before serving).
  void attach_topics(TopicLookup topics) { topics_ = std::move(topics); }
  // Tells `journal` each epoch bump, target assignment and reconciliation
  // step (the console's rebalance timeline).
  void observe_with(observe::Journal* journal) { events_.attach(journal); }

  // Reads the groups back (start-up): members return with their epochs and
  // partitions, and their sessions run again from now. Returns how many.
  size_t load();
  // Removing a group goes in one write with its offsets (group_coordinator.h).
  void stage_removal(const std::string& group_id, storage::WriteBatch& batch) const;

  ConsumerHeartbeatResult heartbeat(const ConsumerHeartbeat& request);

  // Classic-protocol members of a non-empty consumer group
  // (consumer_classic_members.cpp): JoinGroup, SyncGroup, Heartbeat and
  // LeaveGroup, answered at once.
  JoinResult classic_join(const JoinRequest& request);
  SyncResult classic_sync(const SyncRequest& request);
  ErrorCode classic_heartbeat(const std::string& group_id, int32_t generation, const std::string& member_id,
                              const std::optional<std::string>& instance_id);
  std::vector<ErrorCode> classic_leave(const std::string& group_id,
                                       const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
                                       const std::string& reason);
  // A classic member joining an empty consumer group makes it a classic
  // group again: the group goes (its offsets stay). False if not empty.
  bool convert_empty_to_classic(const std::string& group_id);

  const ConsumerGroup* find(const std::string& group_id) const;
  const std::map<std::string, ConsumerGroup>& groups() const { return groups_; }
  // Removes an empty group (DeleteGroups); false when it has members.
  bool erase_if_empty(const std::string& group_id);
  // Every configured assignor name, the default first (group.consumer.assignors).
  std::vector<std::string> assignors() const;
  // The assignor the group uses: its members' most common choice, else the default.
  std::string assignor_of(const ConsumerGroup& group) const;
  // OffsetCommit's verdict for a consumer group (KIP-848's member epochs).
  // Classic members answer for a mismatch with ILLEGAL_GENERATION, as does
  // TxnOffsetCommit (`transactional`).
  ErrorCode validate_commit(const std::string& group_id, const std::string& member_id, int32_t epoch,
                            const std::optional<std::string>& instance_id, int16_t version,
                            bool transactional) const;
  void shutdown();

 private:
  ConsumerHeartbeatResult leave(const ConsumerHeartbeat& request);
  // Checks a join or heartbeat against the group (or a group it would make).
  ConsumerHeartbeatResult join_or_heartbeat(const ConsumerHeartbeat& request);
  // Then applies it: makes the group if new, installs the updated member,
  // bumps the epoch, assigns, reconciles, persists and answers.
  // `converted`: the classic group of that id as a consumer group (no
  // member for an empty one), put in the classic group's place.
  ConsumerHeartbeatResult apply_heartbeat(bool is_new, ConsumerGroup* converted,
                                          const ConsumerHeartbeat& request, ConsumerMember updated,
                                          const std::optional<std::string>& replacing, std::string bump_reason);
  // The subscribed topics (name -> partition count) as the cluster has them now.
  std::map<std::string, int32_t> subscribed_metadata(const ConsumerGroup& group) const;
  // A new group epoch, logged and told with why.
  void bump_epoch(ConsumerGroup& group, const std::string& reason);
  void compute_target(ConsumerGroup& group);
  void reconcile(ConsumerGroup& group, ConsumerMember& member, const std::optional<Assignment>& owned);
  // Removes a member and, unless `bump_reason` is empty (several leave at
  // once), bumps the group epoch.
  void remove_member(ConsumerGroup& group, const std::string& member_id, const std::string& bump_reason);
  // An online upgrade: the non-empty classic group as a consumer group
  // (`into`), its members keeping their generation as their epoch and their
  // assignment as their target; or why Kafka refuses.
  std::optional<ConsumerHeartbeatResult> upgrade(const ClassicGroup& classic, ConsumerGroup& into) const;
  // The online downgrade: when `leaving` go and only classic members remain,
  // the group becomes a classic group with them (where the policy allows),
  // instead of losing the members. True if it did: the group is gone from here.
  bool maybe_downgrade(ConsumerGroup& group, const std::set<std::string>& leaving, const std::string& why);
  // Kafka's conditions for a downgrade: every member but `leaving` classic,
  // some member left (or one `joining` in a replaced member's place), the
  // policy allowing it and the classic group's max size.
  bool downgrade_allowed(const ConsumerGroup& group, const std::set<std::string>& leaving, bool joining) const;
  // The downgrade itself: the members but `leaving` (`joining` added last)
  // in a classic group at the group's epoch, written with the consumer
  // group's removal; a rebalance when `rebalance_reason` is not empty.
  bool downgrade(ConsumerGroup& group, const std::set<std::string>& leaving, const std::string* joining,
                 const std::string& rebalance_reason, const std::string& event_reason);
  // A classic member's lookup: by instance id for a static one.
  ErrorCode find_classic_member(const ConsumerGroup& group, const std::string& member_id,
                                const std::optional<std::string>& instance_id, const ConsumerMember*& found) const;
  // A classic member told to rejoin must do so within its rebalance timeout.
  void schedule_classic_join(ConsumerGroup& group, ConsumerMember& member);
  Assignment by_topic_id(const protocol::TopicPartitionList& partitions) const;
  // The partitions by topic name as a ConsumerProtocolAssignment of the
  // member's subscription version (0-3).
  wire::Bytes assignment_bytes(const Assignment& assignment, int16_t version) const;
  // group.consumer.migration.policy: "upgrade" or "downgrade" allowed online?
  bool migration_allows(const std::string& direction) const;
  // Kafka's Uuid.randomUuid().toString(): 22 characters of URL-safe base64.
  static std::string new_member_id();
  void schedule_session(ConsumerGroup& group, ConsumerMember& member);
  void schedule_rebalance(ConsumerGroup& group, ConsumerMember& member);
  void fence(const std::string& group_id, const std::string& member_id, const std::string& reason);
  // Writes the group's record when it changed; false if the store refused
  // (the broker then stops, as Kafka stops when its log directory fails).
  bool persist(const ConsumerGroup& group);
  int32_t heartbeat_interval_ms() const;
  std::string describe(const Assignment& assignment) const;
  // The partitions by topic name (an unknown topic by its id).
  GroupEvents::NamedPartitions named(const Assignment& assignment) const;
  // Resolves the group's regular expressions against the topics there are
  // now, after the heartbeat that asked (Kafka resolves them beside its
  // request handling); a change of topics bumps the epoch.
  void resolve_regexes(const std::string& group_id, const std::function<bool(const std::string&)>& may_describe);
  // Kafka's conditions for resolving again (maybeUpdateRegularExpressions):
  // not within 10 s of the last time; then an expression not resolved yet,
  // a topic created since, or group.consumer.regex.refresh.interval.ms gone by.
  bool regexes_due(const ConsumerGroup& group) const;

  asio::io_context& io_;
  const config::BrokerConfig& config_;
  TopicLookup topics_;
  ClassicGroups classic_;
  std::string log_prefix_;
  std::map<std::string, ConsumerGroup> groups_;
  storage::KvStore& store_;
  std::map<std::string, std::string> persisted_;  // group id -> its last record
  GroupEvents events_;
};

}  // namespace kafkalite::broker::group
