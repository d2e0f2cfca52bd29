// What the consumer-group handlers share: Kafka's view of the client's host,
// error-code casts, and the single-node coordinator answer.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "broker/api/access.h"
#include "broker/api/services.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite::broker::api {

// The text Kafka sends with INVALID_REQUEST from its generic error path.
inline constexpr const char* kInvalidRequestMessage =
    "This most likely occurs because of a request being malformed by the client library or the "
    "message was sent to an incompatible broker. See the broker logs for more details.";


// Kafka shows a member's host as Java prints an InetAddress: "/127.0.0.1".
inline std::string client_host(const RequestContext& ctx) { return "/" + ctx.client_host; }

// Every requested partition answered `error` (a request refused whole).
template <typename InTopics, typename OutTopics>
void refuse_partitions(const InTopics& in_topics, OutTopics& out_topics, protocol::ErrorCode error) {
  out_topics.clear();
  for (const auto& t : in_topics) {
    auto& topic_out = out_topics.emplace_back();
    topic_out.name = t.name;
    for (const auto& p : t.partitions) {
      auto& out = topic_out.partitions.emplace_back();
      out.partition_index = p.partition_index;
      out.error_code = error;
    }
  }
}

// OffsetCommit's and TxnOffsetCommit's first step, as KafkaApis takes it:
// every requested partition gets an entry in `out_topics`, a topic the
// caller may not READ TOPIC_AUTHORIZATION_FAILED, an unknown topic or
// partition UNKNOWN_TOPIC_OR_PARTITION; returns the (topic, partition)
// indexes left for the group coordinator.
template <typename InTopics, typename OutTopics>
std::vector<std::pair<size_t, size_t>> known_partitions(Services& broker, const Access& access,
                                                        const InTopics& in_topics, OutTopics& out_topics) {
  std::set<std::string> readable;
  if (access.enabled()) {
    std::vector<std::string> names;
    for (const auto& t : in_topics) names.push_back(t.name.value());
    readable = access.allowed_names(AclOperation::kRead, ResourceType::kTopic, names);
  }
  std::vector<std::pair<size_t, size_t>> known;
  for (size_t ti = 0; ti < in_topics.size(); ++ti) {
    const auto& t = in_topics[ti];
    auto& topic_out = out_topics.emplace_back();
    topic_out.name = t.name;
    const cluster::Topic* topic = broker.topics().find(t.name);
    const bool allowed = !access.enabled() || readable.count(t.name.value());
    for (size_t pi = 0; pi < t.partitions.size(); ++pi) {
      auto& p = topic_out.partitions.emplace_back();
      p.partition_index = t.partitions[pi].partition_index;
      if (!allowed) {
        p.error_code = protocol::ErrorCode::TopicAuthorizationFailed;
      } else if (!topic || !topic->partition(p.partition_index)) {
        p.error_code = protocol::ErrorCode::UnknownTopicOrPartition;
      } else {
        known.emplace_back(ti, pi);
      }
    }
  }
  return known;
}

}  // namespace kafkalite::broker::api
