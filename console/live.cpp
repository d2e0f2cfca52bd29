#include "console/live.h"

#include <algorithm>

namespace kafkalite::console {

std::optional<LiveView> LiveView::open(const Request& request, Response& error) {
  auto target = request.query_value("path");
  if (!target || target->rfind("/api/", 0) != 0 || target->rfind("/api/live", 0) == 0) {
    error = error_response(400, "INVALID_REQUEST", "path must name an API path to watch, e.g. /api/groups/hello-group.");
    return std::nullopt;
  }
  LiveView view;
  view.inner_.method = "GET";
  split_target(*target, view.inner_.path, view.inner_.query);
  if (auto interval = request.query_value("interval")) {
    auto ms = parse_int(*interval);
    if (!ms) {
      error = error_response(400, "INVALID_REQUEST", "interval must be milliseconds.");
      return std::nullopt;
    }
    view.interval_ = std::chrono::milliseconds(std::clamp<int64_t>(*ms, 250, 60000));
  }
  return view;
}

std::optional<std::string> LiveView::next(const Router& router) {
  Response r = router.handle(inner_);
  const bool first = first_;
  first_ = false;
  if (r.status != 200) {
    if (r.body == last_sent_) return std::nullopt;
    last_sent_ = r.body;
    return r.body;
  }
  json answer = json::parse(r.body, nullptr, false);
  if (!answer.is_discarded() && answer.is_object() && answer.contains("next") && answer["next"].is_object()) {
    for (const auto& [k, v] : answer["next"].items()) {
      inner_.query[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
    bool fresh = first;
    for (const char* list : {"messages", "events"}) {
      if (answer.contains(list) && answer[list].is_array() && !answer[list].empty()) fresh = true;
    }
    if (!fresh) return std::nullopt;
    last_sent_.clear();
    return r.body;
  }
  if (r.body == last_sent_) return std::nullopt;
  last_sent_ = r.body;
  return r.body;
}

}  // namespace kafkalite::console
