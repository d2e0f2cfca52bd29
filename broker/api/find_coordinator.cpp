// FindCoordinator (key 10), v0-6: this broker coordinates every group and
// every transactional id (one node). Batched keys from v4. An unknown key
// type gets INVALID_REQUEST for every key, as Kafka's error path answers.
// The first ask for a kind of coordinator creates its internal topic
// (__consumer_offsets, __transaction_state) and is answered
// COORDINATOR_NOT_AVAILABLE, as Kafka answers while its controller creates
// the topic; kafkalite's is made at once, so the next ask finds it.
// ACLs: DESCRIBE on the group or transactional id, asked per key before
// anything else: GROUP_AUTHORIZATION_FAILED or
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED with no node.
#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"

namespace kafkalite::broker::api {

Task<FindCoordinatorResponse> handle(Services& broker, const RequestContext& ctx, FindCoordinatorRequest& request) {
  FindCoordinatorResponse response;
  const Access access(broker, ctx);
  // Kafka's getCoordinator: the key's authorization first.
  auto refusal = [&](const std::string& key) -> std::optional<ErrorCode> {
    if (request.key_type == 0 && !access.allows_group(AclOperation::kDescribe, key)) {
      return ErrorCode::GroupAuthorizationFailed;
    }
    if (request.key_type == 1 && !access.allows_transactional_id(AclOperation::kDescribe, key)) {
      return ErrorCode::TransactionalIdAuthorizationFailed;
    }
    return std::nullopt;
  };
  auto no_node = [](auto& out, ErrorCode error) {
    out.error_code = error;
    out.node_id = BrokerId(-1);
    out.host = "";
    out.port = -1;
  };
  std::vector<std::optional<ErrorCode>> refused;
  if (ctx.api_version < 4) {
    refused.push_back(refusal(request.key));
  } else {
    for (const auto& key : request.coordinator_keys) refused.push_back(refusal(key));
  }
  if (ctx.api_version < 4 && refused.front()) {
    no_node(response, *refused.front());
    response.error_message = std::string(error_default_message(*refused.front()));
    co_return response;
  }
  const auto endpoint = broker.advertised_endpoint(ctx.listener);  // (host, port)
  const bool known_type = request.key_type == 0 || request.key_type == 1;
  bool available = known_type;
  const bool any_allowed = std::any_of(refused.begin(), refused.end(), [](const auto& r) { return !r; });
  if (known_type && any_allowed) {
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
  for (size_t i = 0; i < request.coordinator_keys.size(); ++i) {
    auto& c = response.coordinators.emplace_back();
    c.key = request.coordinator_keys[i];
    if (refused[i]) {
      no_node(c, *refused[i]);
    } else {
      answer(c);
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
