// DescribeAcls (key 29), v1-3. No authorizer: SECURITY_DISABLED, as a 4.1.1
// broker without one answers (broker/api/acls.h).
#include "broker/api/acls.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeAclsResponse> handle(Services&, const RequestContext& ctx, DescribeAclsRequest& request) {
  DescribeAclsResponse response;
  if (any_unknown_acl_code(request.pattern_type_filter, request.resource_type_filter, request.operation,
                           request.permission_type)) {
    ctx.invalid = "the filter holds UNKNOWN elements";
    co_return response;
  }
  response.error_code = ErrorCode::SecurityDisabled;
  response.error_message = "No Authorizer is configured on the broker";
  co_return response;
}

}  // namespace kafkalite::broker::api
