// DescribeCluster (key 60), v0-2. One broker, never fenced; it is its own
// controller as far as clients can see (endpoint type 1, brokers).
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeClusterResponse> handle(Broker& broker, const RequestContext& ctx,
                                     DescribeClusterRequest& request) {
  DescribeClusterResponse response;
  if (request.endpoint_type != 1) {
    response.error_code = static_cast<int16_t>(ErrorCode::UnsupportedEndpointType);
    response.error_message = "Unsupported endpoint type " + std::to_string(request.endpoint_type);
    co_return response;
  }
  auto [host, port] = broker.advertised_endpoint(ctx.listener);
  response.cluster_id = broker.cluster_id();
  response.controller_id = broker.node_id();
  response.brokers.push_back({broker.node_id(), host, port, std::nullopt, false, {}});
  co_return response;
}

}  // namespace kafkalite::broker::api
