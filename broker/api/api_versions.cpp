// ApiVersions (key 18), v0-4. Lists exactly the APIs kafkalite implements,
// each with Kafka 4.1.1's advertised range.
//
// Features (v3+, tagged fields): the levels this node supports and the
// cluster's finalized ones (cluster/features.h says which kafkalite claims
// and why), in Kafka's order. As Kafka's, a v3 answer leaves out supported
// features whose minimum is 0 (older clients took 0 for "not supported",
// KAFKA-17011), and finalized levels of 0 are never listed. The finalized
// features' epoch is the metadata log's last offset, as Kafka's is: it moves
// on with time, and clients take features only from an epoch above -1 and
// above the last they saw.
//
// From v3 (KIP-511) the client names its software and version; either not
// matching Kafka's pattern is INVALID_REQUEST, with no APIs listed.
#include <algorithm>
#include <cctype>

#include "broker/api/handlers.h"
#include "common/clock.h"
#include "common/protocol/generated/api_table.h"

namespace kafkalite::broker::api {

bool api_versions_request_valid(const ApiVersionsRequest& request, int16_t version) {
  if (version < 3) return true;
  // [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?
  auto valid = [](const std::string& s) {
    auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-' || c == '.'; });
  };
  return valid(request.client_software_name) && valid(request.client_software_version);
}

Task<ApiVersionsResponse> handle(Services& broker, const RequestContext& ctx, ApiVersionsRequest& request) {
  ApiVersionsResponse response;
  if (!api_versions_request_valid(request, ctx.api_version)) {
    response.error_code = ErrorCode::InvalidRequest;
    co_return response;
  }
  for (const auto& api : all_apis()) {
    const auto key = static_cast<int16_t>(api.key);
    if (auto range = advertised_versions(key)) {
      response.api_keys.push_back({key, range->min, range->max, {}});
    }
  }
  // Tagged fields: v0-v2 do not carry them, the codec leaves them out there.
  for (const auto& f : broker.features().supported()) {
    if (ctx.api_version < 4 && f.min == 0) continue;
    response.supported_features.push_back({f.name, f.min, f.max, {}});
  }
  response.finalized_features_epoch = broker.quorum().last_offset(now_ms());
  for (const auto& [name, level] : broker.features().finalized()) {
    response.finalized_features.push_back({name, level, level, {}});
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
