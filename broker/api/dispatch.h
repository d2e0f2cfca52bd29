// Turns one request frame into its response frame (or a decision to close).
#pragma once

#include "common/net/asio.h"
#include <span>
#include <chrono>
#include <optional>
#include <string>

#include "broker/api/services.h"
#include "common/protocol/wire/out_frame.h"

namespace kafkalite::broker::api {

struct DispatchOutcome {
  std::optional<wire::OutFrame> response;  // none for acks=0 produce
  bool close = false;
  // With close: the response goes out after this delay, then the connection
  // closes (a failed authentication).
  std::optional<std::chrono::milliseconds> linger;
};

// Who is on the other end of a connection.
struct Caller {
  std::string listener;
  std::string peer;  // "host:port"
  std::string principal = "User:ANONYMOUS";
  std::string client_host;  // the peer's IP as Java prints it (security::java_host_address)
};

// The frame must outlive the call (it is decoded before the first
// suspension); the caller is taken by value, as a coroutine keeps its
// arguments, not what they refer to.
boost::asio::awaitable<DispatchOutcome> dispatch(Services& broker, std::span<const uint8_t> frame, Caller caller);

}  // namespace kafkalite::broker::api
