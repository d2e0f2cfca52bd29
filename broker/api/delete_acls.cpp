// DeleteAcls (key 31), v1-3: removes every stored ACL a filter matches
// (AclFilter's rules), in one write; per filter, in request order, what it
// matched (an ACL two filters match is listed by both, removed once).
// As Kafka 4.1.1: ALTER on the cluster first (every filter
// CLUSTER_AUTHORIZATION_FAILED); without an authorizer SECURITY_DISABLED
// (broker/api/acls.h); a filter of an unknown resource or pattern type gets
// INVALID_REQUEST "Unknown patternFilter.", of an unknown operation or
// permission "Unknown entryFilter."; more than 10000 matches fail every
// filter with INVALID_REQUEST.
#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/acls.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

namespace {

constexpr size_t kMaxRemovals = 10000;

std::optional<std::string> refusal(const security::AclFilter& f) {
  if (f.resource_type == ResourceType::kUnknown || f.pattern_type == security::PatternType::kUnknown) {
    return "Unknown patternFilter.";
  }
  if (f.operation == AclOperation::kUnknown || f.permission == security::AclPermission::kUnknown) {
    return "Unknown entryFilter.";
  }
  return std::nullopt;
}

}  // namespace

Task<DeleteAclsResponse> handle(Services& services, const RequestContext& ctx, DeleteAclsRequest& request) {
  DeleteAclsResponse response;
  const auto& filters = request.filters;
  const bool unknown = std::any_of(filters.begin(), filters.end(), [](const auto& f) {
    return any_unknown_acl_code(f.pattern_type_filter, f.resource_type_filter, f.operation, f.permission_type);
  });
  if (unknown) {
    ctx.invalid = "the filters hold UNKNOWN elements";
    co_return response;
  }
  auto all_results = [&](ErrorCode code, std::optional<std::string> message) {
    response.filter_results.assign(filters.size(), {code, std::move(message), {}, {}});
    return response;
  };
  if (auto refused = acl_api_refusal(services, ctx, AclOperation::kAlter, "No Authorizer is configured.")) {
    co_return all_results(refused->first, refused->second);
  }
  response.filter_results.resize(filters.size());
  std::vector<security::AclFilter> valid;
  std::vector<size_t> valid_index;
  size_t matches = 0;
  for (size_t i = 0; i < filters.size(); ++i) {
    auto& result = response.filter_results[i];
    result.error_message = std::nullopt;
    const security::AclFilter filter = acl_filter_of(filters[i]);
    if (auto why = refusal(filter)) {
      result.error_code = ErrorCode::InvalidRequest;
      result.error_message = *why;
      continue;
    }
    matches += services.authorizer().describe(filter).size();
    valid.push_back(filter);
    valid_index.push_back(i);
  }
  if (matches > kMaxRemovals) {
    co_return all_results(ErrorCode::InvalidRequest,
                          "Cannot remove more than 10000 acls in a single delete operation.");
  }
  std::vector<std::vector<security::Acl>> matched;
  if (auto failed = services.authorizer().remove(valid, matched)) {
    for (size_t i : valid_index) {
      response.filter_results[i].error_code = ErrorCode::UnknownServerError;
      response.filter_results[i].error_message = failed->message;
    }
    co_return response;
  }
  for (size_t v = 0; v < valid.size(); ++v) {
    auto& out = response.filter_results[valid_index[v]].matching_acls;
    for (const auto& acl : matched[v]) {
      auto& m = out.emplace_back();
      m.error_message = std::nullopt;
      m.resource_type = static_cast<int8_t>(acl.resource_type);
      m.resource_name = acl.resource_name;
      m.pattern_type = static_cast<int8_t>(acl.pattern_type);
      m.principal = acl.principal;
      m.host = acl.host;
      m.operation = static_cast<int8_t>(acl.operation);
      m.permission_type = static_cast<int8_t>(acl.permission);
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
