// ElectLeaders (key 43), v0-2. Kafka's broker forwards it to the KRaft
// controller; on one node every partition already has its preferred (and
// only) leader, so each named partition gets ELECTION_NOT_NEEDED, and a
// request for all partitions (null) lists every topic with no partitions,
// as Kafka's controller leaves out those that need no election. Unknown
// topics and partitions, and an election type other than 0 (preferred) or
// 1 (unclean), get Kafka's errors and messages. ACLs: ALTER on the cluster,
// else CLUSTER_AUTHORIZATION_FAILED at the top and on each partition named.
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<ElectLeadersResponse> handle(Services& broker, const RequestContext& ctx, ElectLeadersRequest& request) {
  ElectLeadersResponse response;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kAlter)) {
    const std::string message = needs_cluster_permission(ctx, AclOperation::kAlter);
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    for (const auto& t : request.topic_partitions.value_or(std::vector<ElectLeadersRequest::TopicPartitions>{})) {
      auto& out = response.replica_election_results.emplace_back();
      out.topic = t.topic;
      for (int32_t p : t.partitions) {
        out.partition_result.push_back({p, ErrorCode::ClusterAuthorizationFailed, message, {}});
      }
    }
    co_return response;
  }
  if (request.election_type != 0 && request.election_type != 1) {
    // The controller refuses the request; every partition named shares its error.
    const std::string message = "Unknown election type " + std::to_string(request.election_type);
    response.error_code = ErrorCode::InvalidRequest;
    for (const auto& t : request.topic_partitions.value_or(std::vector<ElectLeadersRequest::TopicPartitions>{})) {
      auto& out = response.replica_election_results.emplace_back();
      out.topic = t.topic;
      for (int32_t p : t.partitions) out.partition_result.push_back({p, ErrorCode::InvalidRequest, message, {}});
    }
    co_return response;
  }
  if (!request.topic_partitions) {
    for (const auto& [name, topic] : broker.topics().all()) {
      response.replica_election_results.push_back({TopicName(name), {}, {}});
    }
    co_return response;
  }
  for (const auto& t : *request.topic_partitions) {
    auto& out = response.replica_election_results.emplace_back();
    out.topic = t.topic;
    const cluster::Topic* topic = broker.topics().find(t.topic);
    for (int32_t p : t.partitions) {
      if (!topic) {
        out.partition_result.push_back({p, ErrorCode::UnknownTopicOrPartition, "No such topic as " + t.topic.value(), {}});
      } else if (!topic->partition(p)) {
        out.partition_result.push_back(
            {p, ErrorCode::UnknownTopicOrPartition, "No such partition as " + t.topic.value() + "-" + std::to_string(p), {}});
      } else {
        out.partition_result.push_back(
            {p, ErrorCode::ElectionNotNeeded, std::string(error_default_message(ErrorCode::ElectionNotNeeded)), {}});
      }
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
