// Heartbeat (key 12), v0-4: keeps a member's session alive; answers
// REBALANCE_IN_PROGRESS while the group prepares a rebalance, so the member
// rejoins. ACLs: READ on the group (GROUP_AUTHORIZATION_FAILED).
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<HeartbeatResponse> handle(Services& broker, const RequestContext& ctx, HeartbeatRequest& request) {
  HeartbeatResponse response;
  if (!Access(broker, ctx).allows_group(AclOperation::kRead, request.group_id.value())) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  response.error_code = (broker.groups().heartbeat(request.group_id, request.generation_id,
                                                       request.member_id, request.group_instance_id));
  co_return response;
}

}  // namespace kafkalite::broker::api
