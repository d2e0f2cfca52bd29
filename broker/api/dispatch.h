// Turns one request frame into its response frame (or a decision to close).
#pragma once

#include "common/net/asio.h"
#include <optional>
#include <string>

#include "broker/api/services.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::broker::api {

struct DispatchOutcome {
  std::optional<wire::Bytes> response;  // none for acks=0 produce
  bool close = false;
};

boost::asio::awaitable<DispatchOutcome> dispatch(Services& broker, const wire::Bytes& frame,
                                                 const std::string& listener,
                                                 const std::string& peer);

}  // namespace kafkalite::broker::api
