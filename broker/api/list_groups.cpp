// ListGroups (key 16), v0-5: every group, filtered by state (v4+, any case,
// trimmed) and by type (v5+, any case). All groups are classic.
#include <algorithm>
#include <cctype>

#include "broker/api/group_helpers.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  return first == std::string::npos ? "" : s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool matches(const std::vector<std::string>& filter, const std::string& value, bool trim) {
  if (filter.empty()) return true;
  return std::any_of(filter.begin(), filter.end(), [&](const std::string& f) {
    return lower(trim ? trimmed(f) : f) == lower(value);
  });
}

}  // namespace

Task<ListGroupsResponse> handle(Broker& broker, const RequestContext&, ListGroupsRequest& request) {
  ListGroupsResponse response;
  for (const auto& g : broker.groups().list()) {
    if (!matches(request.states_filter, g.state, true) || !matches(request.types_filter, "classic", false)) continue;
    auto& out = response.groups.emplace_back();
    out.group_id = g.group_id;
    out.protocol_type = g.protocol_type;
    out.group_state = g.state;
    out.group_type = "classic";
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
