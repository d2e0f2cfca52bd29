#include "broker/api/connection_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "broker/api/handlers.h"
#include "common/clock.h"
#include "broker/security/oauthbearer.h"
#include "broker/security/plain.h"
#include "broker/security/scram.h"

namespace kafkalite::broker::api {

namespace {

// Kafka's ApiKeys enum name of an API: CreateTopics -> CREATE_TOPICS.
std::string enum_name(int16_t key) {
  const ApiInfo* api = find_api(key);
  if (!api) return std::to_string(key);
  std::string out;
  for (char c : api->name) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out.push_back('_');
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

template <typename Api>
wire::OutFrame frame_of(const typename Api::Response& response, int16_t version, int32_t correlation_id) {
  return wire::OutFrame(encode_response_frame<Api>(response, version, correlation_id));
}

// A bare SASL token (after a v0 handshake): a size and the bytes.
wire::OutFrame raw_frame(const std::string& token) {
  wire::Writer w;
  const size_t start = begin_frame(w);
  w.write_raw(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(token.data()), token.size()));
  finish_frame(w, start);
  return wire::OutFrame(w.take());
}

// That API's response carrying ILLEGAL_SASL_STATE, where it has a top-level
// error code to carry it.
std::optional<wire::OutFrame> illegal_state_response(const ParsedRequestHeader& parsed) {
  std::optional<wire::OutFrame> out;
  visit_api(parsed.header.request_api_key, [&]<typename Api>() {
    typename Api::Response response;
    if constexpr (requires { response.error_code = ErrorCode::IllegalSaslState; }) {
      response.error_code = ErrorCode::IllegalSaslState;
      out = frame_of<Api>(response, parsed.header.request_api_version, parsed.header.correlation_id);
    }
  });
  return out;
}

std::string token_of(std::span<const uint8_t> bytes) { return std::string(bytes.begin(), bytes.end()); }

}  // namespace

ConnectionSession::ConnectionSession(Services& services, std::string listener, std::string peer,
                                     const std::optional<std::string>& certificate_subject)
    : services_(services), security_(services.listener_security(listener)),
      caller_{std::move(listener), peer, "User:ANONYMOUS", security::java_host_address(peer)} {
  // On SSL listeners the client's certificate names the principal (Kafka's
  // default principal builder, through ssl.principal.mapping.rules); on
  // SASL_SSL the login does.
  if (security_.protocol == security::SecurityProtocol::kSsl && certificate_subject) {
    const auto& mapper = security_.tls ? security_.tls->principal_mapper : nullptr;
    auto name = mapper ? mapper->name(*certificate_subject) : certificate_subject;
    if (name) {
      caller_.principal = "User:" + *name;
    } else {
      unmappable_ = "Failed to map name for '" + *certificate_subject +
                    "' based on SSL principal mapping rules. (No rules apply to " + *certificate_subject + ", rules " +
                    mapper->describe() + ")";
    }
  }
}

std::string ConnectionSession::describe() const {
  std::string out = "/" + caller_.peer + " (listener " + caller_.listener;
  if (!mechanism_.empty()) out += ", mechanism " + mechanism_;
  if (server_) {
    if (auto user = server_->claimed_user()) out += ", user " + *user;
  }
  return out + ")";
}

DispatchOutcome ConnectionSession::unexpected(const std::string& message) const {
  spdlog::warn("Unexpected error from {}; closing connection: {}", describe(), message);
  return DispatchOutcome{std::nullopt, true, std::nullopt};
}

DispatchOutcome ConnectionSession::fail(const std::string& message, std::optional<wire::OutFrame> response) {
  spdlog::info("Failed {}authentication with {} ({})", reauthenticating_ ? "re-" : "", describe(), message);
  return DispatchOutcome{std::move(response), true, security_.failed_authentication_delay};
}

DispatchOutcome ConnectionSession::refuse(const std::string& message, bool headers, int16_t version,
                                          int32_t correlation_id) {
  if (!headers) return fail(message);
  SaslAuthenticateResponse response;
  response.error_code = ErrorCode::SaslAuthenticationFailed;
  response.error_message = message;
  return fail(message, frame_of<SaslAuthenticateApi>(response, version, correlation_id));
}

std::optional<DispatchOutcome> ConnectionSession::refuse_size(int32_t size) const {
  if (!authenticating() || (size >= 0 && size <= security_.max_receive_size)) return std::nullopt;
  spdlog::info("Failed authentication with {} (Failing SASL authentication due to invalid receive size: {}, "
               "sasl.server.max.receive.size is {})",
               describe(), size, security_.max_receive_size);
  return DispatchOutcome{std::nullopt, true, security_.failed_authentication_delay};
}

boost::asio::awaitable<DispatchOutcome> ConnectionSession::handle(std::span<const uint8_t> frame) {
  if (unmappable_) {
    // Kafka fails to build the principal on the first request and closes.
    spdlog::error("Closing socket for {} because of error: {}", describe(), *unmappable_);
    co_return DispatchOutcome{std::nullopt, true, std::nullopt};
  }
  if (authenticating()) {
    if (state_ == State::kAuthenticate || state_ == State::kReauthBadMechanism) co_return in_exchange(frame);
    co_return co_await before_handshake(frame);
  }
  if (security_.sasl() && session_expiry_) {
    auto header = parse_request_header(frame);
    const auto now = Clock::now();
    if (header.parsed && header.parsed->header.request_api_key == static_cast<int16_t>(ApiKey::SaslHandshake) &&
        (!reauth_started_ || now - *reauth_started_ >= std::chrono::seconds(1))) {
      // KIP-368: the client re-authenticates before its session ends (at
      // most once a second; a handshake sooner is answered as any other).
      reauth_started_ = now;
      reauthenticating_ = true;
      state_ = State::kHandshake;
      co_return handshake(frame, *header.parsed);
    }
    if (now > *session_expiry_) {
      spdlog::debug("Disconnecting expired channel of {} (connections.max.reauth.ms)", describe());
      co_return DispatchOutcome{std::nullopt, true, std::nullopt};
    }
  }
  co_return co_await dispatch(services_, frame, caller_);
}

boost::asio::awaitable<DispatchOutcome> ConnectionSession::before_handshake(std::span<const uint8_t> frame) {
  static const std::string kNotKafka =
      "Invalid request, potential reasons: kafka client configured with the wrong security protocol, it does not "
      "support KIP-43 or it is not a kafka client.";
  auto header = parse_request_header(frame);
  if (!header.parsed) co_return unexpected(state_ == State::kInitial ? kNotKafka : header.error);
  const ParsedRequestHeader& parsed = *header.parsed;
  const int16_t key = parsed.header.request_api_key;
  if (key != static_cast<int16_t>(ApiKey::ApiVersions) && key != static_cast<int16_t>(ApiKey::SaslHandshake)) {
    const std::string message = "Unexpected Kafka request of type " + enum_name(key) + " during SASL handshake.";
    co_return unexpected(state_ == State::kInitial ? kNotKafka + " (" + message + ")" : message);
  }
  if (key == static_cast<int16_t>(ApiKey::SaslHandshake)) co_return handshake(frame, parsed);
  if (state_ == State::kHandshake) {
    co_return unexpected("Unexpected ApiVersions request received during SASL authentication state HANDSHAKE_REQUEST");
  }
  // ApiVersions, answered as after authentication; an unsupported version
  // (answered UNSUPPORTED_VERSION) may be asked again lower.
  const auto range = advertised_versions(key);
  bool answered = parsed.version_supported && parsed.header.request_api_version <= range->max;
  if (answered) {
    ApiVersionsRequest request;
    std::string error;
    answered = decode_request_body<ApiVersionsApi>(frame, parsed, request, error) &&
               api_versions_request_valid(request, parsed.header.request_api_version);
  }
  DispatchOutcome outcome = co_await dispatch(services_, frame, caller_);
  if (!outcome.close) state_ = answered ? State::kHandshake : State::kHandshakeOrVersions;
  co_return outcome;
}

DispatchOutcome ConnectionSession::handshake(std::span<const uint8_t> frame, const ParsedRequestHeader& parsed) {
  const int16_t version = parsed.header.request_api_version;
  SaslHandshakeRequest request;
  std::string error;
  if (!parsed.version_supported || version > SaslHandshakeApi::max_version ||
      !decode_request_body<SaslHandshakeApi>(frame, parsed, request, error)) {
    return unexpected("Error getting request for apiKey: SASL_HANDSHAKE, apiVersion: " + std::to_string(version) +
                      (error.empty() ? "" : ": " + error));
  }
  headers_ = version >= 1;
  SaslHandshakeResponse response;
  response.mechanisms = security_.mechanisms;
  const auto& enabled = security_.mechanisms;
  const bool offered = std::find(enabled.begin(), enabled.end(), request.mechanism) != enabled.end();
  if (!offered) {
    response.error_code = ErrorCode::UnsupportedSaslMechanism;
    mechanism_ = request.mechanism;
    return fail("Unsupported SASL mechanism " + request.mechanism,
                frame_of<SaslHandshakeApi>(response, version, parsed.header.correlation_id));
  }
  if (reauthenticating_ && request.mechanism != mechanism_) {
    // Kafka answers the handshake, then fails the next token.
    state_ = State::kReauthBadMechanism;
    reauth_mechanism_ = request.mechanism;
    return DispatchOutcome{frame_of<SaslHandshakeApi>(response, version, parsed.header.correlation_id), false, std::nullopt};
  }
  mechanism_ = request.mechanism;
  if (mechanism_ == "PLAIN") {
    server_ = security::make_plain_server(security_.plain_users);
  } else if (mechanism_ == "OAUTHBEARER") {
    server_ = security::make_oauthbearer_server(security_.oauthbearer_options, [] { return now_ms(); });
  } else {
    auto& credentials = services_.scram_credentials();
    server_ = security::make_scram_server(*security::scram_mechanism_named(mechanism_),
                                          [&credentials](const std::string& user, security::ScramMechanism m) {
                                            return credentials.find(user, m);
                                          });
  }
  state_ = State::kAuthenticate;
  return DispatchOutcome{frame_of<SaslHandshakeApi>(response, version, parsed.header.correlation_id), false, std::nullopt};
}

DispatchOutcome ConnectionSession::in_exchange(std::span<const uint8_t> frame) {
  if (state_ == State::kReauthBadMechanism) {
    return fail("SASL mechanism '" + reauth_mechanism_ + "' requested by client is not supported for "
                "re-authentication of mechanism '" + mechanism_ + "'");
  }
  if (!headers_) return token(token_of(frame), 0, 0, false);
  auto header = parse_request_header(frame);
  if (!header.parsed) return unexpected(header.error);
  const ParsedRequestHeader& parsed = *header.parsed;
  const int16_t key = parsed.header.request_api_key;
  const int16_t version = parsed.header.request_api_version;
  if (key != static_cast<int16_t>(ApiKey::SaslAuthenticate)) {
    return fail("Unexpected Kafka request of type " + enum_name(key) + " during SASL authentication.",
                illegal_state_response(parsed));
  }
  SaslAuthenticateRequest request;
  std::string error;
  if (!parsed.version_supported || version > SaslAuthenticateApi::max_version) {
    return unexpected("Version " + std::to_string(version) + " is not supported for apiKey SASL_AUTHENTICATE");
  }
  if (!decode_request_body<SaslAuthenticateApi>(frame, parsed, request, error)) {
    return unexpected("Error getting request for apiKey: SASL_AUTHENTICATE, apiVersion: " + std::to_string(version) +
                      ": " + error);
  }
  return token(token_of(request.auth_bytes), version, parsed.header.correlation_id, true);
}

DispatchOutcome ConnectionSession::token(const std::string& bytes, int16_t version, int32_t correlation_id,
                                         bool headers) {
  auto result = server_->evaluate(bytes);
  SaslAuthenticateResponse response;
  if (auto* failure = std::get_if<security::SaslFailure>(&result)) {
    if (failure->kind == security::SaslFailure::Kind::kUnexpected) return unexpected(failure->message);
    if (failure->kind == security::SaslFailure::Kind::kHidden) {
      spdlog::debug("SASL {} failed for {}: {}", mechanism_, describe(), failure->message);
    }
    const std::string message =
        failure->kind == security::SaslFailure::Kind::kAuthentication
            ? failure->message
            : "Authentication failed during " + std::string(reauthenticating_ ? "re-" : "") +
                  "authentication due to invalid credentials with SASL mechanism " + mechanism_;
    // Bare tokens have no way to carry an error: a hidden failure closes
    // at once, an authentication failure after the delay.
    if (!headers && failure->kind == security::SaslFailure::Kind::kHidden) {
      spdlog::info("Closing connection from {}: {}", describe(), message);
      return DispatchOutcome{std::nullopt, true, std::nullopt};
    }
    return refuse(message, headers, version, correlation_id);
  }
  const auto& step = std::get<security::SaslStep>(result);
  if (step.complete) {
    const std::string principal = "User:" + server_->authorization_id();
    if (reauthenticating_ && principal != caller_.principal) {
      auto dotted = [](std::string p) { return p.replace(p.find(':'), 1, "."); };
      const std::string message = "Cannot change principals during re-authentication from " +
                                  dotted(caller_.principal) + ": " + dotted(principal);
      return refuse(message, headers, version, correlation_id);
    }
    caller_.principal = principal;
    state_ = State::kComplete;
    reauthenticating_ = false;
    // KIP-368: connections.max.reauth.ms, and no longer than the
    // credential itself lasts (an OAUTHBEARER token's exp).
    int64_t lifetime = security_.max_reauth_ms.count(mechanism_) ? security_.max_reauth_ms.at(mechanism_) : 0;
    const auto expiry = server_->credential_expiry_ms();
    if (expiry) {
      const int64_t left = std::max<int64_t>(0, *expiry - now_ms());
      lifetime = lifetime > 0 ? std::min(left, lifetime) : left;
    }
    session_expiry_.reset();
    if (expiry || lifetime > 0) {
      session_expiry_ = Clock::now() + std::chrono::milliseconds(lifetime);
      response.session_lifetime_ms = lifetime;
    }
    spdlog::debug("Successfully authenticated {} with {}", principal, describe());
  }
  if (!headers) return DispatchOutcome{raw_frame(step.token), false, std::nullopt};
  response.auth_bytes.assign(step.token.begin(), step.token.end());
  return DispatchOutcome{frame_of<SaslAuthenticateApi>(response, version, correlation_id), false, std::nullopt};
}

}  // namespace kafkalite::broker::api
