// What the API files share: Kafka errors as HTTP answers, offsets of many
// partitions at once, and record bytes as JSON.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/admin.h"
#include "console/http.h"

namespace kafkalite::console::api {

// {"error": KAFKA_NAME, "message": ...} with a status that fits the error:
// 404 for what does not exist, 409 for a conflict, 400 for invalid input,
// 503 when the cluster cannot be reached.
Response kafka_error(const client::Error& error);
int http_status_for(const client::Error& error);

// A number from the query (or nullopt when absent); `bad` set when present
// but not a whole number.
std::optional<int64_t> query_int(const Request& request, const std::string& name, bool& bad);

// Metadata for one topic; UNKNOWN_TOPIC_OR_PARTITION when it does not exist.
client::Result<client::TopicInfo> describe_topic(client::Admin& admin, const std::string& name);

// Calls `attempt` until it returns true or 5 s have passed, 50 ms apart (a
// client's retry backoff): for what Kafka's broker applies a moment after it
// answered.
void retry_for_a_while(const std::function<bool()>& attempt);

struct PartitionOffsets {
  int64_t log_start = -1;
  int64_t end = -1;
};
// Earliest and latest offsets of the given partitions (one ListOffsets each).
client::Result<std::map<client::TopicPartition, PartitionOffsets>> offsets_of(
    client::Admin& admin, const std::vector<client::TopicPartition>& partitions);
// Every partition of the topics (from metadata), in order.
std::vector<client::TopicPartition> partitions_of(const std::vector<client::TopicInfo>& topics);

// Record bytes: text when they are UTF-8, else base64 with "<field>_encoding".
void put_bytes(json& out, const std::string& field, const wire::NullableBytes& bytes);
bool is_utf8(std::span<const uint8_t> bytes);

// Kafka's name for a config source (DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG, ...).
json config_json(const client::ConfigEntry& entry);

}  // namespace kafkalite::console::api
