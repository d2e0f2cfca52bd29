// LeaveGroup (key 13), v0-5: one member (v0-2) or a batch (v3+, by member id
// or by group instance id). An unknown group answers NONE with
// UNKNOWN_MEMBER_ID per member, as Kafka does.
// ACLs: READ on the group (GROUP_AUTHORIZATION_FAILED).
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<LeaveGroupResponse> handle(Services& broker, const RequestContext& ctx, LeaveGroupRequest& request) {
  LeaveGroupResponse response;
  if (!Access(broker, ctx).allows_group(AclOperation::kRead, request.group_id.value())) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  if (request.group_id.value().empty()) {
    response.error_code = ErrorCode::InvalidGroupId;
    co_return response;
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> members;
  std::string reason;
  if (ctx.api_version < 3) {
    members.emplace_back(request.member_id, std::nullopt);
  } else {
    for (const auto& m : request.members) members.emplace_back(m.member_id, m.group_instance_id);
    if (!request.members.empty() && request.members.front().reason) reason = *request.members.front().reason;
  }
  const auto errors = broker.groups().leave(request.group_id, members, reason);
  if (ctx.api_version < 3) {
    // v0-2 carry one error: the member's.
    response.error_code = (errors.empty() ? ErrorCode::None : errors.front());
    co_return response;
  }
  for (size_t i = 0; i < members.size(); ++i) {
    auto& out = response.members.emplace_back();
    out.member_id = members[i].first;
    out.group_instance_id = members[i].second;
    out.error_code = (errors[i]);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
