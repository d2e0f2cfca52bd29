// A classic consumer group as Kafka's group coordinator keeps it: members,
// generation, protocol, leader, and the state machine
//   Empty -> PreparingRebalance -> CompletingRebalance -> Stable
// (Dead is only ever shown for a group that does not exist).
#pragma once

#include "common/net/asio.h"
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "broker/group/guarded_timer.h"
#include "common/protocol/generated/coordinator_records.h"
#include "common/protocol/generated/error_code.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::broker::group {

namespace asio = boost::asio;
using protocol::ErrorCode;

enum class GroupState { kEmpty, kPreparingRebalance, kCompletingRebalance, kStable, kDead };
const char* state_name(GroupState state);

// A response a request handler is parked on until the coordinator completes
// it (JoinGroup waits for the rebalance, SyncGroup for the leader).
template <typename T>
struct Parked {
  explicit Parked(asio::any_io_executor executor) : timer(executor, asio::steady_timer::time_point::max()) {}
  void complete(T value) {
    if (result) return;
    result = std::move(value);
    timer.cancel();
  }
  asio::awaitable<T> wait() {
    while (!result) {
      boost::system::error_code ignored;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    co_return *result;
  }
  std::optional<T> result;
  asio::steady_timer timer;
};

struct JoinMember {
  std::string member_id;
  std::optional<std::string> instance_id;
  wire::Bytes metadata;
};

struct JoinResult {
  ErrorCode error = ErrorCode::None;
  std::string member_id;
  int32_t generation = -1;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  std::string leader;
  std::vector<JoinMember> members;  // for the leader only
  bool skip_assignment = false;
  // Replaced by a newer JoinGroup from the same member: Kafka never answers
  // this one; kafkalite closes its connection instead of answering.
  bool abandoned = false;
};

struct SyncResult {
  ErrorCode error = ErrorCode::None;
  std::optional<std::string> protocol_type;
  std::optional<std::string> protocol_name;
  wire::Bytes assignment;
  bool abandoned = false;  // replaced by a newer SyncGroup (see JoinResult)
};

struct Member {
  std::string id;
  std::optional<std::string> instance_id;
  std::string client_id;
  std::string client_host;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = 0;
  std::string protocol_type;
  std::vector<std::pair<std::string, wire::Bytes>> protocols;  // in the member's order of preference
  wire::Bytes assignment;
  bool is_new = false;
  std::shared_ptr<Parked<JoinResult>> join;  // set while its JoinGroup waits
  std::shared_ptr<Parked<SyncResult>> sync;  // set while its SyncGroup waits
  std::unique_ptr<GuardedTimer> heartbeat;

  const wire::Bytes* metadata_for(const std::string& protocol) const;
};

struct ClassicGroup {
  std::string id;
  GroupState state = GroupState::kEmpty;
  GroupState previous_state = GroupState::kDead;
  int64_t state_timestamp_ms = 0;  // when it entered `state`
  int32_t generation = 0;
  std::optional<std::string> protocol_type;  // none for a group made by an offset commit
  std::optional<std::string> protocol_name;
  std::optional<std::string> leader;
  std::map<std::string, Member> members;
  std::map<std::string, std::string> static_members;  // instance id -> member id
  std::map<std::string, std::unique_ptr<GuardedTimer>> pending_members;  // member id -> timeout
  std::vector<std::string> pending_sync;
  bool new_member_added = false;
  std::unique_ptr<GuardedTimer> join_timer;
  std::unique_ptr<GuardedTimer> sync_timer;

  bool is(GroupState s) const { return state == s; }
  void transition(GroupState to, int64_t now_ms);
  bool all_joined() const;
  int32_t rebalance_timeout_ms() const;
  // Kafka's supportsProtocols: an Empty group takes any non-empty type and
  // list; otherwise the type must match and one protocol be every member's.
  bool supports(const std::string& type, const std::vector<std::string>& names) const;
  std::string select_protocol() const;
  // UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID checks shared by most requests.
  ErrorCode validate_member(const std::string& member_id, const std::optional<std::string>& instance_id) const;
  // The topics the members subscribe to (ConsumerProtocolSubscription), or
  // nullopt when the group is not a "consumer" group or a subscription
  // cannot be read.
  std::optional<std::vector<std::string>> subscribed_topics() const;
};

// The group record ('G' key), as Kafka's GroupMetadataValue holds it:
// protocol type, generation, protocol, leader, when the group entered the
// state the record describes, and every member with its session and
// rebalance timeouts, subscription (the selected protocol's metadata) and
// assignment. Carries its format version.
std::string serialize_group(const ClassicGroup& group, int64_t state_timestamp_ms);
// The group as Kafka records it in __consumer_offsets (GroupMetadataValue):
// members in the order of Kafka's HashMap of them, each with its metadata
// for the group's protocol.
protocol::GroupMetadataValue group_metadata_record(const ClassicGroup& group, int64_t state_timestamp_ms);
// Fills `group` from a record: Empty without members, else Stable (as Kafka
// reloads it). False when the record is in an unknown format.
bool parse_group(std::string_view record, ClassicGroup& group);

}  // namespace kafkalite::broker::group
