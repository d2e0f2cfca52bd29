// What the ACL handlers (DescribeAcls, CreateAcls, DeleteAcls) share.
//  - Kafka's request classes refuse a filter or creation holding an
//    UNKNOWN (code 0) pattern type, resource type, operation or permission
//    type: the request cannot be built and the connection is closed.
//  - The caller needs DESCRIBE (DescribeAcls) or ALTER (CreateAcls,
//    DeleteAcls) on the cluster, checked before anything else.
//  - Without an authorizer a 4.1.1 broker answers SECURITY_DISABLED.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "broker/api/access.h"
#include "broker/api/services.h"
#include "broker/security/acl.h"

namespace kafkalite::broker::api {

inline bool any_unknown_acl_code(int8_t pattern_type, int8_t resource_type, int8_t operation, int8_t permission_type) {
  return pattern_type == 0 || resource_type == 0 || operation == 0 || permission_type == 0;
}

// What an ACL API answers before it looks at the request's entries, if
// anything: CLUSTER_AUTHORIZATION_FAILED without `operation` on the cluster,
// then SECURITY_DISABLED (with `disabled`, Kafka's text for the API)
// without an authorizer.
inline std::optional<std::pair<protocol::ErrorCode, std::string>> acl_api_refusal(Services& services,
                                                                                 const RequestContext& ctx,
                                                                                 security::AclOperation operation,
                                                                                 const char* disabled) {
  if (!Access(services, ctx).allows_cluster(operation)) {
    return std::pair{protocol::ErrorCode::ClusterAuthorizationFailed, needs_cluster_permission(ctx, operation)};
  }
  if (!services.authorizer().enabled()) return std::pair{protocol::ErrorCode::SecurityDisabled, std::string(disabled)};
  return std::nullopt;
}

template <typename WireFilter>
security::AclFilter acl_filter_of(const WireFilter& f) {
  security::AclFilter filter;
  filter.resource_type = security::resource_type_of(f.resource_type_filter);
  filter.resource_name = f.resource_name_filter;
  filter.pattern_type = security::pattern_type_of(f.pattern_type_filter);
  filter.principal = f.principal_filter;
  filter.host = f.host_filter;
  filter.operation = security::operation_of(f.operation);
  filter.permission = security::permission_of(f.permission_type);
  return filter;
}

}  // namespace kafkalite::broker::api
