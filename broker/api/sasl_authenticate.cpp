// SaslAuthenticate (key 36), v0-2, once a connection has authenticated or
// on a listener without SASL. Before authentication the connection's
// session handles it (connection_session.h). Here, as Kafka's KafkaApis:
// ILLEGAL_SASL_STATE, and the connection stays open.
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<SaslAuthenticateResponse> handle(Services&, const RequestContext&, SaslAuthenticateRequest&) {
  SaslAuthenticateResponse response;
  response.error_code = ErrorCode::IllegalSaslState;
  response.error_message = "SaslAuthenticate request received after successful authentication";
  co_return response;
}

}  // namespace kafkalite::broker::api
