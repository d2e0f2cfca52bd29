// DescribeTopicPartitions (key 75), v0 (KIP-966). Topics sorted by name
// (all topics when none are named), paged by response_partition_limit with
// a cursor as in Kafka. Eligible leader replicas are empty lists: the
// feature is on in 4.1.1 and a single node has none.
// ACLs: DESCRIBE on each topic, asked in name order up to the topic after
// the page (as Kafka's lazy filter); a topic named and refused is answered
// TOPIC_AUTHORIZATION_FAILED after the others, all-topics leaves it out.
#include <algorithm>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"
#include "broker/cluster/topic_rules.h"

namespace kafkalite::broker::api {

Task<DescribeTopicPartitionsResponse> handle(Services& broker, const RequestContext& ctx,
                                             DescribeTopicPartitionsRequest& request) {
  DescribeTopicPartitionsResponse response;
  const Access access(broker, ctx);
  std::vector<DescribeTopicPartitionsResponse::DescribeTopicPartitionsResponseTopic> refused;
  std::vector<TopicName> names;
  if (request.topics.empty()) {
    for (const auto& [name, topic] : broker.topics().all()) names.push_back(TopicName(name));
  } else {
    for (const auto& t : request.topics) names.push_back(t.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const int32_t limit = std::max(request.response_partition_limit, 1);
  int32_t listed = 0;
  const BrokerId node = broker.node_id();
  for (const auto& name : names) {
    if (request.cursor && name < request.cursor->topic_name) continue;
    int32_t first = 0;
    if (request.cursor && name == request.cursor->topic_name) first = request.cursor->partition_index;
    if (!access.allows_topic(AclOperation::kDescribe, name.value())) {
      if (!request.topics.empty()) {
        auto& out = refused.emplace_back();
        out.name = name;
        out.error_code = ErrorCode::TopicAuthorizationFailed;
        out.topic_authorized_operations = kOperationsNotRequested;
      }
      continue;
    }
    if (listed == limit) {
      // Kafka ends the page at the next topic, even an unknown one.
      response.next_cursor.emplace();
      response.next_cursor->topic_name = name;
      response.next_cursor->partition_index = first;
      break;
    }
    DescribeTopicPartitionsResponse::DescribeTopicPartitionsResponseTopic out;
    out.name = name;
    // Kafka reports the operations for unknown topics too.
    out.topic_authorized_operations = access.operations(ResourceType::kTopic, name.value());
    const cluster::Topic* topic = broker.topics().find(name);
    if (!topic) {
      out.error_code = ErrorCode::UnknownTopicOrPartition;
      response.topics.push_back(std::move(out));
      continue;
    }
    out.topic_id = topic->id;
    out.is_internal = cluster::is_internal_topic(topic->name);
    for (int32_t p = first; p < topic->partition_count(); ++p) {
      if (listed == limit) {
        response.next_cursor.emplace();
        response.next_cursor->topic_name = name;
        response.next_cursor->partition_index = p;
        break;
      }
      DescribeTopicPartitionsResponse::DescribeTopicPartitionsResponseTopic::
          DescribeTopicPartitionsResponsePartition partition;
      partition.partition_index = p;
      partition.leader_id = node;
      partition.leader_epoch = topic->partitions[static_cast<size_t>(p)]->leader_epoch();
      partition.replica_nodes = {node};
      partition.isr_nodes = {node};
      partition.eligible_leader_replicas.emplace();
      partition.last_known_elr.emplace();
      out.partitions.push_back(std::move(partition));
      ++listed;
    }
    response.topics.push_back(std::move(out));
    if (response.next_cursor) break;
  }
  for (auto& out : refused) response.topics.push_back(std::move(out));
  co_return response;
}

}  // namespace kafkalite::broker::api
