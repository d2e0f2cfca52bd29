// DescribeQuorum (key 55), v0-2. Kafka's broker forwards it to the KRaft
// controller's Raft client; kafkalite answers for its quorum
// (cluster/quorum.h): this node the only voter and the leader, no observers
// (a combined node's broker half shares the controller's log), the leader's
// own fetch and caught-up times "now", as Kafka reports them. A request for
// anything but __cluster_metadata-0 gets UNKNOWN_TOPIC_OR_PARTITION per
// partition named, as Kafka's. ACLs: DESCRIBE on the cluster (the top-level
// CLUSTER_AUTHORIZATION_FAILED).
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "common/clock.h"

namespace kafkalite::broker::api {

Task<DescribeQuorumResponse> handle(Services& broker, const RequestContext& ctx, DescribeQuorumRequest& request) {
  DescribeQuorumResponse response;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kDescribe)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    response.error_message = std::string(error_default_message(ErrorCode::ClusterAuthorizationFailed));
    co_return response;
  }
  const bool valid = request.topics.size() == 1 && request.topics[0].topic_name == "__cluster_metadata" &&
                     request.topics[0].partitions.size() == 1 && request.topics[0].partitions[0].partition_index == 0;
  if (!valid) {
    for (const auto& topic : request.topics) {
      auto& out = response.topics.emplace_back();
      out.topic_name = topic.topic_name;
      for (const auto& p : topic.partitions) {
        auto& partition = out.partitions.emplace_back();
        partition.partition_index = p.partition_index;
        partition.error_code = ErrorCode::UnknownTopicOrPartition;
        partition.error_message = std::string(error_default_message(ErrorCode::UnknownTopicOrPartition));
      }
    }
    co_return response;
  }
  const int64_t now = now_ms();
  auto& quorum = broker.quorum();
  const int64_t end = quorum.end_offset(now);
  DescribeQuorumResponse::ReplicaState self;
  self.replica_id = broker.node_id();
  if (ctx.api_version >= 2 && broker.features().level(cluster::Features::kKraftVersion) >= 1) {
    self.replica_directory_id = quorum.directory_id();
  }
  self.log_end_offset = end;
  self.last_fetch_timestamp = now;
  self.last_caught_up_timestamp = now;
  auto& topic = response.topics.emplace_back();
  topic.topic_name = "__cluster_metadata";
  auto& partition = topic.partitions.emplace_back();
  partition.partition_index = 0;
  partition.leader_id = broker.node_id();
  partition.leader_epoch = quorum.leader_epoch();
  partition.high_watermark = end;
  partition.current_voters.push_back(self);
  if (ctx.api_version >= 2) {
    auto& node = response.nodes.emplace_back();
    node.node_id = broker.node_id();
    if (auto endpoint = quorum.voter_endpoint()) {
      node.listeners.push_back({endpoint->listener, endpoint->host, static_cast<uint16_t>(endpoint->port), {}});
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
