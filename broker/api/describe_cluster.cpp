// DescribeCluster (key 60), v0-2. One broker, never fenced; it is its own
// controller as far as clients can see (endpoint type 1, brokers).
// ACLs: none needed; the cluster's authorized operations (when asked) need
// DESCRIBE on it, else 0.
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/topic_rules.h"

namespace kafkalite::broker::api {

Task<DescribeClusterResponse> handle(Services& broker, const RequestContext& ctx,
                                     DescribeClusterRequest& request) {
  DescribeClusterResponse response;
  if (request.endpoint_type == 2) {
    // A broker listener serving a request meant for controllers (KIP-919).
    response.error_code = ErrorCode::MismatchedEndpointType;
    response.error_message =
        "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER";
    co_return response;
  }
  if (request.endpoint_type != 1) {
    response.error_code = ErrorCode::UnsupportedEndpointType;
    response.error_message = "Unsupported endpoint type " + std::to_string(request.endpoint_type);
    co_return response;
  }
  auto [host, port] = broker.advertised_endpoint(ctx.listener);
  response.cluster_id = broker.cluster_id();
  response.controller_id = broker.node_id();
  if (request.include_cluster_authorized_operations) {
    const Access access(broker, ctx);
    response.cluster_authorized_operations =
        access.allows_cluster(AclOperation::kDescribe) ? access.operations(ResourceType::kCluster, kClusterName) : 0;
  }
  response.brokers.push_back({broker.node_id(), host, port, std::nullopt, false, {}});
  co_return response;
}

}  // namespace kafkalite::broker::api
