// A record of __consumer_offsets as Kafka's formatters (OffsetsMessageFormatter,
// GroupMetadataMessageFormatter) print it: {"key":{"type":T,"data":{...}},
// "value":{"version":V,"data":{...}}}, or "value":null for a tombstone; the
// specs' field names in their order, the fields of the record's version only,
// bytes in base64. Shared by the console consumer's formatters and the
// cross-check scenarios that read the topic.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "common/protocol/wire/types.h"

namespace kafkalite::records {

// Nothing for a record whose key is not an offset commit's (types 0 and 1)
// or a group's (type 2), or that does not decode.
std::optional<nlohmann::ordered_json> consumer_offsets_record_json(const wire::NullableBytes& key,
                                                                   const wire::NullableBytes& value);

}  // namespace kafkalite::records
