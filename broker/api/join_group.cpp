// JoinGroup (key 11), v0-9, classic protocol: KIP-394's MEMBER_ID_REQUIRED
// from v4, static members (KIP-345) from v5, the initial rebalance delay, and
// the answer parked until the rebalance completes. See broker/group/.
// ACLs: READ on the group (GROUP_AUTHORIZATION_FAILED).
#include "broker/api/access.h"
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<JoinGroupResponse> handle(Services& broker, const RequestContext& ctx, JoinGroupRequest& request) {
  if (!Access(broker, ctx).allows_group(AclOperation::kRead, request.group_id.value())) {
    JoinGroupResponse refused;
    refused.error_code = ErrorCode::GroupAuthorizationFailed;
    refused.generation_id = -1;
    refused.protocol_type = std::nullopt;
    refused.protocol_name = ctx.api_version >= 7 ? std::nullopt : std::optional<std::string>("");
    co_return refused;
  }
  group::JoinRequest join;
  join.group_id = request.group_id.value();
  join.member_id = request.member_id;
  join.instance_id = request.group_instance_id;
  join.client_id = ctx.client_id.value_or("");
  join.client_host = client_host(ctx);
  join.session_timeout_ms = request.session_timeout_ms;
  // v0 has no rebalance timeout: Kafka uses the session timeout.
  join.rebalance_timeout_ms = ctx.api_version == 0 ? request.session_timeout_ms : request.rebalance_timeout_ms;
  join.protocol_type = request.protocol_type;
  for (const auto& p : request.protocols) join.protocols.emplace_back(p.name, p.metadata);
  join.reason = request.reason.value_or("");
  join.member_id_required = ctx.api_version >= 4;
  join.version = ctx.api_version;
  const group::JoinResult result = co_await broker.groups().join(std::move(join));
  ctx.abandon = result.abandoned;

  JoinGroupResponse response;
  response.error_code = (result.error);
  response.generation_id = result.generation;
  response.member_id = result.member_id;
  response.leader = result.leader;
  response.skip_assignment = result.skip_assignment;
  response.protocol_type = result.protocol_type;
  // Before v7 the protocol name is not nullable: Kafka sends "" there.
  response.protocol_name = result.protocol_name;
  if (ctx.api_version < 7 && !response.protocol_name) response.protocol_name = "";
  if (ctx.api_version >= 7 && response.protocol_name && response.protocol_name->empty()) {
    response.protocol_name = std::nullopt;
  }
  if (result.error != ErrorCode::None) response.protocol_type = std::nullopt;
  for (const auto& m : result.members) {
    auto& out = response.members.emplace_back();
    out.member_id = m.member_id;
    out.group_instance_id = m.instance_id;
    out.metadata = m.metadata;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
