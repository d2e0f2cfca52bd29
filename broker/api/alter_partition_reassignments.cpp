// AlterPartitionReassignments (key 45), v0-1. Kafka's broker forwards it to
// the KRaft controller. On one node the only assignment that can be made is
// the one there is ([this node]), which completes at once; the controller's
// checks, in its order and words: an unknown topic or partition, an empty
// list, a node that is not registered or named twice, a changed replication
// factor when v1 forbids it, and a cancellation with nothing to cancel.
// ACLs: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the top
// and on each partition named.
#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {
namespace {

using Partition = AlterPartitionReassignmentsRequest::ReassignableTopic::ReassignablePartition;

std::pair<ErrorCode, wire::NullableString> reassign(Services& broker, const std::string& name, const Partition& p,
                                                    bool allow_rf_change) {
  const cluster::Topic* topic = broker.topics().find(name);
  if (!topic) return {ErrorCode::UnknownTopicOrPartition, "Unable to find a topic named " + name + "."};
  if (!topic->partition(p.partition_index)) {
    return {ErrorCode::UnknownTopicOrPartition,
            "Unable to find partition " + name + ":" + std::to_string(p.partition_index) + "."};
  }
  if (!p.replicas) {
    return {ErrorCode::NoReassignmentInProgress, std::nullopt};  // Kafka's default message, sent as null
  }
  std::vector<int32_t> ids;
  for (const auto& r : *p.replicas) ids.push_back(r.value());
  if (ids.empty()) {
    return {ErrorCode::InvalidReplicaAssignment, "The manual partition assignment includes an empty replica list."};
  }
  std::sort(ids.begin(), ids.end());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != broker.node_id().value()) {
      return {ErrorCode::InvalidReplicaAssignment, "The manual partition assignment includes broker " +
                                                       std::to_string(ids[i]) + ", but no such broker is registered."};
    }
    if (i > 0 && ids[i] == ids[i - 1]) {
      return {ErrorCode::InvalidReplicaAssignment,
              "The manual partition assignment includes the broker " + std::to_string(ids[i]) + " more than once."};
    }
  }
  if (!allow_rf_change && ids.size() != 1) {
    return {ErrorCode::InvalidReplicationFactor,
            "The replication factor is changed from 1 to " + std::to_string(ids.size())};
  }
  return {ErrorCode::None, std::nullopt};
}

}  // namespace

Task<AlterPartitionReassignmentsResponse> handle(Services& broker, const RequestContext& ctx,
                                                 AlterPartitionReassignmentsRequest& request) {
  AlterPartitionReassignmentsResponse response;
  response.error_message = std::nullopt;
  response.allow_replication_factor_change = request.allow_replication_factor_change;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kAlter)) {
    const std::string message = needs_cluster_permission(ctx, AclOperation::kAlter);
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    response.error_message = message;
    for (const auto& t : request.topics) {
      auto& out = response.responses.emplace_back();
      out.name = t.name;
      for (const auto& p : t.partitions) {
        out.partitions.push_back({p.partition_index, ErrorCode::ClusterAuthorizationFailed, message, {}});
      }
    }
    co_return response;
  }
  for (const auto& t : request.topics) {
    auto& out = response.responses.emplace_back();
    out.name = t.name;
    for (const auto& p : t.partitions) {
      auto [code, message] = reassign(broker, t.name.value(), p, request.allow_replication_factor_change);
      out.partitions.push_back({p.partition_index, code, message, {}});
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
