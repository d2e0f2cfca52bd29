// OffsetForLeaderEpoch (key 23), v2-4. Consumers (KIP-320) ask where an
// epoch they fetched in ended, to find out whether the log they read was
// truncated; this node leads every partition, so the answer comes from the
// partition's epoch cache (log/partition_log.h), as Kafka's: the latest
// epoch ends at the log end, an older one where the next began. The replica
// id is ignored, as Kafka's leader ignores it. An unknown topic or partition
// gets UNKNOWN_TOPIC_OR_PARTITION, a stale or future current_leader_epoch
// FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH; the epoch and offset stay -1.
// ACLs: CLUSTER_ACTION on the cluster (asked quietly) allows every topic;
// else DESCRIBE on each, the others answered TOPIC_AUTHORIZATION_FAILED
// after the rest.
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/api/leader_epochs.h"

namespace kafkalite::broker::api {

Task<OffsetForLeaderEpochResponse> handle(Services& broker, const RequestContext& ctx,
                                          OffsetForLeaderEpochRequest& request) {
  OffsetForLeaderEpochResponse response;
  const Access access(broker, ctx);
  const bool every_topic = access.allows_cluster(AclOperation::kClusterAction, kQuietDenial);
  std::set<std::string> describable;
  if (!every_topic) {
    std::vector<std::string> names;
    for (const auto& wanted : request.topics) names.push_back(wanted.topic.value());
    describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names);
  }
  std::vector<OffsetForLeaderEpochResponse::OffsetForLeaderTopicResult> refused;
  for (const auto& wanted : request.topics) {
    if (!every_topic && !describable.count(wanted.topic.value())) {
      auto& topic_out = refused.emplace_back();
      topic_out.topic = wanted.topic;
      for (const auto& p : wanted.partitions) {
        auto& out = topic_out.partitions.emplace_back();
        out.partition = p.partition;
        out.error_code = ErrorCode::TopicAuthorizationFailed;
      }
      continue;
    }
    auto& topic_out = response.topics.emplace_back();
    topic_out.topic = wanted.topic;
    cluster::Topic* topic = broker.topics().find(wanted.topic);
    for (const auto& p : wanted.partitions) {
      auto& out = topic_out.partitions.emplace_back();
      out.partition = p.partition;
      log::PartitionLog* partition = topic ? topic->partition(p.partition) : nullptr;
      if (!partition) {
        out.error_code = ErrorCode::UnknownTopicOrPartition;
      } else if (auto fenced = leader_epoch_error(*partition, p.current_leader_epoch)) {
        out.error_code = *fenced;
      } else {
        std::tie(out.leader_epoch, out.end_offset) = partition->end_offset_for_epoch(p.leader_epoch);
      }
    }
  }
  for (auto& topic_out : refused) response.topics.push_back(std::move(topic_out));
  co_return response;
}

}  // namespace kafkalite::broker::api
