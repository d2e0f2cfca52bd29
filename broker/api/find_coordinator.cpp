// FindCoordinator (key 10), v0-6: this broker coordinates every group and
// every transactional id (one node). Batched keys from v4. An unknown key
// type gets INVALID_REQUEST for every key, as Kafka's error path answers.
// Differs from Kafka: a just-started Kafka answers COORDINATOR_NOT_AVAILABLE
// while it creates __consumer_offsets or __transaction_state; kafkalite's
// coordinators are ready at once.
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<FindCoordinatorResponse> handle(Services& broker, const RequestContext& ctx, FindCoordinatorRequest& request) {
  FindCoordinatorResponse response;
  const auto endpoint = broker.advertised_endpoint(ctx.listener);  // (host, port)
  const bool known_type = request.key_type == 0 || request.key_type == 1;
  if (request.key_type == 1) broker.transactions().state_log_used();
  // The same answer for the single key (v0-3) and for each key (v4+).
  auto answer = [&](auto& out) {
    if (!known_type) {
      out.error_code = ErrorCode::InvalidRequest;
      out.error_message = kInvalidRequestMessage;
      out.node_id = BrokerId(-1);
      out.host = "";
      out.port = -1;
    } else {
      out.node_id = broker.node_id();
      out.host = endpoint.first;
      out.port = endpoint.second;
    }
  };
  if (ctx.api_version < 4) {
    answer(response);
    if (known_type) response.error_message = "NONE";  // Kafka sends the error's name here
    co_return response;
  }
  for (const auto& key : request.coordinator_keys) {
    auto& c = response.coordinators.emplace_back();
    c.key = key;
    answer(c);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
