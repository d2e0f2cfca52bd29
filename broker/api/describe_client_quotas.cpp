// DescribeClientQuotas (key 48), v0-1. kafkalite keeps no client quotas
// (AlterClientQuotas is not offered), so every valid filter matches nothing.
// It is served because Kafka's kafka-configs.sh asks it whenever it
// describes users (beside their SCRAM credentials). The filter is checked
// as Kafka's ClientQuotasImage checks it, with its messages: an empty or
// repeated entity type and a bad match are INVALID_REQUEST, an entity type
// other than user, client-id and ip UNSUPPORTED_VERSION, ip with user or
// client-id INVALID_REQUEST; an error answer has no entries (null).
// ACLs: DESCRIBE_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED).
#include <set>

#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

namespace {

constexpr int8_t kMatchExact = 0;
constexpr int8_t kMatchDefault = 1;
constexpr int8_t kMatchSpecified = 2;

struct Refusal {
  ErrorCode code;
  std::string message;
};

std::optional<Refusal> check(const DescribeClientQuotasRequest& request) {
  std::set<std::string> seen;
  for (const auto& c : request.components) {
    const std::string& type = c.entity_type;
    if (type.empty()) return Refusal{ErrorCode::InvalidRequest, "Invalid empty entity type."};
    if (seen.count(type)) {
      return Refusal{ErrorCode::InvalidRequest, "Entity type " + type + " cannot appear more than once in the filter."};
    }
    if (type != "ip" && type != "user" && type != "client-id") {
      return Refusal{ErrorCode::UnsupportedVersion, "Unsupported entity type " + type};
    }
    if (c.match_type == kMatchExact && !c.match) {
      return Refusal{ErrorCode::InvalidRequest, "Request specified MATCH_TYPE_EXACT, but set match string to null."};
    }
    if (c.match_type == kMatchDefault && c.match) {
      return Refusal{ErrorCode::InvalidRequest,
                     "Request specified MATCH_TYPE_DEFAULT, but also specified a match string."};
    }
    if (c.match_type == kMatchSpecified && c.match) {
      return Refusal{ErrorCode::InvalidRequest,
                     "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string."};
    }
    if (c.match_type < kMatchExact || c.match_type > kMatchSpecified) {
      return Refusal{ErrorCode::InvalidRequest, "Unknown match type " + std::to_string(c.match_type)};
    }
    seen.insert(type);
  }
  if (seen.count("ip") && (seen.count("user") || seen.count("client-id"))) {
    return Refusal{ErrorCode::InvalidRequest,
                   "Invalid entity filter component combination. IP filter component should not be used with user or "
                   "clientId filter component."};
  }
  return std::nullopt;
}

}  // namespace

Task<DescribeClientQuotasResponse> handle(Services& broker, const RequestContext& ctx,
                                          DescribeClientQuotasRequest& request) {
  DescribeClientQuotasResponse response;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kDescribeConfigs)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    response.error_message = std::nullopt;  // Kafka: null, the error's own text
    response.entries = std::nullopt;
    co_return response;
  }
  if (auto refusal = check(request)) {
    response.error_code = refusal->code;
    response.error_message = refusal->message;
    response.entries = std::nullopt;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
