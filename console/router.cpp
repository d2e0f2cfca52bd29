#include "console/router.h"

#include <spdlog/spdlog.h>

namespace kafkalite::console {

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool is_capture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), split_path(pattern), std::move(handler)});
}

Response Router::handle(Request request) const {
  const std::vector<std::string> segments = split_path(request.path);
  bool path_known = false;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      if (is_capture(route.segments[i])) {
        params[route.segments[i].substr(1, route.segments[i].size() - 2)] = url_decode(segments[i], false);
      } else {
        match = route.segments[i] == segments[i];
      }
    }
    if (!match) continue;
    path_known = true;
    if (route.method != request.method) continue;
    request.params = std::move(params);
    try {
      return route.handler(request);
    } catch (const std::exception& e) {
      spdlog::error("Console: {} {} failed: {}", request.method, request.path, e.what());
      return error_response(500, "UNKNOWN_SERVER_ERROR", e.what());
    }
  }
  if (path_known) return error_response(405, "METHOD_NOT_ALLOWED", request.method + " is not allowed on " + request.path);
  return error_response(404, "NOT_FOUND", "No such API: " + request.path);
}

}  // namespace kafkalite::console
