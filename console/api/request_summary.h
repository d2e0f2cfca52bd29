// One line per request and per response for the request log, in the words a
// student meets in the lab: "hello-kafka[0]: 1 batch, 5 records" rather than
// the message's fields. Works on the JSON the broker journals (field names as
// in Kafka's specs); topic ids are named from `topic_names`.
#pragma once

#include <map>
#include <string>

#include "console/http.h"

namespace kafkalite::console::api {

struct Summary {
  std::string request;
  std::string response;
  std::string error;  // the first error name in the response, if any
};

Summary summarize(const json& event, const std::map<std::string, std::string>& topic_names);

}  // namespace kafkalite::console::api
