// SyncGroup (key 14), v0-5: the leader's assignment reaches every member of
// the generation; followers wait for it. From v5 the protocol type and name
// must be given and match the group's (INCONSISTENT_GROUP_PROTOCOL).
// ACLs: READ on the group (GROUP_AUTHORIZATION_FAILED), after that check.
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<SyncGroupResponse> handle(Services& broker, const RequestContext& ctx, SyncGroupRequest& request) {
  SyncGroupResponse response;
  response.protocol_type = std::nullopt;
  response.protocol_name = std::nullopt;
  if (ctx.api_version >= 5 && (!request.protocol_type || !request.protocol_name)) {
    response.error_code = ErrorCode::InconsistentGroupProtocol;
    co_return response;
  }
  if (!Access(broker, ctx).allows_group(AclOperation::kRead, request.group_id.value())) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  group::SyncRequest sync;
  sync.group_id = request.group_id.value();
  sync.generation = request.generation_id;
  sync.member_id = request.member_id;
  sync.instance_id = request.group_instance_id;
  sync.protocol_type = request.protocol_type;
  sync.protocol_name = request.protocol_name;
  for (const auto& a : request.assignments) sync.assignments[a.member_id] = a.assignment;
  const group::SyncResult result = co_await broker.groups().sync(std::move(sync));
  ctx.abandon = result.abandoned;
  response.error_code = (result.error);
  response.assignment = result.assignment;
  if (result.error == ErrorCode::None) {
    response.protocol_type = result.protocol_type;
    response.protocol_name = result.protocol_name;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
