// What the ACL handlers (DescribeAcls, CreateAcls, DeleteAcls) share.
//  - Kafka's request classes refuse a filter or creation holding an
//    UNKNOWN (code 0) pattern type, resource type, operation or permission
//    type: the request cannot be built and the connection is closed.
//  - The caller needs DESCRIBE (DescribeAcls) or ALTER (CreateAcls,
//    DeleteAcls) on the cluster, checked before anything else.
//  - Without an authorizer a 4.1.1 broker answers SECURITY_DISABLED.
#pragma once

#include <cstdint>
#include <string>

#include "broker/api/services.h"
#include "broker/security/acl.h"

namespace kafkalite::broker::api {

inline bool any_unknown_acl_code(int8_t pattern_type, int8_t resource_type, int8_t operation, int8_t permission_type) {
  return pattern_type == 0 || resource_type == 0 || operation == 0 || permission_type == 0;
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
