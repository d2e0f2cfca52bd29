// ConsumerGroupHeartbeat (key 68), v0-1: the new consumer group protocol
// (KIP-848); the coordinator is broker/group/consumer_coordinator.h, which
// says where kafkalite still differs from Kafka. Served only while the
// cluster's group.version is 1 or more and group.coordinator.rebalance.protocols
// names "consumer" (else UNSUPPORTED_VERSION, as Kafka answers). In v0 an
// empty member id asks the coordinator for one; v1 clients make their own.
// ACLs: READ on the group (GROUP_AUTHORIZATION_FAILED); subscribed topic
// names need DESCRIBE, one refused makes the answer TOPIC_AUTHORIZATION_FAILED;
// a regex resolution the heartbeat starts leaves out the topics the member
// may not DESCRIBE (quietly), as Kafka's coordinator does.
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"
#include "common/text.h"

namespace kafkalite::broker::api {

namespace {

bool consumer_protocol_enabled(Services& broker) {
  if (broker.features().level("group.version") < 1) return false;
  const std::string protocols = text::lower(broker.config().get_or("group.coordinator.rebalance.protocols",
                                                                    "classic,consumer,streams"));
  return protocols.find("consumer") != std::string::npos;
}

}  // namespace

Task<ConsumerGroupHeartbeatResponse> handle(Services& broker, const RequestContext& ctx,
                                            ConsumerGroupHeartbeatRequest& request) {
  ConsumerGroupHeartbeatResponse response;
  if (!consumer_protocol_enabled(broker)) {
    response.error_code = ErrorCode::UnsupportedVersion;
    co_return response;
  }
  const Access access(broker, ctx);
  if (!access.allows_group(AclOperation::kRead, request.group_id.value())) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  if (access.enabled() && request.subscribed_topic_names && !request.subscribed_topic_names->empty()) {
    std::vector<std::string> names;
    for (const auto& name : *request.subscribed_topic_names) {
      if (std::find(names.begin(), names.end(), name.value()) == names.end()) names.push_back(name.value());
    }
    if (access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names).size() < names.size()) {
      response.error_code = ErrorCode::TopicAuthorizationFailed;
      co_return response;
    }
  }
  group::ConsumerHeartbeat heartbeat;
  heartbeat.version = ctx.api_version;
  heartbeat.group_id = request.group_id.value();
  heartbeat.member_id = request.member_id;
  heartbeat.member_epoch = request.member_epoch;
  heartbeat.instance_id = request.instance_id;
  heartbeat.rack_id = request.rack_id;
  heartbeat.rebalance_timeout_ms = request.rebalance_timeout_ms;
  if (request.subscribed_topic_names) {
    heartbeat.subscribed_topic_names.emplace();
    for (const auto& name : *request.subscribed_topic_names) heartbeat.subscribed_topic_names->push_back(name.value());
  }
  heartbeat.subscribed_topic_regex = request.subscribed_topic_regex;
  heartbeat.server_assignor = request.server_assignor;
  if (request.topic_partitions) {
    heartbeat.owned.emplace();
    for (const auto& t : *request.topic_partitions) {
      (*heartbeat.owned)[t.topic_id].insert(t.partitions.begin(), t.partitions.end());
    }
  }
  heartbeat.client_id = ctx.client_id.value_or("");
  heartbeat.client_host = client_host(ctx);
  if (access.enabled()) {
    // Outlives the request: the authorizer is the broker's, the requester a copy.
    heartbeat.may_describe = [&authorizer = broker.authorizer(),
                              who = security::Requester{ctx.principal, ctx.client_host}](const std::string& topic) {
      return authorizer.authorize(who, AclOperation::kDescribe, ResourceType::kTopic, topic).allowed;
    };
  }
  const auto result = broker.groups().consumer_heartbeat(heartbeat);
  response.error_code = result.error;
  response.error_message = result.message;
  response.member_id = result.member_id;
  response.member_epoch = result.member_epoch;
  response.heartbeat_interval_ms = result.heartbeat_interval_ms;
  if (result.assignment) {
    response.assignment.emplace();
    for (const auto& [topic, partitions] : *result.assignment) {
      auto& t = response.assignment->topic_partitions.emplace_back();
      t.topic_id = topic;
      t.partitions.assign(partitions.begin(), partitions.end());
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
