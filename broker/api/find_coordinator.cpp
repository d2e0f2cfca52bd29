// FindCoordinator (key 10), v0-6: this broker coordinates every group and
// every transactional id (one node). Batched keys from v4. An unknown key
// type gets INVALID_REQUEST for every key, as Kafka's error path answers.
// The first ask for a kind of coordinator creates its internal topic
// (__consumer_offsets, __transaction_state) and is answered
// COORDINATOR_NOT_AVAILABLE, as Kafka answers while its controller creates
// the topic; kafkalite's is made at once, so the next ask finds it.
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"

namespace kafkalite::broker::api {

Task<FindCoordinatorResponse> handle(Services& broker, const RequestContext& ctx, FindCoordinatorRequest& request) {
  FindCoordinatorResponse response;
  const auto endpoint = broker.advertised_endpoint(ctx.listener);  // (host, port)
  const bool known_type = request.key_type == 0 || request.key_type == 1;
  bool available = known_type;
  if (known_type) {
    bool created = false;
    const auto which = request.key_type == 0 ? cluster::InternalTopic::kConsumerOffsets
                                             : cluster::InternalTopic::kTransactionState;
    available = cluster::ensure_internal_topic(broker.topics(), broker.config(), which, &created) && !created;
  }
  if (request.key_type == 1) broker.transactions().state_log_used();
  // The same answer for the single key (v0-3) and for each key (v4+).
  auto answer = [&](auto& out) {
    if (!known_type || !available) {
      out.error_code = known_type ? ErrorCode::CoordinatorNotAvailable : ErrorCode::InvalidRequest;
      // Kafka names the error in v0-3's single answer only.
      if (!known_type) {
        out.error_message = kInvalidRequestMessage;
      } else if (ctx.api_version < 4) {
        out.error_message = "The coordinator is not available.";
      }
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
    if (available) response.error_message = "NONE";  // Kafka sends the error's name here
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
