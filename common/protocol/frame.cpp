#include "common/protocol/frame.h"

namespace kafkalite::protocol {

FrameSizeStatus check_frame_size(int32_t size, int32_t max_size) {
  if (size < 0) return FrameSizeStatus::kNegative;
  if (size > max_size) return FrameSizeStatus::kTooLarge;
  return FrameSizeStatus::kOk;
}

int32_t read_frame_size(std::span<const uint8_t, kFrameSizeBytes> prefix) {
  wire::Reader r(prefix);
  return r.read_int32();
}

RequestHeaderResult parse_request_header(std::span<const uint8_t> frame) {
  RequestHeaderResult result;
  wire::Reader peek(frame);
  const int16_t api_key = peek.read_int16();
  const int16_t api_version = peek.read_int16();
  if (!peek.ok()) {
    result.error = "request header truncated: " + peek.error();
    return result;
  }
  ParsedRequestHeader parsed;
  parsed.api = find_api(api_key);
  parsed.version_supported = parsed.api != nullptr && api_version >= parsed.api->min_version &&
                             api_version <= parsed.api->max_version;
  // An unknown key's header layout is unknowable; read it as v1 to learn the
  // correlation id, which is all a caller can use before closing.
  parsed.header_version = parsed.api ? parsed.api->request_header_version(api_version) : 1;
  wire::Reader r(frame);
  parsed.header.decode(r, parsed.header_version);
  if (!r.ok()) {
    result.error = "request header malformed: " + r.error();
    return result;
  }
  parsed.body_offset = r.position();
  result.parsed = std::move(parsed);
  return result;
}

size_t begin_frame(wire::Writer& w) {
  const size_t start = w.size();
  w.write_int32(0);
  return start;
}

void finish_frame(wire::Writer& w, size_t start) {
  w.patch_int32(start, static_cast<int32_t>(w.total_size() - start - kFrameSizeBytes));
}

}  // namespace kafkalite::protocol
