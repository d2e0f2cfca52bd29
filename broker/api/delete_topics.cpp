// DeleteTopics (key 20), v1-6: by name, or by topic id from v6. The topic's
// data, offsets and producer state go in one write.
#include <spdlog/spdlog.h>

#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"

namespace kafkalite::broker::api {

Task<DeleteTopicsResponse> handle(Services& broker, const RequestContext& ctx, DeleteTopicsRequest& request) {
  DeleteTopicsResponse response;
  std::vector<DeleteTopicsRequest::DeleteTopicState> wanted = request.topics;
  for (const auto& name : request.topic_names) wanted.push_back({name, wire::Uuid{}, {}});
  for (const auto& w : wanted) {
    DeleteTopicsResponse::DeletableTopicResult out;
    out.name = w.name;
    out.topic_id = w.topic_id;
    cluster::Topic* topic = nullptr;
    if (w.name) {
      topic = broker.topics().find(*w.name);
      if (!topic) {
        out.error_code = ErrorCode::UnknownTopicOrPartition;
        out.error_message = "This server does not host this topic-partition.";
      }
    } else {
      topic = broker.topics().find(w.topic_id);
      if (!topic) {
        out.error_code = ErrorCode::UnknownTopicId;
        out.error_message = "This server does not host this topic ID.";
      }
    }
    if (topic) {
      out.name = TopicName(topic->name);
      out.topic_id = topic->id;
      spdlog::info("Deleting topic {} ({}) at the request of {}", topic->name, topic->id.to_base64(),
                   ctx.peer);
      // The topic and its committed offsets go in one write.
      storage::WriteBatch batch;
      broker.topics().stage_removal(*topic, batch);
      // (Deleting __consumer_offsets itself takes the records with it: no
      // tombstones go into the topic being removed.)
      const bool offsets_topic = topic->name == cluster::kConsumerOffsetsTopic;
      group::OffsetsRecords tombstones(offsets_topic ? nullptr : &broker.groups().offsets_topic());
      broker.groups().stage_topic_removal(topic->name, batch, tombstones);
      if (auto failed = broker.store().apply(batch)) {
        out.error_code = ErrorCode::UnknownServerError;
        out.error_message = failed->message;
      } else {
        tombstones.apply();
        const std::string name = topic->name;
        broker.topics().forget(*topic);
        broker.groups().forget_topic(name);
      }
    }
    response.responses.push_back(std::move(out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
