// The JSON API's routes: "METHOD /api/topics/{topic}" -> handler. A handler
// answers a Response for anything it is given (errors too); the router
// answers 404 for an unknown path and 405 for a known path with another
// method.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "console/http.h"

namespace kafkalite::console {

using Handler = std::function<Response(const Request&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  // Fills request.params from the matching route, then runs its handler.
  // Never throws: a handler's exception is a 500 with its message.
  Response handle(Request request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{name}" captures one segment
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace kafkalite::console
