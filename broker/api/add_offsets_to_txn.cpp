// AddOffsetsToTxn (key 25), v0-4: the group's offsets join the transaction
// (Kafka adds the group's __consumer_offsets partition), so TxnOffsetCommit
// may stage them. Answered as AddPartitionsToTxn v0-3 answers; below v2,
// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH.
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<AddOffsetsToTxnResponse> handle(Services& broker, const RequestContext& ctx, AddOffsetsToTxnRequest& request) {
  AddOffsetsToTxnResponse response;
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
