// InitProducerId (key 22), v0-5. Without a transactional id (an idempotent
// producer) Kafka hands out a fresh producer id with epoch 0 every time;
// kafkalite does the same, persisting the counter. With one, the
// transaction coordinator (broker/txn) answers: a new id, or the id's next
// epoch, fencing the producer that held it (an open transaction is aborted
// first and CONCURRENT_TRANSACTIONS answered, so the caller retries).
// Below v4, PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH.
// ACLs: WRITE on the transactional id (and TWO_PHASE_COMMIT with
// enable_2pc), else TRANSACTIONAL_ID_AUTHORIZATION_FAILED; an idempotent
// producer needs IDEMPOTENT_WRITE on the cluster or WRITE on some topic,
// else CLUSTER_AUTHORIZATION_FAILED.
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<InitProducerIdResponse> handle(Services& broker, const RequestContext& ctx, InitProducerIdRequest& request) {
  InitProducerIdResponse response;
  response.producer_id = ProducerId(-1);
  response.producer_epoch = -1;
  // Both or neither of the producer id and epoch (KIP-360).
  const bool has_id = request.producer_id.value() != -1;
  const bool has_epoch = request.producer_epoch != -1;
  const Access access(broker, ctx);
  if (request.transactional_id) {
    const std::string& id = request.transactional_id->value();
    if (!access.allows_transactional_id(AclOperation::kWrite, id) ||
        (request.enable2_pc && !access.allows_transactional_id(AclOperation::kTwoPhaseCommit, id))) {
      response.error_code = ErrorCode::TransactionalIdAuthorizationFailed;
      co_return response;
    }
  } else if (!access.allows_cluster(AclOperation::kIdempotentWrite, kQuietDenial) &&
             !access.allows_some(AclOperation::kWrite, ResourceType::kTopic)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    co_return response;
  }
  if (has_id != has_epoch) {
    response.error_code = ErrorCode::InvalidRequest;
    co_return response;
  }
  if (request.transactional_id) {
    std::optional<std::pair<int64_t, int16_t>> expected;
    if (has_id) expected.emplace(request.producer_id.value(), request.producer_epoch);
    broker.transactions().state_log_used();
    auto result = broker.transactions().init_producer_id(request.transactional_id->value(),
                                                         request.transaction_timeout_ms, expected);
    if (result.error == ErrorCode::ProducerFenced && ctx.api_version < 4) result.error = ErrorCode::InvalidProducerEpoch;
    response.error_code = result.error;
    if (result.error == ErrorCode::None) {
      response.producer_id = ProducerId(result.producer_id);
      response.producer_epoch = result.producer_epoch;
    }
    co_return response;
  }
  const std::optional<int64_t> id = broker.allocate_producer_id();
  if (!id) {
    response.error_code = ErrorCode::UnknownServerError;
    co_return response;
  }
  response.producer_id = ProducerId(*id);
  response.producer_epoch = 0;
  co_return response;
}

}  // namespace kafkalite::broker::api
