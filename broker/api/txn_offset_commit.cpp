// TxnOffsetCommit (key 28), v0-5: offsets committed inside a transaction.
// They are kept apart (pending) until the transaction ends: its commit makes
// them the group's committed offsets, its abort drops them. Checks in
// Kafka's order: unknown topics and partitions; an empty group id; the
// transaction (before v5 the group must have joined it through
// AddOffsetsToTxn, else INVALID_TXN_STATE, or TRANSACTION_ABORTABLE at v4;
// v5 speaks transaction version 2 and adds it here; PRODUCER_FENCED is
// answered as INVALID_PRODUCER_EPOCH); the group (generation and member when
// given; an unknown group only with generation -1, which makes a simple
// group); each partition's metadata size.
// ACLs (checked first): WRITE on the transactional id, READ on the group
// (else every partition TRANSACTIONAL_ID_ / GROUP_AUTHORIZATION_FAILED),
// READ on each topic (TOPIC_AUTHORIZATION_FAILED).
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"
#include "common/clock.h"

namespace kafkalite::broker::api {
namespace {

// A coordinator verdict as the group coordinator passes it on.
ErrorCode offsets_error(ErrorCode error, int16_t version) {
  if (error == ErrorCode::ProducerFenced) return ErrorCode::InvalidProducerEpoch;
  if (error == ErrorCode::TransactionAbortable && version < 4) return ErrorCode::InvalidTxnState;
  if (error == ErrorCode::NotEnoughReplicas) return ErrorCode::CoordinatorNotAvailable;
  return error;
}

}  // namespace

Task<TxnOffsetCommitResponse> handle(Services& broker, const RequestContext& ctx, TxnOffsetCommitRequest& request) {
  TxnOffsetCommitResponse response;
  const Access access(broker, ctx);
  if (!access.allows_transactional_id(AclOperation::kWrite, request.transactional_id.value())) {
    refuse_partitions(request.topics, response.topics, ErrorCode::TransactionalIdAuthorizationFailed);
    co_return response;
  }
  if (!access.allows_group(AclOperation::kRead, request.group_id.value())) {
    refuse_partitions(request.topics, response.topics, ErrorCode::GroupAuthorizationFailed);
    co_return response;
  }
  const auto valid = known_partitions(broker, access, request.topics, response.topics);
  if (valid.empty()) co_return response;
  auto fail_all = [&](ErrorCode error) {
    for (auto [ti, pi] : valid) response.topics[ti].partitions[pi].error_code = error;
  };
  const std::string& group_id = request.group_id.value();
  if (group_id.empty()) {
    fail_all(ErrorCode::InvalidGroupId);
    co_return response;
  }
  const ErrorCode verified = broker.transactions().verify_offsets(
      request.transactional_id.value(), request.producer_id.value(), request.producer_epoch, group_id,
      ctx.api_version >= 5 ? 2 : 0);
  if (verified != ErrorCode::None) {
    fail_all(offsets_error(verified, ctx.api_version));
    co_return response;
  }
  const ErrorCode group_error =
      broker.groups().validate_commit(request.group_id, request.generation_id, request.member_id,
                                      request.group_instance_id, ctx.api_version, /*transactional=*/true);
  if (group_error != ErrorCode::None) {
    fail_all(group_error);
    co_return response;
  }
  const int64_t max_metadata = broker.config().get_int("offset.metadata.max.bytes", 4096);
  const int64_t now = now_ms();
  std::vector<std::tuple<std::string, int32_t, group::CommittedOffset>> pending;
  for (auto [ti, pi] : valid) {
    const auto& in = request.topics[ti].partitions[pi];
    if (in.committed_metadata && static_cast<int64_t>(in.committed_metadata->size()) > max_metadata) {
      response.topics[ti].partitions[pi].error_code = ErrorCode::OffsetMetadataTooLarge;
      continue;
    }
    group::CommittedOffset offset;
    offset.offset = in.committed_offset;
    offset.leader_epoch = in.committed_leader_epoch;
    offset.metadata = in.committed_metadata.value_or("");
    offset.commit_timestamp_ms = now;
    pending.emplace_back(request.topics[ti].name.value(), in.partition_index, std::move(offset));
  }
  if (!pending.empty() && broker.groups().commit_pending(request.group_id, request.producer_id.value(),
                                                        request.producer_epoch, pending)) {
    fail_all(ErrorCode::NotCoordinator);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
