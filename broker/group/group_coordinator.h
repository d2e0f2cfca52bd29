// Kafka's classic group coordinator on one node: JoinGroup/SyncGroup/
// Heartbeat/LeaveGroup with Kafka's state machine and timers, committed
// offsets (kept in the store, so they survive a restart), and the group
// listing and deletion APIs. Every state change is logged at info, in words
// close to Kafka's, so students can watch a rebalance happen.
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

struct CommittedOffset {
  int64_t offset = -1;
  int32_t leader_epoch = -1;
  std::string metadata;
  int64_t commit_timestamp_ms = 0;
  int64_t expire_timestamp_ms = -1;  // -1: by the group's retention rules
};

struct GroupListing {
  std::string group_id;
  std::string protocol_type;
  std::string state;
};

struct GroupDescription {
  ErrorCode error = ErrorCode::None;
  std::string state;
  std::string protocol_type;
  std::string protocol_data;
  struct MemberDescription {
    std::string member_id;
    std::optional<std::string> instance_id;
    std::string client_id;
    std::string client_host;
    wire::Bytes metadata;
    wire::Bytes assignment;
  };
  std::vector<MemberDescription> members;
};

class GroupCoordinator {
 public:
  GroupCoordinator(asio::io_context& io, const config::BrokerConfig& config, storage::KvStore& store);
  ~GroupCoordinator();

  // Reads committed offsets and groups back from the store (at start-up).
  void load();
  // Completes every parked request (at shutdown).
  void shutdown();

  asio::awaitable<JoinResult> join(JoinRequest request);
  asio::awaitable<SyncResult> sync(SyncRequest request);
  ErrorCode heartbeat(const std::string& group_id, int32_t generation, const std::string& member_id,
                      const std::optional<std::string>& instance_id);
  // Per member (member id, instance id): NONE, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID.
  std::vector<ErrorCode> leave(const std::string& group_id,
                               const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
                               const std::string& reason);

  // The group-level verdict on an OffsetCommit (creates a simple group when
  // there is none and the generation is negative).
  ErrorCode validate_commit(const std::string& group_id, int32_t generation, const std::string& member_id,
                            const std::optional<std::string>& instance_id, int16_t version);
  // Stores the offsets of one commit in one write, then keeps them.
  [[nodiscard]] storage::WriteResult commit(const std::string& group_id,
              const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets);
  // nullopt: no such group (or no offset for the partition).
  std::optional<CommittedOffset> committed(const std::string& group_id, const std::string& topic,
                                           int32_t partition) const;
  // Every committed offset of a group: topic -> partition -> offset.
  std::map<std::string, std::map<int32_t, CommittedOffset>> committed(const std::string& group_id) const;
  // OffsetDelete's group-level verdict, then per-topic: is the group subscribed?
  ErrorCode validate_offset_delete(const std::string& group_id) const;
  bool subscribed_to(const std::string& group_id, const std::string& topic) const;
  [[nodiscard]] storage::WriteResult delete_offsets(
      const std::string& group_id, const std::vector<std::pair<std::string, int32_t>>& partitions);

  std::optional<GroupDescription> describe(const std::string& group_id) const;
  std::vector<GroupListing> list() const;
  ErrorCode delete_group(const std::string& group_id);
  bool exists(const std::string& group_id) const { return groups_.count(group_id) > 0; }

  // A deleted topic takes its committed offsets with it, in the same write
  // as the topic: add their keys to `batch` (returns how many), apply it,
  // then forget them.
  size_t stage_topic_removal(const std::string& topic, storage::WriteBatch& batch) const;
  void forget_topic(const std::string& topic);
  // Replaces the wall clock (tests of retention).
  void set_clock(std::function<int64_t()> clock) { clock_ = std::move(clock); }
  // Applies offsets.retention.minutes now (a timer does this every
  // offsets.retention.check.interval.ms).
  void expire_offsets();

 private:
  // A request answered now, or parked until the group completes it.
  template <typename T>
  struct Started {
    T now;
    std::shared_ptr<Parked<T>> parked;
  };
  Started<JoinResult> start_join(const JoinRequest& request);
  Started<SyncResult> start_sync(const SyncRequest& request);

  ClassicGroup& get_or_create(const std::string& group_id);
  ClassicGroup* find(const std::string& group_id);
  const ClassicGroup* find(const std::string& group_id) const;

  void add_member_and_rebalance(ClassicGroup& group, const JoinRequest& request,
                                      const std::string& member_id,
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
  void persist_group(const ClassicGroup& group);
  bool erase_group(const std::string& group_id, bool log);  // false: the store refused
  std::string new_member_id(const std::string& prefix);
  int64_t now_ms() const;
  asio::awaitable<void> retention_loop();

  asio::io_context& io_;
  const config::BrokerConfig& config_;
  storage::KvStore& store_;
  std::map<std::string, ClassicGroup> groups_;
  std::map<std::string, std::map<std::string, std::map<int32_t, CommittedOffset>>> offsets_;
  std::unique_ptr<asio::steady_timer> retention_timer_;
  bool stopping_ = false;
  std::function<int64_t()> clock_;
  std::string log_prefix_;
};

}  // namespace kafkalite::broker::group
