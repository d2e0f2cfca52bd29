// What the consumer-group handlers share: Kafka's view of the client's host,
// error-code casts, and the single-node coordinator answer.
#pragma once

#include <string>

#include "broker/api/services.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::broker::api {

// The text Kafka sends with INVALID_REQUEST from its generic error path.
inline constexpr const char* kInvalidRequestMessage =
    "This most likely occurs because of a request being malformed by the client library or the "
    "message was sent to an incompatible broker. See the broker logs for more details.";


// Kafka shows a member's host as Java prints an InetAddress: "/127.0.0.1".
inline std::string client_host(const RequestContext& ctx) {
  const auto colon = ctx.peer.rfind(':');
  return "/" + ctx.peer.substr(0, colon);
}

}  // namespace kafkalite::broker::api
