// AddOffsetsToTxn (key 25), v0-4: the group's offsets join the transaction
// (Kafka adds the group's __consumer_offsets partition), so TxnOffsetCommit
// may stage them. Answered as AddPartitionsToTxn v0-3 answers; below v2,
// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH.
// ACLs: WRITE on the transactional id, then READ on the group
// (TRANSACTIONAL_ID_ / GROUP_AUTHORIZATION_FAILED).
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<AddOffsetsToTxnResponse> handle(Services& broker, const RequestContext& ctx, AddOffsetsToTxnRequest& request) {
  AddOffsetsToTxnResponse response;
  const Access access(broker, ctx);
  if (!access.allows_transactional_id(AclOperation::kWrite, request.transactional_id.value())) {
    response.error_code = ErrorCode::TransactionalIdAuthorizationFailed;
    co_return response;
  }
  if (!access.allows_group(AclOperation::kRead, request.group_id.value())) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  ErrorCode error = request.transactional_id.value().empty()
                        ? ErrorCode::InvalidRequest
                        : broker.transactions().add_offsets(request.transactional_id.value(),
                                                            request.producer_id.value(), request.producer_epoch,
                                                            request.group_id.value(), 0);
  if (error == ErrorCode::ProducerFenced && ctx.api_version < 2) error = ErrorCode::InvalidProducerEpoch;
  response.error_code = error;
  co_return response;
}

}  // namespace kafkalite::broker::api
