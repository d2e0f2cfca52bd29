// DeleteGroups (key 42), v0-2: deletes empty groups with their committed
// offsets; NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for an
// unknown group. A group named twice is answered once. ACLs: DELETE on each
// group; the others are answered GROUP_AUTHORIZATION_FAILED after the rest.
#include <algorithm>
#include <set>

#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DeleteGroupsResponse> handle(Services& broker, const RequestContext& ctx, DeleteGroupsRequest& request) {
  DeleteGroupsResponse response;
  const Access access(broker, ctx);
  std::set<GroupId> seen;
  std::vector<std::string> names;
  for (const auto& id : request.groups_names) {
    if (std::find(names.begin(), names.end(), id.value()) == names.end()) names.push_back(id.value());
  }
  const auto deletable = access.allowed_names(AclOperation::kDelete, ResourceType::kGroup, names);
  std::vector<GroupId> refused;
  for (const auto& id : request.groups_names) {
    if (!seen.insert(id).second) continue;
    if (!deletable.count(id.value())) {
      refused.push_back(id);
      continue;
    }
    auto& out = response.results.emplace_back();
    out.group_id = id;
    out.error_code = (broker.groups().delete_group(id));
  }
  for (const auto& id : refused) response.results.push_back({id, ErrorCode::GroupAuthorizationFailed, {}});
  co_return response;
}

}  // namespace kafkalite::broker::api
