// The console consumer's formatters for the internal topics' records, as
// Kafka's tools print them: OffsetsMessageFormatter (offset commits) and
// GroupMetadataMessageFormatter (classic groups) for __consumer_offsets.
// Each record is one compact JSON object — {"key":{"type":T,"data":{...}},
// "value":{"version":V,"data":{...}}} or "value":null for a tombstone — with
// the specs' field names in their order, bytes in base64, and nothing
// between records; records of other types are skipped.
#pragma once

#include <optional>
#include <string>

#include "common/protocol/wire/types.h"

namespace kafkalite::cli {

enum class CoordinatorFormatter { kOffsets, kGroupMetadata };

// The formatter a --formatter class names, if it is one of these.
std::optional<CoordinatorFormatter> coordinator_formatter(const std::string& class_name);

// What the formatter prints for a record (empty: nothing).
std::string format_coordinator_record(CoordinatorFormatter formatter, const wire::NullableBytes& key,
                                      const wire::NullableBytes& value);

}  // namespace kafkalite::cli
