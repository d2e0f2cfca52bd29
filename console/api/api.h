// The JSON API behind every page, one file per page area; each adds its
// routes. README.md ("The console's JSON API") lists them.
#pragma once

#include "console/kafka.h"
#include "console/router.h"

namespace kafkalite::console::api {

void add_cluster_routes(Router& router, Kafka& kafka);    // dashboard, brokers
void add_topic_routes(Router& router, Kafka& kafka);      // topics, configs, partitions
void add_message_routes(Router& router, Kafka& kafka);    // read and produce messages
void add_group_routes(Router& router, Kafka& kafka);      // consumer groups, reset offsets
void add_teaching_routes(Router& router, Kafka& kafka);   // log strip, timeline, request log

inline void add_all_routes(Router& router, Kafka& kafka) {
  add_cluster_routes(router, kafka);
  add_topic_routes(router, kafka);
  add_message_routes(router, kafka);
  add_group_routes(router, kafka);
  add_teaching_routes(router, kafka);
}

}  // namespace kafkalite::console::api
