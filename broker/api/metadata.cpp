// Metadata (key 3), v0-13. A single node leads every partition (epoch 0,
// replicas and ISR [node]). As in KRaft, an unknown topic asked for by name
// with auto-creation allowed (auto.create.topics.enable, default true) is
// created with num.partitions and answered UNKNOWN_TOPIC_OR_PARTITION the
// first time (what a real 4.1.1 answers; older ZooKeeper brokers said
// LEADER_NOT_AVAILABLE), and described normally from the next request on.
// ACLs: a topic needs DESCRIBE; the all-topics answer leaves the others out
// silently, a topic asked for is answered TOPIC_AUTHORIZATION_FAILED (with
// no id, unchecked for existence) after the topics described; creating one
// needs CREATE on the cluster or the topic.
#include <spdlog/spdlog.h>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"
#include "broker/cluster/topic_rules.h"

namespace kafkalite::broker::api {
namespace {

MetadataResponse::MetadataResponseTopic describe(const cluster::Topic& topic, BrokerId node) {
  MetadataResponse::MetadataResponseTopic out;
  out.name = TopicName(topic.name);
  out.topic_id = topic.id;
  out.is_internal = cluster::is_internal_topic(topic.name);
  for (int32_t p = 0; p < topic.partition_count(); ++p) {
    MetadataResponse::MetadataResponseTopic::MetadataResponsePartition partition;
    partition.partition_index = p;
    partition.leader_id = node;
    partition.leader_epoch = topic.partitions[static_cast<size_t>(p)]->leader_epoch();
    partition.replica_nodes = {node};
    partition.isr_nodes = {node};
    out.partitions.push_back(std::move(partition));
  }
  return out;
}

}  // namespace

Task<MetadataResponse> handle(Services& broker, const RequestContext& ctx, MetadataRequest& request) {
  MetadataResponse response;
  const BrokerId node = broker.node_id();
  auto [host, port] = broker.advertised_endpoint(ctx.listener);
  response.brokers.push_back({node, host, port, std::nullopt, {}});
  response.cluster_id = broker.cluster_id();
  response.controller_id = node;
  const Access access(broker, ctx);
  // Only in v8-10 (the codec writes it there only); Kafka fills it when asked.
  if (request.include_cluster_authorized_operations) {
    response.cluster_authorized_operations =
        access.allows_cluster(AclOperation::kDescribe) ? access.operations(ResourceType::kCluster, kClusterName) : 0;
  }
  auto& topics = broker.topics();
  // Metadata v0 asks for all topics with an empty list.
  const bool all_topics = !request.topics || (ctx.api_version == 0 && request.topics->empty());
  if (all_topics) {
    for (const auto& [name, topic] : topics.all()) {
      if (access.allows_topic(AclOperation::kDescribe, name, kQuietDenial)) {
        response.topics.push_back(describe(*topic, node));
      }
    }
  } else {
    const bool auto_create =
        request.allow_auto_topic_creation && broker.config().get_bool("auto.create.topics.enable", true);
    std::vector<std::string> asked;
    for (const auto& wanted : *request.topics) {
      if (wanted.name) {
        asked.push_back(wanted.name->value());
      } else if (const auto* topic = topics.find(wanted.topic_id)) {
        asked.push_back(topic->name);
      }
    }
    const auto describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, asked);
    // Creating needs CREATE on the cluster (asked quietly), else on the topic.
    std::optional<bool> cluster_create;
    auto may_create = [&](const std::string& name) {
      if (!cluster_create) cluster_create = access.allows_cluster(AclOperation::kCreate, kQuietDenial);
      return *cluster_create || access.allows_topic(AclOperation::kCreate, name);
    };
    std::vector<MetadataResponse::MetadataResponseTopic> not_creatable, not_describable;
    for (const auto& wanted : *request.topics) {
      if (!wanted.name) {
        MetadataResponse::MetadataResponseTopic out;
        out.topic_id = wanted.topic_id;
        if (const auto* topic = topics.find(wanted.topic_id)) {
          if (!describable.count(topic->name)) {
            out.error_code = ErrorCode::TopicAuthorizationFailed;
            out.name = std::nullopt;
            not_describable.push_back(std::move(out));
            continue;
          }
          out = describe(*topic, node);
        } else {
          out.error_code = ErrorCode::UnknownTopicId;
          out.name = std::nullopt;
        }
        response.topics.push_back(std::move(out));
        continue;
      }
      const std::string& name = wanted.name->value();
      if (!describable.count(name)) {
        MetadataResponse::MetadataResponseTopic out;
        out.name = *wanted.name;
        out.error_code = ErrorCode::TopicAuthorizationFailed;
        not_describable.push_back(std::move(out));
        continue;
      }
      if (const auto* topic = topics.find(name)) {
        response.topics.push_back(describe(*topic, node));
        continue;
      }
      MetadataResponse::MetadataResponseTopic out;
      out.name = *wanted.name;
      if (auto_create && !may_create(name)) {
        out.error_code = ErrorCode::TopicAuthorizationFailed;
        out.is_internal = cluster::is_internal_topic(name);
        not_creatable.push_back(std::move(out));
        continue;
      }
      if (!cluster::topic_name_problem(name).empty()) {
        out.error_code = ErrorCode::InvalidTopicException;
      } else if (!auto_create) {
        out.error_code = ErrorCode::UnknownTopicOrPartition;
      } else if (const auto internal = cluster::internal_topic_named(name)) {
        // Made as its coordinator makes it (Kafka's special case), and
        // already marked internal.
        out.error_code = ErrorCode::UnknownTopicOrPartition;
        out.is_internal = true;
        (void)cluster::ensure_internal_topic(broker.topics(), broker.config(), *internal);
      } else {
        auto created = cluster::create_topic(broker.topics(), broker.config(), name, -1, -1, {}, false);
        out.error_code = created.error == ErrorCode::None ? ErrorCode::UnknownTopicOrPartition : created.error;
        if (created.error == ErrorCode::None) {
          spdlog::info("Auto-created topic {} for a Metadata request from {}", name, ctx.peer);
        }
      }
      response.topics.push_back(std::move(out));
    }
    for (auto* refused : {&not_creatable, &not_describable}) {
      for (auto& out : *refused) response.topics.push_back(std::move(out));
    }
  }
  // Kafka reports them for every topic it looked up, an unknown one too;
  // not for those refused or asked for by an unknown id.
  for (auto& topic : response.topics) {
    const bool looked_up = topic.error_code != ErrorCode::TopicAuthorizationFailed &&
                           topic.error_code != ErrorCode::UnknownTopicId && topic.name;
    if (request.include_topic_authorized_operations && looked_up) {
      topic.topic_authorized_operations = access.operations(ResourceType::kTopic, topic.name->value());
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
