// ApiVersions (key 18), v0-4. Lists exactly the APIs kafkalite implements,
// each with Kafka 4.1.1's advertised range.
//
// Features (v3+): a 4.1.1 node claims metadata.version 7-27 (finalized 27,
// "4.1-IV1"), kraft.version, transaction.version, group.version,
// eligible.leader.replicas.version and share.version. kafkalite claims only
// what it honours: metadata.version and transaction.version (supported 0-2,
// finalized 2: KIP-890's epoch bump on every EndTxn and partitions added by
// Produce, which Java clients turn on from this), as Kafka reports them, in
// Kafka's order (its hash map's). The others stay unclaimed until their
// behaviour exists (KIP-848 groups, the quorum, ELR), so no client turns on a
// path kafkalite cannot serve.
// FinalizedFeaturesEpoch: Kafka's is the offset of its last metadata record;
// kafkalite's finalized features never change, so its epoch is a constant 1
// (clients take features only from an epoch above -1).
#include "broker/api/handlers.h"
#include "common/protocol/generated/api_table.h"

namespace kafkalite::broker::api {

namespace {

constexpr int16_t kMetadataVersionMin = 7;   // 3.3-IV3, Kafka's MINIMUM_VERSION
constexpr int16_t kMetadataVersion = 27;     // 4.1-IV1, 4.1.1's latest production level
constexpr int16_t kTransactionVersion = 2;   // 4.1.1's default for a new cluster
constexpr int64_t kFinalizedFeaturesEpoch = 1;

}  // namespace

Task<ApiVersionsResponse> handle(Services&, const RequestContext&, ApiVersionsRequest&) {
  ApiVersionsResponse response;
  for (const auto& api : all_apis()) {
    const auto key = static_cast<int16_t>(api.key);
    if (auto range = advertised_versions(key)) {
      response.api_keys.push_back({key, range->min, range->max, {}});
    }
  }
  // Tagged fields: v0-v2 do not carry them, the codec leaves them out there.
  response.supported_features.push_back({"metadata.version", kMetadataVersionMin, kMetadataVersion, {}});
  response.supported_features.push_back({"transaction.version", 0, kTransactionVersion, {}});
  response.finalized_features_epoch = kFinalizedFeaturesEpoch;
  response.finalized_features.push_back({"metadata.version", kMetadataVersion, kMetadataVersion, {}});
  response.finalized_features.push_back({"transaction.version", kTransactionVersion, kTransactionVersion, {}});
  co_return response;
}

}  // namespace kafkalite::broker::api
