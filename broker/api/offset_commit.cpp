// OffsetCommit (key 8), v2-9: checks topics and partitions first (as
// KafkaApis does), then the group (generation, member, state), then each
// partition's metadata size (offset.metadata.max.bytes). A commit with
// generation -1 and no member creates a "simple" group when there is none.
// Offsets are stored in RocksDB with the log.
// ACLs: READ on the group (else every partition GROUP_AUTHORIZATION_FAILED),
// then READ on each topic (TOPIC_AUTHORIZATION_FAILED before existence).
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"
#include "common/clock.h"

namespace kafkalite::broker::api {

Task<OffsetCommitResponse> handle(Services& broker, const RequestContext& ctx, OffsetCommitRequest& request) {
  OffsetCommitResponse response;
  using PartitionOut = OffsetCommitResponse::OffsetCommitResponseTopic::OffsetCommitResponsePartition;
  const Access access(broker, ctx);
  if (!access.allows_group(AclOperation::kRead, request.group_id.value())) {
    refuse_partitions(request.topics, response.topics, ErrorCode::GroupAuthorizationFailed);
    co_return response;
  }
  const auto to_group = known_partitions(broker, access, request.topics, response.topics);
  if (to_group.empty()) co_return response;
  const ErrorCode group_error = broker.groups().validate_commit(
      request.group_id, request.generation_id_or_member_epoch, request.member_id, request.group_instance_id,
      ctx.api_version);
  const int64_t max_metadata = broker.config().get_int("offset.metadata.max.bytes", 4096);
  const int64_t now = now_ms();
  std::vector<std::tuple<std::string, int32_t, group::CommittedOffset>> commits;
  for (auto [ti, pi] : to_group) {
    const auto& in = request.topics[ti].partitions[pi];
    PartitionOut& out = response.topics[ti].partitions[pi];
    if (group_error != ErrorCode::None) {
      out.error_code = (group_error);
    } else if (in.committed_metadata && static_cast<int64_t>(in.committed_metadata->size()) > max_metadata) {
      out.error_code = ErrorCode::OffsetMetadataTooLarge;
    } else {
      group::CommittedOffset offset;
      offset.offset = in.committed_offset;
      offset.leader_epoch = in.committed_leader_epoch;
      offset.metadata = in.committed_metadata.value_or("");
      offset.commit_timestamp_ms = now;
      if (ctx.api_version <= 4 && request.retention_time_ms != -1) {
        offset.expire_timestamp_ms = now + request.retention_time_ms;
      }
      commits.emplace_back(request.topics[ti].name.value(), in.partition_index, std::move(offset));
    }
  }
  if (!commits.empty() && broker.groups().commit(request.group_id, commits)) {
    // Kafka's coordinator answers a failed write of its records NOT_COORDINATOR.
    for (auto [ti, pi] : to_group) {
      PartitionOut& out = response.topics[ti].partitions[pi];
      if (out.error_code == ErrorCode::None) out.error_code = ErrorCode::NotCoordinator;
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
