// What the ACL handlers (DescribeAcls, CreateAcls, DeleteAcls) share.
// kafkalite has no authorizer (security is a later issue), and a 4.1.1
// broker without one answers every ACL request with SECURITY_DISABLED.
// Before that, Kafka's request classes refuse a filter or creation holding
// an UNKNOWN (code 0) pattern type, resource type, operation or permission
// type: the request cannot be built and the connection is closed.
#pragma once

#include <cstdint>

namespace kafkalite::broker::api {

inline bool any_unknown_acl_code(int8_t pattern_type, int8_t resource_type, int8_t operation, int8_t permission_type) {
  return pattern_type == 0 || resource_type == 0 || operation == 0 || permission_type == 0;
}

}  // namespace kafkalite::broker::api
