// ListTransactions (key 66), v0-2: the transactional ids passing every
// filter — states by Kafka's names (an unknown name is echoed in
// unknown_state_filters and matches nothing), producer ids, a transaction
// open longer than duration_filter ms (v1; ids with no transaction yet
// pass), and a regular expression the whole id must match (v2; an invalid
// one gets INVALID_REGULAR_EXPRESSION). Kafka lists in hash order, which is
// no order at all; kafkalite lists by id. ACLs: only the ids the caller may
// DESCRIBE are listed.
#include <regex>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "common/clock.h"

namespace kafkalite::broker::api {

Task<ListTransactionsResponse> handle(Services& broker, const RequestContext& ctx, ListTransactionsRequest& request) {
  const Access access(broker, ctx);
  ListTransactionsResponse response;
  std::set<txn::TxnState> states;
  for (const auto& name : request.state_filters) {
    if (auto state = txn::state_from_name(name)) {
      states.insert(*state);
    } else {
      response.unknown_state_filters.push_back(name);
    }
  }
  // Only unknown states asked for: nothing can match.
  if (!request.state_filters.empty() && states.empty()) co_return response;
  std::optional<std::regex> pattern;
  if (request.transactional_id_pattern && !request.transactional_id_pattern->empty()) {
    try {
      pattern.emplace(*request.transactional_id_pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      response.error_code = ErrorCode::InvalidRegularExpression;
      co_return response;
    }
  }
  const std::set<ProducerId> producers(request.producer_id_filters.begin(), request.producer_id_filters.end());
  const int64_t now = now_ms();
  for (const auto& view : broker.transactions().list()) {
    if (view.state == txn::TxnState::kDead) continue;
    if (!states.empty() && !states.count(view.state)) continue;
    if (!producers.empty() && !producers.count(ProducerId(view.producer_id))) continue;
    if (request.duration_filter >= 0 && now - view.start_timestamp_ms <= request.duration_filter) continue;
    if (pattern && !std::regex_match(view.transactional_id, *pattern)) continue;
    if (!access.allows_transactional_id(AclOperation::kDescribe, view.transactional_id)) continue;
    auto& out = response.transaction_states.emplace_back();
    out.transactional_id = TransactionalId(view.transactional_id);
    out.producer_id = ProducerId(view.producer_id);
    out.transaction_state = std::string(txn::state_name(view.state));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
