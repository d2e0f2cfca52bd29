// The classic group protocol on one node, as Kafka 4.1.1's coordinator runs
// it (GroupMetadataManager, ClassicGroup): JoinGroup/SyncGroup/Heartbeat/
// LeaveGroup with Kafka's state machine and timers, static members, and the
// group records Kafka writes — a group with its members after each completed
// sync, so after a restart the group is back Stable with its members, whose
// sessions run again from the restart. Every state change is logged at info,
// in words close to Kafka's, so students can watch a rebalance happen.
#pragma once

#include "common/net/asio.h"
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/group/classic_group.h"
#include "broker/group/group_events.h"
#include "broker/group/offsets_topic.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::broker::group {

struct JoinRequest {
  std::string group_id;
  std::string member_id;
  std::optional<std::string> instance_id;
  std::string client_id;
  std::string client_host;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = 0;
  std::string protocol_type;
  std::vector<std::pair<std::string, wire::Bytes>> protocols;
  std::string reason;
  bool member_id_required = true;  // JoinGroup v4+ (KIP-394)
  int16_t version = 0;
};

struct SyncRequest {
  std::string group_id;
  int32_t generation = 0;
  std::string member_id;
  std::optional<std::string> instance_id;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::map<std::string, wire::Bytes> assignments;
};

class ClassicCoordinator {
 public:
  // Group records go to `offsets_topic` too (__consumer_offsets).
  ClassicCoordinator(asio::io_context& io, const config::BrokerConfig& config, storage::KvStore& store,
                     const OffsetsTopic& offsets_topic, std::function<int64_t()> clock, std::string log_prefix);
  ~ClassicCoordinator();

  // Reads the group records back (start-up): groups with members come back
  // Stable, with a session timer per member.
  size_t load();
  // Completes every parked request (at shutdown).
  void shutdown();
  // Answers the group's waiting JoinGroup and SyncGroup requests with
  // `error` and stops its timers (before the group is converted).
  void release(const std::string& group_id, ErrorCode error);

  asio::awaitable<JoinResult> join(JoinRequest request);
  // group.min/max.session.timeout.ms, which every JoinGroup is held to
  // (also one to a consumer group).
  bool session_timeout_allowed(int32_t timeout_ms) const;
  asio::awaitable<SyncResult> sync(SyncRequest request);
  ErrorCode heartbeat(const std::string& group_id, int32_t generation, const std::string& member_id,
                      const std::optional<std::string>& instance_id);
  // Per member (member id, instance id): NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID.
  std::vector<ErrorCode> leave(const std::string& group_id,
                               const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
                               const std::string& reason);
  // The group-level verdict on an OffsetCommit (creates a simple group when
  // there is none and the generation is negative).
  // `transactional`: TxnOffsetCommit's rules (no member needed, the
  // group's state not enforced, an unknown group ILLEGAL_GENERATION).
  ErrorCode validate_commit(const std::string& group_id, int32_t generation, const std::string& member_id,
                            const std::optional<std::string>& instance_id, int16_t version,
                            bool transactional = false);

  ClassicGroup* find(const std::string& group_id);
  const ClassicGroup* find(const std::string& group_id) const;
  // A group with no record of its own (made by offsets or a commit).
  ClassicGroup& get_or_create(const std::string& group_id);
  const std::map<std::string, ClassicGroup>& groups() const { return groups_; }
  // Removing a group goes in one write with its offsets: add its record's
  // removal to `batch` and its tombstone to `records`, apply them, then
  // forget the group.
  void stage_removal(const std::string& group_id, storage::WriteBatch& batch, OffsetsRecords& records) const;
  void forget(const std::string& group_id) { groups_.erase(group_id); }
  // A consumer group downgraded (its members all classic): the group,
  // Stable at the consumer group's epoch, is recorded in one write with
  // `batch` (the consumer group's removal), then rebalances for `reason` (none if empty).
  // False if the store refused.
  bool adopt(ClassicGroup group, storage::WriteBatch batch, const std::string& reason);
  // Tells `journal` (the console's) what happens in every group.
  void observe_with(observe::Journal* journal) { events_.attach(journal); }

 private:
  // A request answered now, or parked until the group completes it.
  template <typename T>
  struct Started {
    T now;
    std::shared_ptr<Parked<T>> parked;
  };
  Started<JoinResult> start_join(const JoinRequest& request);
  Started<SyncResult> start_sync(const SyncRequest& request);

  void release(ClassicGroup& group, ErrorCode error);
  void add_member_and_rebalance(ClassicGroup& group, const JoinRequest& request, const std::string& member_id,
                                std::shared_ptr<Parked<JoinResult>> parked);
  void update_member(ClassicGroup& group, Member& member, const JoinRequest& request,
                     std::shared_ptr<Parked<JoinResult>> parked);
  void prepare_rebalance(ClassicGroup& group, const std::string& reason);
  void maybe_prepare_rebalance_or_complete_join(ClassicGroup& group, const std::string& reason);
  void maybe_complete_join(ClassicGroup& group);
  void try_complete_initial(const std::string& group_id, int64_t delay, int64_t remaining);
  void complete_join(ClassicGroup& group);
  JoinResult join_answer(const ClassicGroup& group, const Member& member) const;
  void remove_member(ClassicGroup& group, const std::string& member_id, ErrorCode join_error);
  void schedule_heartbeat(ClassicGroup& group, Member& member, int64_t timeout_ms);
  void expire_heartbeat(const std::string& group_id, const std::string& member_id);
  void schedule_join_timer(ClassicGroup& group, int64_t delay_ms, std::function<void()> fire);
  void schedule_sync_timer(ClassicGroup& group);
  // Writes the group's record; `state_timestamp_ms` is when it entered the
  // state the record describes.
  // (`batch`: what else goes in the same write.)
  [[nodiscard]] storage::WriteResult persist(const ClassicGroup& group, int64_t state_timestamp_ms,
                                             storage::WriteBatch batch = {});
  std::string new_member_id(const std::string& prefix);
  int64_t now_ms() const { return clock_(); }

  asio::io_context& io_;
  const config::BrokerConfig& config_;
  storage::KvStore& store_;
  const OffsetsTopic& offsets_topic_;
  std::function<int64_t()> clock_;
  std::string log_prefix_;
  std::map<std::string, ClassicGroup> groups_;
  GroupEvents events_;
};

}  // namespace kafkalite::broker::group
