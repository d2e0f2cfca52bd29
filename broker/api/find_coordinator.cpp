// FindCoordinator (key 10), v0-6: this broker coordinates every group and
// every transactional id (one node). Batched keys from v4. An unknown key
// type gets INVALID_REQUEST for every key, as Kafka's error path answers.
// Differs from Kafka: transactional ids get this broker too, although
// kafkalite has no transactions (InitProducerId then refuses them).
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<FindCoordinatorResponse> handle(Broker& broker, const RequestContext& ctx, FindCoordinatorRequest& request) {
  FindCoordinatorResponse response;
  auto [host, port] = broker.advertised_endpoint(ctx.listener);
  const bool known_type = request.key_type == 0 || request.key_type == 1;
  if (ctx.api_version < 4) {
    if (!known_type) {
      response.error_code = code(ErrorCode::InvalidRequest);
      response.error_message = kInvalidRequestMessage;
      response.node_id = -1;
      response.host = "";
      response.port = -1;
    } else {
      response.error_message = "NONE";  // Kafka sends the error's name here
      response.node_id = broker.node_id();
      response.host = host;
      response.port = port;
    }
    co_return response;
  }
  for (const auto& key : request.coordinator_keys) {
    auto& c = response.coordinators.emplace_back();
    c.key = key;
    if (!known_type) {
      c.error_code = code(ErrorCode::InvalidRequest);
      c.error_message = kInvalidRequestMessage;
      c.node_id = -1;
      c.host = "";
      c.port = -1;
    } else {
      c.node_id = broker.node_id();
      c.host = host;
      c.port = port;
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
