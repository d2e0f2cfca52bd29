// DescribeGroups (key 15), v0-6: state, protocol and members of classic
// groups. Member metadata and the protocol are shown only while Stable, as in
// Kafka. An unknown group is "Dead" (v0-5) or GROUP_ID_NOT_FOUND (v6), and
// so is a consumer group (KIP-848): ConsumerGroupDescribe describes those.
// ACLs: DESCRIBE on each group; the others come first, as Kafka lists them,
// GROUP_AUTHORIZATION_FAILED with an empty state. Authorized operations
// (v3+, when asked) from the ACLs.
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeGroupsResponse> handle(Services& broker, const RequestContext& ctx, DescribeGroupsRequest& request) {
  DescribeGroupsResponse response;
  const Access access(broker, ctx);
  std::vector<GroupId> allowed;
  for (const auto& id : request.groups) {
    if (access.allows_group(AclOperation::kDescribe, id.value())) {
      allowed.push_back(id);
      continue;
    }
    auto& out = response.groups.emplace_back();
    out.group_id = id;
    out.error_code = ErrorCode::GroupAuthorizationFailed;
    out.error_message = std::nullopt;
    out.group_state = "";
    out.protocol_type = "";
    out.protocol_data = "";
    out.authorized_operations = kOperationsNotRequested;
  }
  for (const auto& id : allowed) {
    auto& out = response.groups.emplace_back();
    out.group_id = id;
    out.error_message = std::nullopt;
    auto described = broker.groups().describe(id);
    if (!described) {
      out.group_state = "Dead";
      if (ctx.api_version >= 6) {
        out.error_code = ErrorCode::GroupIdNotFound;
        out.error_message = broker.groups().is_consumer_group(id) ? "Group " + id.value() + " is not a classic group."
                                                                   : "Group " + id.value() + " not found.";
        continue;
      }
    } else {
      out.group_state = described->state;
      out.protocol_type = described->protocol_type;
      out.protocol_data = described->protocol_data;
      for (const auto& m : described->members) {
        auto& member = out.members.emplace_back();
        member.member_id = m.member_id;
        member.group_instance_id = m.instance_id;
        member.client_id = m.client_id;
        member.client_host = m.client_host;
        member.member_metadata = m.metadata;
        member.member_assignment = m.assignment;
      }
    }
    if (request.include_authorized_operations) {
      out.authorized_operations = access.operations(ResourceType::kGroup, id.value());
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
