// The consumer: assign or subscribe, poll, seek, commit. Subscriptions use
// the classic group protocol (JoinGroup/SyncGroup/Heartbeat) with Kafka's
// range or roundrobin assignor; the member that leads computes the
// assignment, as in Kafka's clients. Blocking: heartbeats, auto commits and
// rebalances happen inside poll(), so poll often (Kafka's max.poll.interval.ms
// applies as it does to the Java consumer).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client/admin.h"
#include "common/records/record_batch.h"

namespace kafkalite::client {

struct ConsumerConfig : ClientConfig {
  std::optional<std::string> group_id;
  std::optional<std::string> group_instance_id;
  std::string auto_offset_reset = "latest";  // earliest | latest | none
  bool enable_auto_commit = true;
  std::chrono::milliseconds auto_commit_interval{5000};
  std::chrono::milliseconds session_timeout{45000};
  std::chrono::milliseconds heartbeat_interval{3000};
  std::chrono::milliseconds max_poll_interval{300000};
  std::string assignor = "range";  // range | roundrobin
  int32_t fetch_max_wait_ms = 500;
  int32_t fetch_min_bytes = 1;
  int32_t fetch_max_bytes = 52428800;
  int32_t max_partition_fetch_bytes = 1048576;
  size_t max_poll_records = 500;
  // read_committed: records of aborted transactions are skipped, and no
  // record past the last stable offset is returned (Kafka's isolation.level).
  std::string isolation_level = "read_uncommitted";
  int8_t isolation() const { return isolation_level == "read_committed" ? 1 : 0; }
};

struct ConsumerRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp = -1;
  records::TimestampType timestamp_type = records::TimestampType::kCreateTime;
  wire::NullableBytes key;
  wire::NullableBytes value;
  std::vector<records::RecordHeader> headers;
};

class Consumer {
 public:
  static Result<std::unique_ptr<Consumer>> connect(const ConsumerConfig& config);
  ~Consumer();

  // Joins the group (on the next poll) for these topics.
  Error subscribe(const std::vector<std::string>& topics);
  // Reads these partitions without a group.
  Error assign(const std::vector<TopicPartition>& partitions);
  const std::vector<TopicPartition>& assignment() const { return assignment_; }

  void seek(const TopicPartition& tp, int64_t offset) { positions_[tp] = offset; }
  Error seek_to_beginning(const std::vector<TopicPartition>& partitions);
  Error seek_to_end(const std::vector<TopicPartition>& partitions);
  std::optional<int64_t> position(const TopicPartition& tp) const;

  // Records that arrive within `timeout` (possibly none). Errors that a
  // consumer cannot go on from (unknown topic with no group, reset policy
  // none, a dead broker) are returned.
  Result<std::vector<ConsumerRecord>> poll(std::chrono::milliseconds timeout);

  // Commits the current positions (or the given offsets) for the group.
  Error commit_sync();
  Error commit_sync(const std::map<TopicPartition, int64_t>& offsets);

  // Commits (with auto commit on), leaves the group.
  void close();

  const std::string& member_id() const { return member_id_; }
  int32_t generation() const { return generation_; }

 private:
  Consumer(ConsumerConfig config, std::shared_ptr<Cluster> cluster)
      : config_(std::move(config)), cluster_(cluster), admin_(std::make_unique<Admin>(cluster)) {}
  using Clock = std::chrono::steady_clock;

  Error ensure_group();          // joins or rejoins when needed
  Error join_and_sync();
  Error heartbeat_if_due();
  Error initialize_positions();  // committed offsets, else auto.offset.reset
  Error reset_position(const TopicPartition& tp);
  // Moves to the offsets ListOffsets gives for `spec` (an OffsetSpec value).
  Error seek_to(const std::vector<TopicPartition>& partitions, int64_t spec);
  Error maybe_auto_commit(bool force);
  Result<std::vector<ConsumerRecord>> fetch_once(std::chrono::milliseconds max_wait);
  Error refresh_leaders();

  ConsumerConfig config_;
  std::shared_ptr<Cluster> cluster_;
  std::unique_ptr<Admin> admin_;  // on the same connections: ListOffsets, OffsetFetch

  std::vector<std::string> subscription_;
  std::vector<TopicPartition> assignment_;
  static bool is_abort_marker(const records::BatchView& batch);

  std::map<TopicPartition, int64_t> positions_;
  std::map<TopicPartition, int32_t> leaders_;
  std::map<TopicPartition, int64_t> committed_;  // what was last committed

  int32_t coordinator_ = -1;
  std::string member_id_;
  int32_t generation_ = -1;
  bool rejoin_needed_ = false;
  bool closed_ = false;
  Clock::time_point next_heartbeat_{};
  Clock::time_point next_auto_commit_{};
};

}  // namespace kafkalite::client
