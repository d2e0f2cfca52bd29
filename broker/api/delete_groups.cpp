// DeleteGroups (key 42), v0-2: deletes empty groups with their committed
// offsets; NON_EMPTY_GROUP while members remain, GROUP_ID_NOT_FOUND for an
// unknown group. A group named twice is answered once.
#include <set>

#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DeleteGroupsResponse> handle(Services& broker, const RequestContext&, DeleteGroupsRequest& request) {
  DeleteGroupsResponse response;
  std::set<GroupId> seen;
  for (const auto& id : request.groups_names) {
    if (!seen.insert(id).second) continue;
    auto& out = response.results.emplace_back();
    out.group_id = id;
    out.error_code = (broker.groups().delete_group(id));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
