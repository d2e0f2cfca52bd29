// DeleteRecords (key 21), v0-2. Moves the log start offset; offset -1 means
// the high watermark. Batches wholly below the new start are deleted.
// ACLs: DELETE on each topic (TOPIC_AUTHORIZATION_FAILED before existence).
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"

namespace kafkalite::broker::api {

Task<DeleteRecordsResponse> handle(Services& broker, const RequestContext& ctx, DeleteRecordsRequest& request) {
  DeleteRecordsResponse response;
  const Access access(broker, ctx);
  std::set<std::string> deletable;
  if (access.enabled()) {
    std::vector<std::string> names;
    for (const auto& t : request.topics) names.push_back(t.name.value());
    deletable = access.allowed_names(AclOperation::kDelete, ResourceType::kTopic, names);
  }
  for (const auto& t : request.topics) {
    const bool allowed = !access.enabled() || deletable.count(t.name.value());
    DeleteRecordsResponse::DeleteRecordsTopicResult topic_out;
    topic_out.name = t.name;
    cluster::Topic* topic = broker.topics().find(t.name);
    for (const auto& p : t.partitions) {
      DeleteRecordsResponse::DeleteRecordsTopicResult::DeleteRecordsPartitionResult out;
      out.partition_index = p.partition_index;
      log::PartitionLog* partition = topic ? topic->partition(p.partition_index) : nullptr;
      const int64_t target = partition && p.offset == -1 ? partition->log_end_offset() : p.offset;
      if (!allowed) {
        out.error_code = ErrorCode::TopicAuthorizationFailed;
        out.low_watermark = -1;
      } else if (!partition) {
        out.error_code = ErrorCode::UnknownTopicOrPartition;
        out.low_watermark = -1;
      } else if (cluster::is_internal_topic(topic->name)) {
        out.error_code = ErrorCode::InvalidTopicException;  // Kafka: "Cannot delete records of internal topic"
        out.low_watermark = -1;
      } else if (target < 0 || target > partition->log_end_offset()) {
        out.error_code = ErrorCode::OffsetOutOfRange;
        out.low_watermark = -1;
      } else {
        if (partition->delete_records_before(target)) {
          out.error_code = ErrorCode::KafkaStorageError;
          out.low_watermark = -1;
        } else {
          out.low_watermark = partition->log_start_offset();
        }
      }
      topic_out.partitions.push_back(out);
    }
    response.topics.push_back(std::move(topic_out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
