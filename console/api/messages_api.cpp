// Messages.
//   GET  /api/topics/{topic}/messages   read: seek=earliest|latest|offset|timestamp,
//        offset=N, timestamp=MS, partition=P, limit=N (100, at most 1000), q=TEXT
//        (in key or value); from=P:O,P:O continues where a previous answer
//        ended (its "next"), which is how Live mode appends new messages.
//   POST /api/topics/{topic}/messages   produce {key, value, headers: [{key, value}], partition,
//        timestamp} (the create time; now when left out)
//
// Earliest shows the first `limit` messages of each chosen partition, Latest
// the last `limit`, as kafka-ui's Seek Type does; messages are listed by
// partition, then offset.
#include <algorithm>
#include <chrono>

#include "console/api/api.h"
#include "console/api/helpers.h"

namespace kafkalite::console::api {

namespace {

constexpr int64_t kDefaultLimit = 100;
constexpr int64_t kMaxLimit = 1000;
constexpr size_t kMaxAnswerBytes = 8 * 1024 * 1024;
constexpr auto kReadBudget = std::chrono::seconds(3);

// "0:5,1:7" -> {0: 5, 1: 7}; nullopt when malformed.
std::optional<std::map<int32_t, int64_t>> parse_positions(const std::string& text) {
  std::map<int32_t, int64_t> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const size_t colon = item.find(':');
    if (colon == std::string::npos) return std::nullopt;
    auto p = parse_int(std::string_view(item).substr(0, colon));
    auto o = parse_int(std::string_view(item).substr(colon + 1));
    if (!p || !o || *p < INT32_MIN || *p > INT32_MAX) return std::nullopt;
    out[static_cast<int32_t>(*p)] = *o;
    start = comma + 1;
  }
  return out;
}

std::string format_positions(const std::map<int32_t, int64_t>& positions) {
  std::string out;
  for (const auto& [p, o] : positions) out += (out.empty() ? "" : ",") + std::to_string(p) + ":" + std::to_string(o);
  return out;
}

bool contains_folded(const wire::NullableBytes& bytes, const std::string& needle) {
  if (!bytes) return false;
  auto lower = [](unsigned char c) { return static_cast<char>(std::tolower(c)); };
  std::string hay(bytes->begin(), bytes->end());
  std::transform(hay.begin(), hay.end(), hay.begin(), lower);
  std::string n = needle;
  std::transform(n.begin(), n.end(), n.begin(), lower);
  return hay.find(n) != std::string::npos;
}

json record_json(const client::ConsumerRecord& r) {
  json out = {{"partition", r.partition},
              {"offset", r.offset},
              {"timestamp", r.timestamp},
              {"timestamp_type", r.timestamp_type == records::TimestampType::kLogAppendTime ? "LogAppendTime" : "CreateTime"}};
  put_bytes(out, "key", r.key);
  put_bytes(out, "value", r.value);
  json headers = json::array();
  for (const auto& h : r.headers) {
    json header = {{"key", h.key}};
    put_bytes(header, "value", h.value);
    headers.push_back(header);
  }
  out["headers"] = headers;
  out["size_bytes"] = (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
  return out;
}

Response read(Kafka& kafka, const Request& request) {
  const std::string& topic = request.param("topic");
  bool bad = false;
  const auto partition = query_int(request, "partition", bad);
  const auto offset = query_int(request, "offset", bad);
  const auto timestamp = query_int(request, "timestamp", bad);
  const int64_t limit = std::clamp<int64_t>(query_int(request, "limit", bad).value_or(kDefaultLimit), 1, kMaxLimit);
  if (bad) return error_response(400, "INVALID_REQUEST", "partition, offset, timestamp and limit must be whole numbers.");
  const std::string seek = request.query_value("seek").value_or("earliest");
  const std::string q = request.query_value("q").value_or("");
  std::optional<std::map<int32_t, int64_t>> from;
  if (auto text = request.query_value("from")) {
    from = parse_positions(*text);
    if (!from) return error_response(400, "INVALID_REQUEST", "from must look like 0:5,1:7 (partition:offset).");
  }
  if (!from && seek != "earliest" && seek != "latest" && seek != "offset" && seek != "timestamp") {
    return error_response(400, "INVALID_REQUEST", "seek must be earliest, latest, offset or timestamp.");
  }
  if (!from && seek == "offset" && !offset) return error_response(400, "INVALID_REQUEST", "seek=offset needs offset.");
  if (!from && seek == "timestamp" && !timestamp) {
    return error_response(400, "INVALID_REQUEST", "seek=timestamp needs timestamp (epoch milliseconds).");
  }

  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto described = describe_topic(**admin, topic);
  if (!described) return kafka_error(described.error());
  std::vector<client::TopicPartition> partitions;
  for (const auto& tp : partitions_of({*described})) {
    if (!partition || tp.partition == *partition) partitions.push_back(tp);
  }
  if (partitions.empty()) {
    return error_response(404, "UNKNOWN_TOPIC_OR_PARTITION",
                          "Topic '" + topic + "' has no partition " + std::to_string(partition.value_or(-1)) + ".");
  }
  auto offsets = offsets_of(**admin, partitions);
  if (!offsets) return kafka_error(offsets.error());

  // Where each partition starts, and where it ends now.
  std::map<int32_t, int64_t> start, stop;
  std::map<client::TopicPartition, client::OffsetSpec> by_time;
  for (const auto& tp : partitions) {
    const PartitionOffsets& o = (*offsets)[tp];
    stop[tp.partition] = o.end;
    if (from) {
      start[tp.partition] = from->count(tp.partition) ? std::max((*from)[tp.partition], o.log_start) : o.end;
    } else if (seek == "earliest") {
      start[tp.partition] = o.log_start;
    } else if (seek == "latest") {
      start[tp.partition] = std::max(o.log_start, o.end - limit);
    } else if (seek == "offset") {
      start[tp.partition] = std::clamp(*offset, o.log_start, o.end);
    } else {
      by_time[tp] = {*timestamp};
    }
  }
  if (!by_time.empty()) {
    auto found = (*admin)->list_offsets(by_time);
    if (!found) return kafka_error(found.error());
    for (const auto& [tp, listed] : *found) {
      start[tp.partition] = listed.error || listed.offset < 0 ? stop[tp.partition] : listed.offset;
    }
  }

  std::map<int32_t, std::vector<client::ConsumerRecord>> got;
  std::map<int32_t, int64_t> next = start;
  std::vector<client::TopicPartition> wanted;
  for (const auto& tp : partitions) {
    if (start[tp.partition] < stop[tp.partition]) wanted.push_back(tp);
  }
  size_t bytes = 0;
  bool truncated = false;
  if (!wanted.empty()) {
    auto consumer = kafka.consumer();
    if (!consumer) return kafka_error(consumer.error());
    if (client::Error e = (*consumer)->assign(wanted)) return kafka_error(e);
    for (const auto& tp : wanted) (*consumer)->seek(tp, start[tp.partition]);
    const auto deadline = std::chrono::steady_clock::now() + kReadBudget;
    auto done = [&](int32_t p) {
      return next[p] >= stop[p] || static_cast<int64_t>(got[p].size()) >= limit;
    };
    while (std::chrono::steady_clock::now() < deadline && !truncated &&
           !std::all_of(wanted.begin(), wanted.end(), [&](const auto& tp) { return done(tp.partition); })) {
      auto records = (*consumer)->poll(std::chrono::milliseconds(200));
      if (!records) return kafka_error(records.error());
      for (auto& r : *records) {
        if (done(r.partition) || r.offset >= stop[r.partition]) continue;
        next[r.partition] = r.offset + 1;
        if (!q.empty() && !contains_folded(r.key, q) && !contains_folded(r.value, q)) continue;
        bytes += (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
        got[r.partition].push_back(std::move(r));
        if (bytes > kMaxAnswerBytes) truncated = true;
      }
    }
  }
  json messages = json::array();
  for (auto& [p, records] : got) {
    for (const auto& r : records) messages.push_back(record_json(r));
  }
  json parts = json::array();
  for (const auto& tp : partitions) {
    parts.push_back({{"partition", tp.partition},
                     {"log_start_offset", (*offsets)[tp].log_start},
                     {"end_offset", (*offsets)[tp].end}});
  }
  return json_response(json{{"topic", topic},
                            {"messages", messages},
                            {"partitions", parts},
                            {"truncated", truncated},
                            {"next", {{"from", format_positions(next)}}}});
}

Response produce(Kafka& kafka, const Request& request) {
  Response bad;
  auto body = parse_body(request, bad);
  if (!body) return bad;
  client::ProducerRecord record;
  record.topic = request.param("topic");
  auto text_field = [&](const json& j, const char* name, wire::NullableBytes& out) -> bool {
    if (!j.contains(name) || j[name].is_null()) return true;
    if (!j[name].is_string()) return false;
    out = client::to_bytes(j[name].get<std::string>());
    return true;
  };
  if (!text_field(*body, "key", record.key) || !text_field(*body, "value", record.value)) {
    return error_response(400, "INVALID_REQUEST", "key and value must be text (or null).");
  }
  if (body->contains("partition") && !(*body)["partition"].is_null()) {
    if (!(*body)["partition"].is_number_integer()) {
      return error_response(400, "INVALID_REQUEST", "partition must be a whole number.");
    }
    record.partition = (*body)["partition"].get<int32_t>();
  }
  if (body->contains("timestamp") && !(*body)["timestamp"].is_null()) {
    if (!(*body)["timestamp"].is_number_integer()) {
      return error_response(400, "INVALID_REQUEST", "timestamp must be epoch milliseconds.");
    }
    record.timestamp = (*body)["timestamp"].get<int64_t>();
  }
  if (body->contains("headers")) {
    if (!(*body)["headers"].is_array()) return error_response(400, "INVALID_REQUEST", "headers must be a list.");
    for (const auto& h : (*body)["headers"]) {
      if (!h.is_object() || !h.contains("key") || !h["key"].is_string()) {
        return error_response(400, "INVALID_REQUEST", "each header needs a text key.");
      }
      records::RecordHeader header;
      header.key = h["key"].get<std::string>();
      if (!text_field(h, "value", header.value)) return error_response(400, "INVALID_REQUEST", "a header value must be text.");
      record.headers.push_back(std::move(header));
    }
  }
  auto delivered = kafka.produce(std::move(record));
  if (!delivered) return kafka_error(delivered.error());
  return json_response(json{{"topic", delivered->topic},
                            {"partition", delivered->partition},
                            {"offset", delivered->offset},
                            {"timestamp", delivered->timestamp}},
                       201);
}

}  // namespace

void add_message_routes(Router& router, Kafka& kafka) {
  router.add("GET", "/api/topics/{topic}/messages", [&kafka](const Request& r) { return read(kafka, r); });
  router.add("POST", "/api/topics/{topic}/messages", [&kafka](const Request& r) { return produce(kafka, r); });
}

}  // namespace kafkalite::console::api
