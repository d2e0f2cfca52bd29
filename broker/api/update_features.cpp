// UpdateFeatures (key 57), v0-2. Kafka's broker forwards it to the KRaft
// controller; kafkalite is both, and answers as a single-node 4.1.1 does:
// the feature checks and messages of cluster/features.h, all updates or
// none, per-feature results on success for v0-1 only. AllowDowngrade (v0)
// is not consulted, as Kafka's controller does not (v0 is always UPGRADE).
// ACLs: ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED, no results).
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "common/clock.h"

namespace kafkalite::broker::api {

Task<UpdateFeaturesResponse> handle(Services& broker, const RequestContext& ctx, UpdateFeaturesRequest& request) {
  std::vector<cluster::Features::Update> updates;
  for (const auto& f : request.feature_updates) {
    updates.push_back({f.feature, f.max_version_level, ctx.api_version >= 1 ? f.upgrade_type : int8_t{1}});
  }
  UpdateFeaturesResponse response;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kAlter)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    response.error_message = needs_cluster_permission(ctx, AclOperation::kAlter);
    co_return response;
  }
  const auto error = broker.features().update(updates, request.validate_only, now_ms());
  response.error_code = error.code;
  if (error.code != ErrorCode::None) {
    response.error_message =
        "The update failed for all features since the following feature had an error: " + error.message;
    co_return response;
  }
  response.error_message = std::nullopt;
  if (ctx.api_version <= 1) {
    for (const auto& f : request.feature_updates) response.results.push_back({f.feature, ErrorCode::None, "NONE", {}});
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
