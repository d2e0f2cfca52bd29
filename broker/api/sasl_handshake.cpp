// SaslHandshake (key 17), v0-1, once a connection has authenticated or on a
// listener without SASL. Before authentication the connection's session
// handles it (connection_session.h). Here, as Kafka's KafkaApis answers it:
// ILLEGAL_SASL_STATE with no mechanisms, and the connection stays open.
// (A SaslHandshake that begins a KIP-368 re-authentication never gets here.)
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<SaslHandshakeResponse> handle(Services&, const RequestContext&, SaslHandshakeRequest&) {
  SaslHandshakeResponse response;
  response.error_code = ErrorCode::IllegalSaslState;
  co_return response;
}

}  // namespace kafkalite::broker::api
