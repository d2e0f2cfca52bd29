// ConsumerGroupDescribe (key 69), v0-1. kafkalite has only classic groups,
// and Kafka answers GROUP_ID_NOT_FOUND for those (and for unknown ones), which
// is what makes its admin client fall back to DescribeGroups.
#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<ConsumerGroupDescribeResponse> handle(Services& broker, const RequestContext&,
                                           ConsumerGroupDescribeRequest& request) {
  ConsumerGroupDescribeResponse response;
  for (const auto& id : request.group_ids) {
    auto& out = response.groups.emplace_back();
    out.group_id = id;
    if (id.value().empty()) {
      out.error_code = ErrorCode::InvalidGroupId;
      out.error_message = std::nullopt;
    } else {
      out.error_code = ErrorCode::GroupIdNotFound;
      out.error_message = broker.groups().exists(id) ? "Group " + id.value() + " is not a consumer group."
                                                     : "Group " + id.value() + " not found.";
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
