// DeleteAcls (key 31), v1-3. No authorizer: every filter gets
// SECURITY_DISABLED and no matches, as a 4.1.1 broker without one answers
// (broker/api/acls.h).
#include <algorithm>

#include "broker/api/acls.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DeleteAclsResponse> handle(Services&, const RequestContext& ctx, DeleteAclsRequest& request) {
  DeleteAclsResponse response;
  const auto& filters = request.filters;
  const bool unknown = std::any_of(filters.begin(), filters.end(), [](const auto& f) {
    return any_unknown_acl_code(f.pattern_type_filter, f.resource_type_filter, f.operation, f.permission_type);
  });
  if (unknown) {
    ctx.invalid = "the filters hold UNKNOWN elements";
    co_return response;
  }
  response.filter_results.assign(filters.size(), {ErrorCode::SecurityDisabled, "No Authorizer is configured.", {}, {}});
  co_return response;
}

}  // namespace kafkalite::broker::api
