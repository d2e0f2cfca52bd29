// ListPartitionReassignments (key 46), v0. Kafka's broker forwards it to
// the KRaft controller, which lists reassignments in progress; on one node
// a reassignment completes at once (kafkalite's only replica stays where it
// is), so there are never any: an empty list, whatever topics are named.
// ACLs: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED with the
// partitions named listed back.
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<ListPartitionReassignmentsResponse> handle(Services& broker, const RequestContext& ctx,
                                                ListPartitionReassignmentsRequest& request) {
  ListPartitionReassignmentsResponse response;
  response.error_message = std::nullopt;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kDescribe)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    response.error_message = needs_cluster_permission(ctx, AclOperation::kDescribe);
    for (const auto& t :
         request.topics.value_or(std::vector<ListPartitionReassignmentsRequest::ListPartitionReassignmentsTopics>{})) {
      auto& out = response.topics.emplace_back();
      out.name = t.name;
      for (int32_t p : t.partition_indexes) out.partitions.emplace_back().partition_index = p;
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
