// ConsumerGroupDescribe (key 69), v0-1: a consumer group (KIP-848) with its
// epochs, assignor and members, each with its current and target
// assignment. A classic group or an unknown one is GROUP_ID_NOT_FOUND, which
// is what makes Kafka's admin client fall back to DescribeGroups.
// ACLs: DESCRIBE on each group (the refused ones first,
// GROUP_AUTHORIZATION_FAILED); a group whose members' assignments hold a
// topic the caller may not DESCRIBE is answered TOPIC_AUTHORIZATION_FAILED
// without its members.
#include <algorithm>
#include <set>

#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

namespace {

ConsumerGroupDescribeResponse::Assignment assignment_of(Services& broker, const group::Assignment& assignment) {
  ConsumerGroupDescribeResponse::Assignment out;
  for (const auto& [topic_id, partitions] : assignment) {
    const cluster::Topic* topic = broker.topics().find(topic_id);
    if (!topic) continue;  // gone from the cluster: left out, as Kafka does
    auto& t = out.topic_partitions.emplace_back();
    t.topic_id = topic_id;
    t.topic_name = TopicName(topic->name);
    t.partitions.assign(partitions.begin(), partitions.end());
  }
  return out;
}

}  // namespace

Task<ConsumerGroupDescribeResponse> handle(Services& broker, const RequestContext& ctx,
                                           ConsumerGroupDescribeRequest& request) {
  ConsumerGroupDescribeResponse response;
  const auto& consumer_groups = broker.groups().consumer_groups();
  const Access access(broker, ctx);
  std::vector<GroupId> allowed;
  for (const auto& id : request.group_ids) {
    if (access.allows_group(AclOperation::kDescribe, id.value())) {
      allowed.push_back(id);
    } else {
      auto& out = response.groups.emplace_back();
      out.group_id = id;
      out.error_code = ErrorCode::GroupAuthorizationFailed;
      out.error_message = std::nullopt;
    }
  }
  for (const auto& id : allowed) {
    auto& out = response.groups.emplace_back();
    out.group_id = id;
    if (id.value().empty()) {
      out.error_code = ErrorCode::InvalidGroupId;
      out.error_message = std::nullopt;
      continue;
    }
    const group::ConsumerGroup* group = consumer_groups.find(id.value());
    if (!group) {
      out.error_code = ErrorCode::GroupIdNotFound;
      out.error_message = broker.groups().exists(id) ? "Group " + id.value() + " is not a consumer group."
                                                     : "Group " + id.value() + " not found.";
      continue;
    }
    out.group_state = group::consumer_group_state_name(group->state());
    out.group_epoch = group->group_epoch;
    out.assignment_epoch = group->assignment_epoch;
    out.assignor_name = consumer_groups.assignor_of(*group);
    for (const auto& [member_id, m] : group->members) {
      auto& member = out.members.emplace_back();
      member.member_id = member_id;
      member.instance_id = m.instance_id;
      member.rack_id = m.rack_id;
      member.member_epoch = m.epoch;
      member.client_id = m.client_id;
      member.client_host = m.client_host;
      for (const auto& name : m.subscribed_topic_names) member.subscribed_topic_names.emplace_back(name);
      member.subscribed_topic_regex = m.subscribed_topic_regex;
      member.assignment = assignment_of(broker, m.assigned);
      auto target = group->target.find(member_id);
      if (target != group->target.end()) member.target_assignment = assignment_of(broker, target->second);
      if (ctx.api_version >= 1) member.member_type = m.classic ? 0 : 1;  // classic or consumer protocol
    }
    if (request.include_authorized_operations) {
      out.authorized_operations = access.operations(ResourceType::kGroup, id.value());
    }
  }
  if (access.enabled()) {
    auto topics_of = [](const ConsumerGroupDescribeResponse::DescribedGroup& group) {
      std::vector<std::string> names;
      for (const auto& m : group.members) {
        for (const auto* a : {&m.assignment, &m.target_assignment}) {
          for (const auto& t : a->topic_partitions) names.push_back(t.topic_name.value());
        }
      }
      return names;
    };
    std::vector<std::string> names;
    for (const auto& group : response.groups) {
      for (auto& name : topics_of(group)) {
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
      }
    }
    const auto describable = access.allowed_names(AclOperation::kDescribe, ResourceType::kTopic, names);
    for (auto& group : response.groups) {
      const auto used = topics_of(group);
      if (std::all_of(used.begin(), used.end(), [&](const std::string& n) { return describable.count(n) > 0; })) {
        continue;
      }
      ConsumerGroupDescribeResponse::DescribedGroup refused;
      refused.group_id = group.group_id;
      refused.error_code = ErrorCode::TopicAuthorizationFailed;
      refused.error_message = "The group has described topic(s) that the client is not authorized to describe.";
      group = std::move(refused);
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
