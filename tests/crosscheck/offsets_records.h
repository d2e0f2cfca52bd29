// __consumer_offsets as a scenario reads it: fetched batches decoded with
// the generated coordinator record codec, in the shape of Kafka's
// formatters, with the broker's own times masked (only whether one is set).
#pragma once

#include <cstdint>
#include <string>

#include "common/protocol/generated/visit_api.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

// The batches of a Fetch of one partition: their producer fields and
// records. With `only_group`, only batches holding that group's records, and
// control batches of `producer_id` (the shared broker's partition holds
// other groups' too).
json offsets_batches(const protocol::FetchResponse& response, const std::string& only_group = "",
                     int64_t producer_id = -2);

}  // namespace kafkalite::crosscheck
