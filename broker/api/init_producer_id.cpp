// InitProducerId (key 22), v0-5. For an idempotent producer (no
// transactional id) Kafka hands out a fresh producer id with epoch 0 every
// time; kafkalite does the same, persisting the counter. Transactions are not
// supported: a transactional id gets COORDINATOR_NOT_AVAILABLE (after Kafka's
// checks of the id and the timeout).
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<InitProducerIdResponse> handle(Services& broker, const RequestContext&, InitProducerIdRequest& request) {
  InitProducerIdResponse response;
  if (request.transactional_id) {
    // Kafka's transaction coordinator checks the id and the timeout first.
    const int64_t max_timeout = broker.config().get_int("transaction.max.timeout.ms", 900000);
    ErrorCode error = ErrorCode::CoordinatorNotAvailable;
    if (request.transactional_id->value().empty()) {
      error = ErrorCode::InvalidRequest;
    } else if (request.transaction_timeout_ms <= 0 || request.transaction_timeout_ms > max_timeout) {
      error = ErrorCode::InvalidTransactionTimeout;
    }
    response.error_code = error;
    response.producer_id = ProducerId(-1);
    response.producer_epoch = -1;
    co_return response;
  }
  const std::optional<int64_t> id = broker.allocate_producer_id();
  if (!id) {
    response.error_code = ErrorCode::UnknownServerError;
    response.producer_id = ProducerId(-1);
    response.producer_epoch = -1;
    co_return response;
  }
  response.producer_id = ProducerId(*id);
  response.producer_epoch = 0;
  co_return response;
}

}  // namespace kafkalite::broker::api
