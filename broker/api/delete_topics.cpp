// DeleteTopics (key 20), v1-6: by name, or by topic id from v6. The topic's
// data, offsets and producer state go in one write.
// ACLs: DELETE on the cluster allows every topic; else a topic needs
// DESCRIBE (else TOPIC_AUTHORIZATION_FAILED whether or not it exists) and
// DELETE (TOPIC_AUTHORIZATION_FAILED; by id, named only when describable).
// Kafka shuffles its results so their order tells nothing; kafkalite keeps
// the request's order.
#include <spdlog/spdlog.h>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"

namespace kafkalite::broker::api {

Task<DeleteTopicsResponse> handle(Services& broker, const RequestContext& ctx, DeleteTopicsRequest& request) {
  DeleteTopicsResponse response;
  std::vector<DeleteTopicsRequest::DeleteTopicState> wanted = request.topics;
  for (const auto& name : request.topic_names) wanted.push_back({name, wire::Uuid{}, {}});
  const Access access(broker, ctx);
  const bool every_topic = access.allows_cluster(AclOperation::kDelete, kQuietDenial);
  std::set<std::string> describable, deletable;
  if (!every_topic) {
    std::vector<std::string> names;
    for (const auto& w : wanted) {
      if (w.name) {
        names.push_back(w.name->value());
      } else if (const cluster::Topic* t = broker.topics().find(w.topic_id)) {
        names.push_back(t->name);
      }
    }
    describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names);
    deletable = access.allowed_names(AclOperation::kDelete, ResourceType::kTopic, names);
  }
  for (const auto& w : wanted) {
    DeleteTopicsResponse::DeletableTopicResult out;
    out.name = w.name;
    out.topic_id = w.topic_id;
    auto refuse = [&](std::optional<TopicName> name, wire::Uuid id) {
      out.name = std::move(name);
      out.topic_id = id;
      out.error_code = ErrorCode::TopicAuthorizationFailed;
      out.error_message = std::string(error_default_message(ErrorCode::TopicAuthorizationFailed));
      response.responses.push_back(std::move(out));
    };
    cluster::Topic* topic = nullptr;
    if (!every_topic) {
      const cluster::Topic* known = w.name ? nullptr : broker.topics().find(w.topic_id);
      if (w.name && (!describable.count(w.name->value()) || !deletable.count(w.name->value()))) {
        // Not describable: refused whether or not it exists.
        if (!describable.count(w.name->value()) || broker.topics().find(*w.name)) {
          refuse(w.name, wire::Uuid{});
          continue;
        }
      } else if (known && !deletable.count(known->name)) {
        refuse(describable.count(known->name) ? std::optional<TopicName>(known->name) : std::nullopt, w.topic_id);
        continue;
      }
    }
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
