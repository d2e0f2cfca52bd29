#include "broker/api/dispatch.h"

#include <spdlog/spdlog.h>

#include "broker/api/handlers.h"
#include "broker/api/request_log.h"
#include "common/protocol/frame.h"
#include "common/text.h"

namespace kafkalite::broker::api {

namespace {

// The first bytes of a request, for the log line about a malformed one.
std::string hex_prefix(std::span<const uint8_t> bytes, size_t limit) {
  std::string out = text::to_hex(bytes.first(std::min(bytes.size(), limit)));
  if (bytes.size() > limit) out += "...";
  return out.empty() ? "(empty)" : out;
}

// Byte fields this large are sent from the response, not copied into the
// frame (smaller ones cost less to copy than to send as their own piece).
constexpr size_t kBorrowedBytes = 16 * 1024;

DispatchOutcome close_connection() { return DispatchOutcome{std::nullopt, true, std::nullopt}; }

DispatchOutcome acks0_outcome(const ProduceResponse& response, const RequestContext& ctx) {
  std::string errors;
  for (const auto& topic : response.responses) {
    for (const auto& p : topic.partition_responses) {
      if (p.error_code == ErrorCode::None) continue;
      errors += (errors.empty() ? "" : ", ") + topic.name.value() + "-" + std::to_string(p.index) + " -> " +
                std::string(error_name(static_cast<ErrorCode>(p.error_code)));
    }
  }
  if (errors.empty()) return DispatchOutcome{};
  spdlog::info("Closing connection due to error during produce request with correlation id {} from client id {} "
               "with ack=0. Topic and partition to exceptions: {}",
               ctx.correlation_id, ctx.client_id.value_or(""), errors);
  return close_connection();
}

// GCC 12 wrongly reports Asio's coroutine frames as freed by a mismatched
// operator delete (GCC bug 109224, fixed in 13); which instantiations it
// picks on varies with inlining.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

template <typename Api>
Task<DispatchOutcome> run(Services& broker, std::span<const uint8_t> frame,
                          const ParsedRequestHeader& parsed, const RequestContext& ctx) {
  if constexpr (kImplemented<Api>) {
    const auto started = std::chrono::steady_clock::now();
    typename Api::Request request;
    std::string error;
    size_t trailing = 0;
    if (!decode_request_body<Api>(frame, parsed, request, error, &trailing)) {
      spdlog::warn("Closing connection from {}: malformed {} v{} request (correlation id {}): {}; "
                   "body starts {}",
                   ctx.peer, Api::name, ctx.api_version, ctx.correlation_id, error,
                   hex_prefix(frame.subspan(parsed.body_offset), 48));
      co_return close_connection();
    }
    if (trailing > 0) {
      spdlog::debug("{} v{} request from {} has {} byte(s) after its body; ignored, as Kafka does",
                    Api::name, ctx.api_version, ctx.peer, trailing);
    }
    // Handlers answer errors as values; anything thrown is a fault of
    // kafkalite's (or a store that cannot read): log it, close the connection,
    // keep serving everyone else.
    std::optional<typename Api::Response> handled;
    try {
      handled = co_await handle(broker, ctx, request);
    } catch (const std::exception& e) {
      spdlog::error("Closing connection from {}: unexpected error handling {} v{} (correlation id {}): {}",
                    ctx.peer, Api::name, ctx.api_version, ctx.correlation_id, e.what());
      co_return close_connection();
    }
    auto& response = *handled;
    if (ctx.invalid) {
      spdlog::warn("Closing connection from {}: invalid {} v{} request (correlation id {}): {}", ctx.peer, Api::name,
                   ctx.api_version, ctx.correlation_id, *ctx.invalid);
      co_return close_connection();
    }
    if (ctx.abandon) {
      spdlog::info("Closing connection from {}: its {} (correlation id {}) was replaced by a newer one from the "
                   "same member, which Kafka never answers",
                   ctx.peer, Api::name, ctx.correlation_id);
      co_return close_connection();
    }
    observe::Journal* journal = broker.journal();
    const bool logged = journal && journal->wants_requests();
    const auto micros = [&] {
      return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
    };
    if constexpr (std::is_same_v<Api, ProduceApi>) {
      // acks=0: no response at all; an error on any partition closes the
      // connection, as Kafka does, so the producer notices.
      if (request.acks == 0) {
        if (logged) log_request<Api>(*journal, ctx, request, nullptr, frame.size(), 0, micros());
        co_return acks0_outcome(response, ctx);
      }
    }
    // Record batches of a fetch go out from the response itself, not
    // copied into the frame: the frame keeps the response alive.
    auto owner = std::make_shared<const typename Api::Response>(std::move(response));
    auto encoded = encode_response_out_frame<Api>(*owner, ctx.api_version, ctx.correlation_id, kBorrowedBytes);
    encoded.owner = owner;
    if (logged) log_request<Api>(*journal, ctx, request, owner.get(), frame.size(), encoded.size(), micros());
    co_return DispatchOutcome{std::move(encoded), false, std::nullopt};
  } else {
    co_return close_connection();
  }
}

wire::Bytes unsupported_api_versions(int32_t correlation_id) {
  // Kafka answers an ApiVersions request it cannot parse in v0, with
  // UNSUPPORTED_VERSION and its ApiVersions range, so the client can retry.
  ApiVersionsResponse response;
  response.error_code = ErrorCode::UnsupportedVersion;
  auto range = advertised_versions(static_cast<int16_t>(ApiKey::ApiVersions));
  response.api_keys.push_back({static_cast<int16_t>(ApiKey::ApiVersions), range->min, range->max, {}});
  return encode_response_frame<ApiVersionsApi>(response, 0, correlation_id);
}

}  // namespace

std::optional<VersionRange> advertised_versions(int16_t api_key) {
  std::optional<VersionRange> range;
  visit_api(api_key, [&]<typename Api>() {
    if constexpr (kImplemented<Api>) {
      // Kafka 4 still advertises Produce from v0 (so old librdkafka can
      // connect); the newest version is the newest stable one.
      const int16_t min = Api::key == ApiKey::Produce ? 0 : Api::min_version;
      range = VersionRange{min, Api::max_stable_version};
    }
  });
  return range;
}

Task<DispatchOutcome> dispatch(Services& broker, std::span<const uint8_t> frame, Caller caller) {
  const std::string& peer = caller.peer;
  auto header = parse_request_header(frame);
  if (!header.parsed) {
    spdlog::warn("Closing connection from {}: {}", peer, header.error);
    co_return close_connection();
  }
  const ParsedRequestHeader& parsed = *header.parsed;
  RequestContext ctx{parsed.header.correlation_id, parsed.header.client_id,
                     parsed.header.request_api_version, caller.listener, peer, caller.principal, false, std::nullopt,
                     caller.client_host, parsed.api ? parsed.api->name : std::string_view()};
  const int16_t key = parsed.header.request_api_key;
  const auto range = advertised_versions(key);
  if (!range) {
    spdlog::warn("Closing connection from {}: unsupported API key {} (correlation id {})", peer, key,
                 ctx.correlation_id);
    co_return close_connection();
  }
  if (ctx.api_version < range->min || ctx.api_version > range->max || !parsed.version_supported) {
    if (key == static_cast<int16_t>(ApiKey::ApiVersions)) {
      spdlog::info("ApiVersions v{} from {} is unsupported; answering with UNSUPPORTED_VERSION",
                   ctx.api_version, peer);
      co_return DispatchOutcome{wire::OutFrame(unsupported_api_versions(ctx.correlation_id)), false, std::nullopt};
    }
    spdlog::warn("Closing connection from {}: {} v{} is not supported (supported {}-{})", peer,
                 parsed.api->name, ctx.api_version, range->min, range->max);
    co_return close_connection();
  }
  // awaitable is move-constructible only, hence the optional.
  std::optional<Task<DispatchOutcome>> task;
  visit_api(key, [&]<typename Api>() { task.emplace(run<Api>(broker, frame, parsed, ctx)); });
  co_return co_await std::move(*task);
}

}  // namespace kafkalite::broker::api
