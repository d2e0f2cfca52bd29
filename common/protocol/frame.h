// Kafka framing: every request and response travels as an int32 size followed
// by that many bytes: a header (request v1/v2, response v0/v1) then the body.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/protocol/generated/api_table.h"
#include "common/protocol/generated/headers.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::protocol {

// Kafka's socket.request.max.bytes default.
constexpr int32_t kDefaultMaxRequestBytes = 104857600;
constexpr size_t kFrameSizeBytes = 4;

enum class FrameSizeStatus { kOk, kNegative, kTooLarge };
FrameSizeStatus check_frame_size(int32_t size, int32_t max_size);
int32_t read_frame_size(std::span<const uint8_t, kFrameSizeBytes> prefix);

// What parsing a request's header found. `api` is null for an unknown key;
// `version_supported` is false when the version is outside the codec's range.
struct ParsedRequestHeader {
  RequestHeader header;
  int16_t header_version = 1;
  const ApiInfo* api = nullptr;
  bool version_supported = false;
  size_t body_offset = 0;  // where the body starts within the frame
};

// Parses the header of a frame (the bytes after the size prefix). Fails with
// a reason when even the header cannot be read. For a known API at a version
// the codec lacks, the header version follows the same rule as for known
// versions (so an ApiVersions request from a newer client is still readable).
struct RequestHeaderResult {
  std::optional<ParsedRequestHeader> parsed;
  std::string error;
};
RequestHeaderResult parse_request_header(std::span<const uint8_t> frame);

// Starts a frame: reserves the size prefix. finish_frame fills it in.
size_t begin_frame(wire::Writer& w);
void finish_frame(wire::Writer& w, size_t start);

template <typename Api>
wire::Bytes encode_request_frame(const typename Api::Request& request, int16_t version,
                                 int32_t correlation_id, std::optional<std::string> client_id) {
  wire::Writer w;
  const size_t start = begin_frame(w);
  RequestHeader header;
  header.request_api_key = static_cast<int16_t>(Api::key);
  header.request_api_version = version;
  header.correlation_id = correlation_id;
  header.client_id = std::move(client_id);
  header.encode(w, Api::request_header_version(version));
  request.encode(w, version);
  finish_frame(w, start);
  return w.take();
}

// A response frame with byte fields of `borrow_from` bytes or more (record
// batches) referenced, not copied: `response` must outlive the frame.
template <typename Api>
wire::OutFrame encode_response_out_frame(const typename Api::Response& response, int16_t version,
                                         int32_t correlation_id, size_t borrow_from) {
  wire::Writer w;
  w.borrow_bytes_from(borrow_from);
  const size_t start = begin_frame(w);
  ResponseHeader header;
  header.correlation_id = correlation_id;
  header.encode(w, Api::response_header_version(version));
  response.encode(w, version);
  finish_frame(w, start);
  return w.take_frame();
}

// A response frame in one piece (nothing borrowed).
template <typename Api>
wire::Bytes encode_response_frame(const typename Api::Response& response, int16_t version,
                                  int32_t correlation_id) {
  return encode_response_out_frame<Api>(response, version, correlation_id, SIZE_MAX).bytes;
}

// Decodes a response frame (without its size prefix). Returns false with the
// reason in `error` when malformed or when bytes are left over.
template <typename Api>
bool decode_response_frame(std::span<const uint8_t> frame, int16_t version,
                           ResponseHeader& header, typename Api::Response& response,
                           std::string& error) {
  wire::Reader r(frame);
  header.decode(r, Api::response_header_version(version));
  response.decode(r, version);
  if (r.ok() && !r.at_end()) r.fail("trailing bytes after the response body");
  error = r.error();
  return r.ok();
}

// Decodes a request body that parse_request_header has located. Bytes after
// the body are ignored, as Kafka ignores them (librdkafka 2.x sends some after
// Metadata v13); their count goes to *trailing.
template <typename Api>
bool decode_request_body(std::span<const uint8_t> frame, const ParsedRequestHeader& parsed,
                         typename Api::Request& request, std::string& error,
                         size_t* trailing = nullptr) {
  const std::span<const uint8_t> body = frame.subspan(parsed.body_offset);
  wire::Reader r(body);
  request.decode(r, parsed.header.request_api_version);
  error = r.error();
  if (trailing) *trailing = r.ok() ? body.size() - r.position() : 0;
  return r.ok();
}

}  // namespace kafkalite::protocol
