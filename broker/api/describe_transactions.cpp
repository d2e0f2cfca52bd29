// DescribeTransactions (key 65), v0: each transactional id's state, in
// request order. An unknown id gets TRANSACTIONAL_ID_NOT_FOUND, an empty one
// INVALID_REQUEST. The start time stays that of the last transaction once it
// completed (-1 only before the first), as Kafka keeps it; a group's offsets
// in a transaction show as its __consumer_offsets partition.
// ACLs: DESCRIBE on each transactional id (else
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED); the topics the caller may not
// DESCRIBE are left out of a transaction's partitions.
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeTransactionsResponse> handle(Services& broker, const RequestContext& ctx,
                                          DescribeTransactionsRequest& request) {
  DescribeTransactionsResponse response;
  const Access access(broker, ctx);
  for (const auto& id : request.transactional_ids) {
    auto& out = response.transaction_states.emplace_back();
    out.transactional_id = id;
    if (!access.allows_transactional_id(AclOperation::kDescribe, id.value())) {
      out.error_code = ErrorCode::TransactionalIdAuthorizationFailed;
      continue;
    }
    if (id.value().empty()) {
      out.error_code = ErrorCode::InvalidRequest;
      continue;
    }
    auto view = broker.transactions().describe(id.value());
    if (!view) {
      out.error_code = ErrorCode::TransactionalIdNotFound;
      continue;
    }
    out.transaction_state = std::string(txn::state_name(view->state));
    out.transaction_timeout_ms = view->timeout_ms;
    out.transaction_start_time_ms = view->start_timestamp_ms;
    out.producer_id = ProducerId(view->producer_id);
    out.producer_epoch = view->producer_epoch;
    for (const auto& [topic, partition] : view->partitions) {
      if (!access.allows_topic(AclOperation::kDescribe, topic)) continue;
      if (out.topics.empty() || out.topics.back().topic.value() != topic) {
        out.topics.emplace_back().topic = TopicName(topic);
      }
      out.topics.back().partitions.push_back(partition);
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
