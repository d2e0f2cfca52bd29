// The request log an observer (the console) shows: each request a client
// sends and what the broker answered, as JSON on the journal's request
// stream. Recorded only while someone watches (Journal::wants_requests), and
// a request or response over kMaxLoggedBytes is summarised by its size.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "broker/api/services.h"
#include "common/observe/journal.h"
#include "common/protocol/generated/to_json.h"

namespace kafkalite::broker::api {

inline constexpr size_t kMaxLoggedBytes = 64 * 1024;

nlohmann::json request_log_header(const RequestContext& ctx, std::string_view api, int16_t api_key,
                                  size_t request_bytes, int64_t micros);

template <typename Api>
void log_request(observe::Journal& journal, const RequestContext& ctx, const typename Api::Request& request,
                 const typename Api::Response* response, size_t request_bytes, size_t response_bytes,
                 int64_t micros) {
  nlohmann::json event = request_log_header(ctx, Api::name, static_cast<int16_t>(Api::key), request_bytes, micros);
  event["request"] = request_bytes <= kMaxLoggedBytes ? protocol::to_json(request)
                                                      : nlohmann::json{{"omitted_bytes", request_bytes}};
  if (!response) {
    event["response"] = nullptr;  // acks=0: Kafka sends none
  } else {
    event["response_bytes"] = response_bytes;
    event["response"] = response_bytes <= kMaxLoggedBytes ? protocol::to_json(*response)
                                                          : nlohmann::json{{"omitted_bytes", response_bytes}};
  }
  journal.publish(observe::Stream::kRequests, event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace kafkalite::broker::api
