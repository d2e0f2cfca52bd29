// Reconciliation: one step of a member toward its target assignment, as
// Kafka 4.1.1's CurrentAssignmentBuilder takes it on each heartbeat.
//   - Partitions the target no longer gives the member are revoked first:
//     while the member still reports owning any of them it stays at its
//     epoch in UNREVOKED_PARTITIONS, keeping only what it keeps.
//   - Then it moves to the target's epoch and is given the target's new
//     partitions that nobody holds; those another member still holds are
//     withheld (UNRELEASED_PARTITIONS) until released.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "broker/group/consumer_group.h"

namespace kafkalite::broker::group {

// `partition_epoch`: the epoch of the member holding a partition, -1 when
// free. `owned`: what the member reported owning (nullopt: not reported).
// Returns the member with its next epoch, state and partitions.
ConsumerMember next_assignment(const ConsumerMember& member, int32_t target_epoch, const Assignment& target,
                               const std::optional<Assignment>& owned,
                               const std::function<int32_t(const wire::Uuid&, int32_t)>& partition_epoch);

}  // namespace kafkalite::broker::group
