// The console's HTTP vocabulary, without Beast: what a page handler gets and
// gives. Handlers run on the console's worker threads; the server (server.h)
// turns these into Beast messages.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace kafkalite::console {

using nlohmann::json;

struct Request {
  std::string method;                         // GET POST PATCH DELETE
  std::string path;                           // as sent (percent-encoded), without the query
  std::map<std::string, std::string> query;   // decoded
  std::map<std::string, std::string> params;  // {name} parts of the route
  std::string body;
  std::string accept_language;

  const std::string& param(const std::string& name) const;
  std::optional<std::string> query_value(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

Response json_response(const json& body, int status = 200);
// {"error": CODE, "message": text}: CODE is Kafka's error name where Kafka
// gave the error (TOPIC_ALREADY_EXISTS), else the console's (INVALID_JSON).
Response error_response(int status, std::string_view code, std::string_view message);

// The body as a JSON object; nullopt (and `error` set) when it is not one.
std::optional<json> parse_body(const Request& request, Response& error);

// A whole number, the whole of `text`; nullopt otherwise.
std::optional<int64_t> parse_int(std::string_view text);

// Percent-decoding (and '+' as space in queries).
std::string url_decode(std::string_view text, bool plus_is_space);
// "a=1&b=x%20y" -> {a: 1, b: "x y"}.
std::map<std::string, std::string> parse_query(std::string_view query);
// Splits "/p?q" into its path (still encoded: the router splits it into
// segments, then decodes each, so a group id may hold a '/') and its query.
void split_target(std::string_view target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace kafkalite::console
