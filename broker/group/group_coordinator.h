// The group coordinator: what every kind of group shares — committed offsets
// and their retention, listing, describing and deleting groups — over the
// classic protocol's coordinator (classic_coordinator.h). A transaction
// coordinator and KIP-848 groups sit beside the classic one here.
#pragma once

#include "common/net/asio.h"
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/group/classic_coordinator.h"
#include "broker/group/consumer_coordinator.h"
#include "broker/group/offset_store.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/strong_types.h"

namespace kafkalite::broker::group {

struct GroupListing {
  std::string group_id;
  std::string protocol_type;
  std::string state;
  std::string type;  // "classic" or "consumer" (ListGroups v5)
};

struct GroupDescription {
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

  // How consumer groups (KIP-848) see the cluster's topics: the composition
  // root attaches the topic registry's answers before serving.
  void attach_topics(TopicLookup topics);
  // Reads groups and committed offsets back from the store (at start-up).
  void load();
  // Completes every parked request and stops the retention loop (at shutdown).
  void shutdown();

  // The classic protocol, from classic groups and from classic members of
  // consumer groups (consumer_classic_members.cpp).
  asio::awaitable<JoinResult> join(JoinRequest request);
  asio::awaitable<SyncResult> sync(SyncRequest request);
  ErrorCode heartbeat(const protocol::GroupId& group_id, int32_t generation, const std::string& member_id,
                      const std::optional<std::string>& instance_id);
  std::vector<ErrorCode> leave(const protocol::GroupId& group_id,
                               const std::vector<std::pair<std::string, std::optional<std::string>>>& members,
                               const std::string& reason);

  // The new protocol (KIP-848).
  ConsumerHeartbeatResult consumer_heartbeat(const ConsumerHeartbeat& request) {
    return consumer_->heartbeat(request);
  }
  const ConsumerCoordinator& consumer_groups() const { return *consumer_; }

  // Committed offsets.
  ErrorCode validate_commit(const protocol::GroupId& group_id, int32_t generation, const std::string& member_id,
                            const std::optional<std::string>& instance_id, int16_t version,
                            bool transactional = false) {
    if (consumer_->find(group_id.value())) {
      return consumer_->validate_commit(group_id.value(), member_id, generation, instance_id, version, transactional);
    }
    return classic_->validate_commit(group_id.value(), generation, member_id, instance_id, version, transactional);
  }
  [[nodiscard]] storage::WriteResult commit(
      const protocol::GroupId& group_id, const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets) {
    return offsets_.commit(group_id.value(), offsets);
  }
  std::optional<CommittedOffset> committed(const protocol::GroupId& group_id, const std::string& topic,
                                           int32_t partition) const {
    return offsets_.committed(group_id.value(), topic, partition);
  }
  GroupOffsets committed(const protocol::GroupId& group_id) const { return offsets_.committed(group_id.value()); }
  // Transactional offsets (TxnOffsetCommit), pending until their
  // transaction ends (offset_store.h).
  [[nodiscard]] storage::WriteResult commit_pending(
      const protocol::GroupId& group_id, int64_t producer_id, int16_t producer_epoch,
      const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets) {
    return offsets_.commit_pending(group_id.value(), producer_id, producer_epoch, offsets);
  }
  bool has_pending(const protocol::GroupId& group_id, const std::string& topic, int32_t partition) const {
    return offsets_.has_pending(group_id.value(), topic, partition);
  }
  void stage_end_pending(const std::string& group_id, int64_t producer_id, bool commit,
                         storage::WriteBatch& batch) const {
    offsets_.stage_end_pending(group_id, producer_id, commit, batch);
  }
  void apply_end_pending(const std::string& group_id, int64_t producer_id, bool commit) {
    offsets_.apply_end_pending(group_id, producer_id, commit);
  }

  // OffsetDelete's group-level verdict, then per topic: is the group subscribed?
  ErrorCode validate_offset_delete(const protocol::GroupId& group_id) const;
  bool subscribed_to(const protocol::GroupId& group_id, const std::string& topic) const;
  [[nodiscard]] storage::WriteResult delete_offsets(const protocol::GroupId& group_id,
                                                    const std::vector<OffsetRef>& partitions) {
    return offsets_.delete_offsets(group_id.value(), partitions);
  }
  // A deleted topic takes its committed offsets with it, in the same write
  // as the topic: add their keys and tombstones to `batch` (returns how
  // many), apply it, then apply `records` and forget them.
  size_t stage_topic_removal(const std::string& topic, storage::WriteBatch& batch, OffsetsRecords& records) const {
    const size_t removed = offsets_.stage_topic_removal(topic, batch, records);
    records.stage(batch, now_ms());
    return removed;
  }
  void forget_topic(const std::string& topic);

  // __consumer_offsets, where the records go: the composition root attaches
  // the topic (offsets_topic.h).
  OffsetsTopic& offsets_topic() { return offsets_topic_; }
  const OffsetsTopic& offsets_topic() const { return offsets_topic_; }

  // Groups.
  std::optional<GroupDescription> describe(const protocol::GroupId& group_id) const;
  std::vector<GroupListing> list() const;
  ErrorCode delete_group(const protocol::GroupId& group_id);
  bool exists(const protocol::GroupId& group_id) const {
    return classic_->find(group_id.value()) != nullptr || consumer_->find(group_id.value()) != nullptr;
  }
  bool is_consumer_group(const protocol::GroupId& group_id) const {
    return consumer_->find(group_id.value()) != nullptr;
  }

  // Tells `journal` (the console's) what happens in every group.
  void observe_with(observe::Journal* journal) {
    classic_->observe_with(journal);
    consumer_->observe_with(journal);
  }
  // Replaces the wall clock (tests of retention).
  void set_clock(std::function<int64_t()> clock) { clock_ = std::move(clock); }
  // Applies offsets.retention.minutes now (a timer does this every
  // offsets.retention.check.interval.ms).
  void expire_offsets();

 private:
  int64_t now_ms() const;
  // Removes a group and its offsets in one write; false if the store refused.
  bool erase_group(const std::string& group_id, bool log);
  ExpiryRule expiry_rule(const ClassicGroup& group) const;
  ExpiryRule expiry_rule(const ConsumerGroup& group) const;
  asio::awaitable<void> retention_loop();

  asio::io_context& io_;
  const config::BrokerConfig& config_;
  storage::KvStore& store_;
  std::function<int64_t()> clock_;
  std::string log_prefix_;
  OffsetsTopic offsets_topic_;
  OffsetStore offsets_;
  std::unique_ptr<ClassicCoordinator> classic_;
  std::unique_ptr<ConsumerCoordinator> consumer_;
  std::unique_ptr<asio::steady_timer> retention_timer_;
  bool stopping_ = false;
};

}  // namespace kafkalite::broker::group
