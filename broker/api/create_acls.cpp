// CreateAcls (key 30), v1-3: stores new ACLs, durably and in one write
// (an ACL stored already succeeds without a second copy). As Kafka 4.1.1:
//  - ALTER on the cluster first (every result CLUSTER_AUTHORIZATION_FAILED);
//    without an authorizer every result is SECURITY_DISABLED
//    (broker/api/acls.h);
//  - a creation with an ANY resource type, pattern, operation or
//    permission (or MATCH) cannot become an ACL binding: the whole request
//    fails, every result UNKNOWN_SERVER_ERROR;
//  - per creation, INVALID_REQUEST for: a CLUSTER named other than
//    kafka-cluster, an empty name, a code out of range, a principal with
//    no type ("User:alice"). Hosts, principal types and operations that
//    make no sense for the type are stored as given.
#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/acls.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

namespace {

using security::AclPermission;
using security::PatternType;

// What Kafka's controller and broker refuse in a creation, if anything.
std::optional<std::string> refusal(const security::Acl& acl) {
  if (acl.resource_type == ResourceType::kCluster && acl.resource_name != security::kClusterName) {
    return "The only valid name for the CLUSTER resource is kafka-cluster";
  }
  if (acl.resource_name.empty()) return "Invalid empty resource name";
  if (acl.resource_type == ResourceType::kUnknown) return "Invalid resourceType UNKNOWN";
  if (acl.pattern_type != PatternType::kLiteral && acl.pattern_type != PatternType::kPrefixed) {
    return std::string("Invalid patternType ") + security::name_of(acl.pattern_type);
  }
  if (acl.operation == AclOperation::kUnknown) return "Invalid operation UNKNOWN";
  if (acl.permission != AclPermission::kAllow && acl.permission != AclPermission::kDeny) {
    return std::string("Invalid permissionType ") + security::name_of(acl.permission);
  }
  if (acl.principal.find(':') == std::string::npos) {
    return "Could not parse principal from `" + acl.principal +
           "` (no colon is present separating the principal type from the principal name)";
  }
  return std::nullopt;
}

}  // namespace

Task<CreateAclsResponse> handle(Services& services, const RequestContext& ctx, CreateAclsRequest& request) {
  CreateAclsResponse response;
  const auto& all = request.creations;
  if (std::any_of(all.begin(), all.end(), [](const auto& c) {
        return any_unknown_acl_code(c.resource_pattern_type, c.resource_type, c.operation, c.permission_type);
      })) {
    ctx.invalid = "the creations hold UNKNOWN elements";
    co_return response;
  }
  auto all_results = [&](ErrorCode code, std::optional<std::string> message) {
    response.results.assign(all.size(), {code, std::move(message), {}});
    return response;
  };
  if (auto refused = acl_api_refusal(services, ctx, AclOperation::kAlter, "No Authorizer is configured.")) {
    co_return all_results(refused->first, refused->second);
  }
  std::vector<security::Acl> acls;
  for (const auto& c : all) {
    security::Acl acl{security::resource_type_of(c.resource_type), c.resource_name,
                      security::pattern_type_of(c.resource_pattern_type), c.principal, c.host,
                      security::operation_of(c.operation), security::permission_of(c.permission_type)};
    // AclBinding's constructors refuse ANY (and MATCH): the request fails.
    if (acl.resource_type == ResourceType::kAny || acl.pattern_type == PatternType::kAny ||
        acl.pattern_type == PatternType::kMatch || acl.operation == AclOperation::kAny ||
        acl.permission == AclPermission::kAny) {
      co_return all_results(ErrorCode::UnknownServerError, std::nullopt);
    }
    acls.push_back(std::move(acl));
  }
  response.results.resize(all.size());
  std::vector<security::Acl> accepted;
  for (size_t i = 0; i < acls.size(); ++i) {
    if (auto why = refusal(acls[i])) {
      response.results[i].error_code = ErrorCode::InvalidRequest;
      response.results[i].error_message = *why;
    } else {
      accepted.push_back(acls[i]);
    }
  }
  if (auto failed = services.authorizer().create(accepted)) {
    for (size_t i = 0; i < acls.size(); ++i) {
      if (response.results[i].error_code != ErrorCode::None) continue;
      response.results[i].error_code = ErrorCode::UnknownServerError;
      response.results[i].error_message = failed->message;
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
