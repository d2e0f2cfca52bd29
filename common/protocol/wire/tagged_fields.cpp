#include "common/protocol/wire/tagged_fields.h"

namespace kafkalite::wire {

void write_tagged_section(Writer& w, const std::vector<RawTaggedField>& known,
                          const UnknownTaggedFields& unknown) {
  w.write_unsigned_varint(static_cast<uint32_t>(known.size() + unknown.size()));
  size_t k = 0, u = 0;
  while (k < known.size() || u < unknown.size()) {
    const bool take_known =
        u == unknown.size() || (k < known.size() && known[k].tag < unknown[u].tag);
    const RawTaggedField& field = take_known ? known[k++] : unknown[u++];
    w.write_tagged_field(field.tag, field.data);
  }
}

}  // namespace kafkalite::wire
