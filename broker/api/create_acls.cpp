// CreateAcls (key 30), v1-3. No authorizer: every creation gets
// SECURITY_DISABLED, as a 4.1.1 broker without one answers (broker/api/acls.h).
#include <algorithm>

#include "broker/api/acls.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<CreateAclsResponse> handle(Services&, const RequestContext& ctx, CreateAclsRequest& request) {
  CreateAclsResponse response;
  const auto& all = request.creations;
  if (std::any_of(all.begin(), all.end(), [](const auto& c) {
        return any_unknown_acl_code(c.resource_pattern_type, c.resource_type, c.operation, c.permission_type);
      })) {
    ctx.invalid = "the creations hold UNKNOWN elements";
  } else {
    response.results.assign(all.size(), {ErrorCode::SecurityDisabled, "No Authorizer is configured.", {}});
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
