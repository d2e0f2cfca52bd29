// ListPartitionReassignments (key 46), v0. Kafka's broker forwards it to
// the KRaft controller, which lists reassignments in progress; on one node
// a reassignment completes at once (kafkalite's only replica stays where it
// is), so there are never any: an empty list, whatever topics are named.
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<ListPartitionReassignmentsResponse> handle(Services&, const RequestContext&, ListPartitionReassignmentsRequest&) {
  ListPartitionReassignmentsResponse response;
  response.error_message = std::nullopt;
  co_return response;
}

}  // namespace kafkalite::broker::api
