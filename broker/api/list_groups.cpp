// ListGroups (key 16), v0-5: every group, filtered by state (v4+, any case,
// trimmed) and by type (v5+, any case): "classic" or "consumer" (KIP-848).
// ACLs: with DESCRIBE on the cluster every group, else those the caller may
// DESCRIBE (quietly: this filters, it refuses nothing).
#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"
#include "common/text.h"

namespace kafkalite::broker::api {
namespace {

bool matches(const std::vector<std::string>& filter, const std::string& value, bool trim) {
  if (filter.empty()) return true;
  return std::any_of(filter.begin(), filter.end(), [&](const std::string& f) {
    return text::lower(trim ? text::trim(f) : f) == text::lower(value);
  });
}

}  // namespace

Task<ListGroupsResponse> handle(Services& broker, const RequestContext& ctx, ListGroupsRequest& request) {
  ListGroupsResponse response;
  const Access access(broker, ctx);
  const bool every_group = access.allows_cluster(AclOperation::kDescribe, kQuietDenial);
  for (const auto& g : broker.groups().list()) {
    if (!matches(request.states_filter, g.state, true) || !matches(request.types_filter, g.type, false)) continue;
    if (!every_group && !access.allows_group(AclOperation::kDescribe, g.group_id, kQuietDenial)) continue;
    auto& out = response.groups.emplace_back();
    out.group_id = GroupId(g.group_id);
    out.protocol_type = g.protocol_type;
    out.group_state = g.state;
    out.group_type = g.type;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
