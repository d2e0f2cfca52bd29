// EndTxn (key 26), v0-5: commits or aborts the transaction; the
// coordinator writes the markers, the pending offsets and the new state in
// one write before answering. v5 speaks transaction version 2: the epoch is
// bumped on every EndTxn and the answer carries the producer id and epoch to
// use next. Below v2, PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH.
// ACLs: WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<EndTxnResponse> handle(Services& broker, const RequestContext& ctx, EndTxnRequest& request) {
  EndTxnResponse response;
  if (!Access(broker, ctx).allows_transactional_id(AclOperation::kWrite, request.transactional_id.value())) {
    response.error_code = ErrorCode::TransactionalIdAuthorizationFailed;
    co_return response;
  }
  auto result = broker.transactions().end_transaction(request.transactional_id.value(), request.producer_id.value(),
                                                      request.producer_epoch, request.committed,
                                                      ctx.api_version >= 5 ? 2 : 0);
  if (result.error == ErrorCode::ProducerFenced && ctx.api_version < 2) result.error = ErrorCode::InvalidProducerEpoch;
  response.error_code = result.error;
  if (result.error == ErrorCode::None && ctx.api_version >= 5) {
    response.producer_id = ProducerId(result.producer_id);
    response.producer_epoch = result.producer_epoch;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
