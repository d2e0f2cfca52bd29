// ApiVersions (key 18), v0-4. Lists exactly the APIs kafkalite implements,
// each with Kafka 4.1.1's advertised range; the finalized features of a
// single-node KRaft cluster are not advertised (kafkalite has no features).
#include "broker/api/handlers.h"
#include "common/protocol/generated/api_table.h"

namespace kafkalite::broker::api {

Task<ApiVersionsResponse> handle(Services&, const RequestContext&, ApiVersionsRequest&) {
  ApiVersionsResponse response;
  for (const auto& api : all_apis()) {
    const auto key = static_cast<int16_t>(api.key);
    if (auto range = advertised_versions(key)) {
      response.api_keys.push_back({key, range->min, range->max, {}});
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
