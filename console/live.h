// A live view: one API path, asked again every `interval` and pushed to the
// browser over a WebSocket when the answer changes. Two kinds, told apart by
// the answer itself:
//   - a snapshot (a group's lag, a partition's log strip): sent when it
//     differs from what was sent last;
//   - an append stream (messages, the request log, a group's timeline): its
//     answer has "next", the query that continues after it; each new answer
//     is sent when it has something in "messages" or "events".
// Opened as  GET /api/live?path=<the API path with its query, URL-encoded>&interval=MS
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "console/router.h"

namespace kafkalite::console {

class LiveView {
 public:
  // The view that `request` (to /api/live) asks for; nullopt with `error`
  // set when it asks for something that cannot be watched.
  static std::optional<LiveView> open(const Request& request, Response& error);

  // Asks the API once: the text to send, or nullopt when nothing is new.
  std::optional<std::string> next(const Router& router);
  std::chrono::milliseconds interval() const { return interval_; }
  const std::string& path() const { return inner_.path; }

 private:
  Request inner_;
  std::chrono::milliseconds interval_{1000};
  bool first_ = true;
  std::string last_sent_;
};

}  // namespace kafkalite::console
