// libFuzzer target: any bytes as a request frame (after the size prefix).
// Whatever decodes (trailing bytes are ignored, as Kafka ignores them) must
// re-encode and decode to the same bytes again, and
// nothing may crash, hang or allocate beyond what the input justifies.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "common/protocol/frame.h"
#include "common/protocol/generated/visit_api.h"

using namespace kafkalite::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> frame(data, size);
  auto header = parse_request_header(frame);
  if (!header.parsed || !header.parsed->version_supported) return 0;
  const ParsedRequestHeader& parsed = *header.parsed;
  const int16_t version = parsed.header.request_api_version;
  visit_api(parsed.header.request_api_key, [&]<typename Api>() {
    typename Api::Request request;
    std::string error;
    if (!decode_request_body<Api>(frame, parsed, request, error)) return;
    kafkalite::wire::Writer first;
    request.encode(first, version);
    typename Api::Request again;
    kafkalite::wire::Reader reader(first.bytes());
    if (!again.decode(reader, version) || !reader.at_end()) std::abort();
    kafkalite::wire::Writer second;
    again.encode(second, version);
    if (first.bytes() != second.bytes()) std::abort();
  });
  return 0;
}
