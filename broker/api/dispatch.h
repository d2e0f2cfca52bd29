// Turns one request frame into its response frame (or a decision to close).
#pragma once

#include "common/net/asio.h"
#include <optional>
#include <string>

#include "broker/api/services.h"
#include "common/protocol/wire/out_frame.h"

namespace kafkalite::broker::api {

struct DispatchOutcome {
  std::optional<wire::OutFrame> response;  // none for acks=0 produce
  bool close = false;
};

// The frame must outlive the call (it is decoded before the first
// suspension); the strings are taken by value, as a coroutine keeps its
// arguments, not what they refer to.
boost::asio::awaitable<DispatchOutcome> dispatch(Services& broker, const wire::Bytes& frame, std::string listener,
                                                 std::string peer);

}  // namespace kafkalite::broker::api
