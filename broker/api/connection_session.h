// One connection's conversation with the broker. On a PLAINTEXT listener
// every request goes to its handler (dispatch.h) as User:ANONYMOUS; on an
// SSL listener as User:<the client certificate's subject> (ANONYMOUS
// without one). On a
// SASL listener the connection must first authenticate, as Kafka's
// SaslServerAuthenticator has it:
//   - before the handshake only ApiVersions (once) and SaslHandshake
//     (v0-1) are taken; anything else closes the connection, unanswered;
//   - SaslHandshake names a mechanism (UNSUPPORTED_SASL_MECHANISM with the
//     enabled list when it is not one); after v1 the mechanism's tokens come
//     in SaslAuthenticate requests (v0-2, KIP-152), after v0 as bare frames;
//   - a failure is answered SASL_AUTHENTICATION_FAILED after
//     connection.failed.authentication.delay.ms, then the connection closes;
//     it is logged with the peer, listener, mechanism and claimed user,
//     never the secret;
//   - once authenticated, requests run as User:<name>. With
//     connections.max.reauth.ms the last SaslAuthenticate tells the client
//     its session's lifetime (KIP-368); a SaslHandshake later begins
//     re-authentication (same mechanism, same user), and a request after
//     the session has expired closes the connection, unanswered.
// Differences from Kafka: a request of another API in the middle of the
// exchange gets that API's response with ILLEGAL_SASL_STATE only where the
// response has a top-level error code (Kafka builds one for every API);
// otherwise the connection closes after the delay without an answer.
#pragma once

#include <span>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "broker/api/dispatch.h"
#include "broker/security/sasl_server.h"
#include "common/protocol/frame.h"

namespace kafkalite::broker::api {

class ConnectionSession {
 public:
  // `certificate_subject`: the verified client certificate's, on TLS listeners.
  ConnectionSession(Services& services, std::string listener, std::string peer,
                    const std::optional<std::string>& certificate_subject = std::nullopt);

  boost::asio::awaitable<DispatchOutcome> handle(std::span<const uint8_t> frame);
  // A frame announced larger than the connection may send now.
  std::optional<DispatchOutcome> refuse_size(int32_t size) const;

 private:
  enum class State { kInitial, kHandshakeOrVersions, kHandshake, kAuthenticate, kReauthBadMechanism, kComplete };
  using Clock = std::chrono::steady_clock;

  bool authenticating() const { return security_.sasl() && state_ != State::kComplete; }
  boost::asio::awaitable<DispatchOutcome> before_handshake(std::span<const uint8_t> frame);
  DispatchOutcome handshake(std::span<const uint8_t> frame, const protocol::ParsedRequestHeader& parsed);
  DispatchOutcome in_exchange(std::span<const uint8_t> frame);
  DispatchOutcome token(const std::string& bytes, int16_t version, int32_t correlation_id, bool headers);
  // Closes after the delay, with `response` (if any) sent first; logs why.
  DispatchOutcome fail(const std::string& message, std::optional<wire::OutFrame> response = std::nullopt);
  // SASL_AUTHENTICATION_FAILED with `message` (after a v1 handshake; bare
  // tokens get no answer), then fail().
  DispatchOutcome refuse(const std::string& message, bool headers, int16_t version, int32_t correlation_id);
  // Closes now, unanswered, logging why as Kafka's "Unexpected error" line.
  DispatchOutcome unexpected(const std::string& message) const;
  std::string describe() const;

  Services& services_;
  const security::ListenerSecurity& security_;
  Caller caller_;
  State state_ = State::kInitial;
  bool headers_ = false;  // tokens in SaslAuthenticate requests (handshake v1)
  bool reauthenticating_ = false;
  std::string mechanism_;
  std::string reauth_mechanism_;  // asked for in a re-authentication, when not mechanism_
  std::unique_ptr<security::SaslServer> server_;
  std::optional<Clock::time_point> session_expiry_;
  std::optional<Clock::time_point> reauth_started_;  // of the last re-authentication
  // Why the client certificate names no principal (no mapping rule applies).
  std::optional<std::string> unmappable_;
};

}  // namespace kafkalite::broker::api
