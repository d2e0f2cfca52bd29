// What the consumer-group handlers share: Kafka's view of the client's host,
// error-code casts, and the single-node coordinator answer.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "broker/api/services.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::broker::api {

// The text Kafka sends with INVALID_REQUEST from its generic error path.
inline constexpr const char* kInvalidRequestMessage =
    "This most likely occurs because of a request being malformed by the client library or the "
    "message was sent to an incompatible broker. See the broker logs for more details.";


// Kafka shows a member's host as Java prints an InetAddress: "/127.0.0.1".
inline std::string client_host(const RequestContext& ctx) {
  const auto colon = ctx.peer.rfind(':');
  return "/" + ctx.peer.substr(0, colon);
}

// OffsetCommit's and TxnOffsetCommit's first step, as KafkaApis takes it:
// every requested partition gets an entry in `out_topics`, an unknown topic
// or partition UNKNOWN_TOPIC_OR_PARTITION; returns the (topic, partition)
// indexes left for the group coordinator.
template <typename InTopics, typename OutTopics>
std::vector<std::pair<size_t, size_t>> known_partitions(Services& broker, const InTopics& in_topics,
                                                        OutTopics& out_topics) {
  std::vector<std::pair<size_t, size_t>> known;
  for (size_t ti = 0; ti < in_topics.size(); ++ti) {
    const auto& t = in_topics[ti];
    auto& topic_out = out_topics.emplace_back();
    topic_out.name = t.name;
    const cluster::Topic* topic = broker.topics().find(t.name);
    for (size_t pi = 0; pi < t.partitions.size(); ++pi) {
      auto& p = topic_out.partitions.emplace_back();
      p.partition_index = t.partitions[pi].partition_index;
      if (!topic || !topic->partition(p.partition_index)) {
        p.error_code = ErrorCode::UnknownTopicOrPartition;
      } else {
        known.emplace_back(ti, pi);
      }
    }
  }
  return known;
}

}  // namespace kafkalite::broker::api
