// DescribeAcls (key 29), v1-3: the stored ACLs a filter matches (AclFilter's
// rules), grouped by resource pattern. Needs DESCRIBE on the cluster
// (CLUSTER_AUTHORIZATION_FAILED); without an authorizer SECURITY_DISABLED,
// as a 4.1.1 broker answers (broker/api/acls.h). A filter naming an
// unknown type matches nothing. Kafka groups in Java hash order (its order
// is unspecified); kafkalite lists resources as it stores them.
#include <map>
#include <tuple>

#include "broker/api/access.h"
#include "broker/api/acls.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeAclsResponse> handle(Services& services, const RequestContext& ctx, DescribeAclsRequest& request) {
  DescribeAclsResponse response;
  if (any_unknown_acl_code(request.pattern_type_filter, request.resource_type_filter, request.operation,
                           request.permission_type)) {
    ctx.invalid = "the filter holds UNKNOWN elements";
    co_return response;
  }
  if (auto refused = acl_api_refusal(services, ctx, AclOperation::kDescribe,
                                     "No Authorizer is configured on the broker")) {
    response.error_code = refused->first;
    response.error_message = refused->second;
    co_return response;
  }
  std::map<std::tuple<int8_t, std::string, int8_t>, size_t> index;
  for (const auto& acl : services.authorizer().describe(acl_filter_of(request))) {
    const auto key = std::make_tuple(static_cast<int8_t>(acl.resource_type), acl.resource_name,
                                     static_cast<int8_t>(acl.pattern_type));
    auto [it, added] = index.emplace(key, response.resources.size());
    if (added) {
      auto& resource = response.resources.emplace_back();
      resource.resource_type = std::get<0>(key);
      resource.resource_name = acl.resource_name;
      resource.pattern_type = std::get<2>(key);
    }
    auto& description = response.resources[it->second].acls.emplace_back();
    description.principal = acl.principal;
    description.host = acl.host;
    description.operation = static_cast<int8_t>(acl.operation);
    description.permission_type = static_cast<int8_t>(acl.permission);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
