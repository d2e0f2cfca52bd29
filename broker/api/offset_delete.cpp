// OffsetDelete (key 47), v0: removes a group's committed offsets for the
// named partitions; refused per partition (GROUP_SUBSCRIBED_TO_TOPIC) while
// the group's members are subscribed to the topic, and for the whole request
// when the group does not exist or is a non-empty non-consumer group.
// ACLs: DELETE on the group (else GROUP_AUTHORIZATION_FAILED), READ on each
// topic (TOPIC_AUTHORIZATION_FAILED before existence).
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<OffsetDeleteResponse> handle(Services& broker, const RequestContext& ctx, OffsetDeleteRequest& request) {
  OffsetDeleteResponse response;
  const Access access(broker, ctx);
  if (!access.allows_group(AclOperation::kDelete, request.group_id.value())) {
    response.error_code = ErrorCode::GroupAuthorizationFailed;
    co_return response;
  }
  std::set<std::string> readable;
  if (access.enabled()) {
    std::vector<std::string> names;
    for (const auto& t : request.topics) names.push_back(t.name.value());
    readable = access.allowed_names(AclOperation::kRead, ResourceType::kTopic, names);
  }
  if (ErrorCode e = broker.groups().validate_offset_delete(request.group_id); e != ErrorCode::None) {
    response.error_code = (e);
    co_return response;
  }
  std::vector<std::pair<std::string, int32_t>> deleted;
  for (const auto& t : request.topics) {
    auto& topic_out = response.topics.emplace_back();
    topic_out.name = t.name;
    const cluster::Topic* topic = broker.topics().find(t.name);
    const bool subscribed = broker.groups().subscribed_to(request.group_id, t.name.value());
    for (const auto& p : t.partitions) {
      auto& out = topic_out.partitions.emplace_back();
      out.partition_index = p.partition_index;
      if (access.enabled() && !readable.count(t.name.value())) {
        out.error_code = ErrorCode::TopicAuthorizationFailed;
      } else if (!topic || !topic->partition(p.partition_index)) {
        out.error_code = ErrorCode::UnknownTopicOrPartition;
      } else if (subscribed) {
        out.error_code = ErrorCode::GroupSubscribedToTopic;
      } else {
        deleted.emplace_back(t.name.value(), p.partition_index);
      }
    }
  }
  if (broker.groups().delete_offsets(request.group_id, deleted)) {
    response = OffsetDeleteResponse{};
    response.error_code = ErrorCode::NotCoordinator;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
