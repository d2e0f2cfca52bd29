// Kafka's check of the leader epoch a client believes current (Fetch,
// ListOffsets, OffsetForLeaderEpoch; KIP-320): -1 skips it, an older one is
// FENCED_LEADER_EPOCH (the client's metadata is stale), a newer one
// UNKNOWN_LEADER_EPOCH (the broker's is).
#pragma once

#include <optional>

#include "broker/log/partition_log.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::broker::api {

inline std::optional<protocol::ErrorCode> leader_epoch_error(const log::PartitionLog& partition, int32_t current) {
  if (current == -1 || current == partition.leader_epoch()) return std::nullopt;
  return current < partition.leader_epoch() ? protocol::ErrorCode::FencedLeaderEpoch
                                            : protocol::ErrorCode::UnknownLeaderEpoch;
}

}  // namespace kafkalite::broker::api
