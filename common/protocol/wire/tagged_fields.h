// Writing the tagged-field section that ends every struct in flexible versions.
#pragma once

#include <vector>

#include "common/protocol/wire/types.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::wire {

// Writes the known fields (already encoded, in ascending tag order) merged with
// the unknown ones kept from decoding, so the section stays sorted by tag.
void write_tagged_section(Writer& w, const std::vector<RawTaggedField>& known,
                          const UnknownTaggedFields& unknown);

}  // namespace kafkalite::wire
