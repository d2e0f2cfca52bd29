// DescribeProducers (key 61), v0. The producers each partition remembers
// (Kafka's producer state): id, epoch, last sequence, last timestamp (of the
// last batch or marker), the coordinator epoch of the last transaction
// marker (-1 before any) and the first offset of an open transaction.
// ACLs: READ on each topic (TOPIC_AUTHORIZATION_FAILED, before existence).
#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeProducersResponse> handle(Services& broker, const RequestContext& ctx,
                                       DescribeProducersRequest& request) {
  DescribeProducersResponse response;
  const Access access(broker, ctx);
  for (const auto& wanted : request.topics) {
    DescribeProducersResponse::TopicResponse topic_out;
    topic_out.name = wanted.name;
    if (!access.allows_topic(AclOperation::kRead, wanted.name.value())) {
      for (int32_t index : wanted.partition_indexes) {
        auto& out = topic_out.partitions.emplace_back();
        out.partition_index = index;
        out.error_code = ErrorCode::TopicAuthorizationFailed;
        out.error_message = std::string(error_default_message(ErrorCode::TopicAuthorizationFailed));
      }
      response.topics.push_back(std::move(topic_out));
      continue;
    }
    const cluster::Topic* topic = broker.topics().find(wanted.name);
    for (int32_t index : wanted.partition_indexes) {
      DescribeProducersResponse::TopicResponse::PartitionResponse out;
      out.partition_index = index;
      const log::PartitionLog* partition = topic ? topic->partition(index) : nullptr;
      if (!partition) {
        // Kafka says why only when the whole topic is unknown (checked).
        out.error_code = ErrorCode::UnknownTopicOrPartition;
        if (!topic) out.error_message = "This server does not host this topic-partition.";
      } else {
        for (const auto& [id, state] : partition->producers()) {
          DescribeProducersResponse::TopicResponse::PartitionResponse::ProducerState p;
          p.producer_id = ProducerId(id);
          p.producer_epoch = state.epoch;
          p.last_sequence = state.batches.empty() ? -1 : state.batches.back().last_sequence;
          p.last_timestamp = state.last_timestamp;
          p.coordinator_epoch = state.coordinator_epoch;
          p.current_txn_start_offset = state.txn_first_offset;
          out.active_producers.push_back(p);
        }
      }
      topic_out.partitions.push_back(std::move(out));
    }
    response.topics.push_back(std::move(topic_out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
