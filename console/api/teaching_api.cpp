// The views no other console has.
//   GET /api/topics/{topic}/partitions/{partition}/log   the log as a strip: log start,
//       end offset, each group's committed offset (and lag) on it
//   GET /api/groups/{group}/timeline    joins, leaves, generations, leader and
//       assignments with times (only inside `kafkalite serve`: its coordinator tells)
//   GET /api/requests                   each client request and the broker's response,
//       after=SEQ, client=ID, limit=N (only inside `kafkalite serve`). The console's
//       own requests (client id kafkalite-console) are left out unless asked for.
#include <algorithm>
#include <set>

#include "client/admin.h"
#include "common/text.h"
#include "console/api/api.h"
#include "console/api/helpers.h"
#include "console/api/request_summary.h"

namespace kafkalite::console::api {

namespace {

constexpr const char* kNotHere =
    "Only kafkalite's own coordinator can tell this: open the console of `kafkalite serve`. "
    "Kafka's protocol does not report it to a client.";

Response partition_log(Kafka& kafka, const Request& request) {
  const std::string& topic = request.param("topic");
  const auto partition = parse_int(request.param("partition"));
  if (!partition) return error_response(400, "INVALID_REQUEST", "The partition must be a whole number.");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto described = describe_topic(**admin, topic);
  if (!described) return kafka_error(described.error());
  if (*partition < 0 || *partition >= static_cast<int64_t>(described->partitions.size())) {
    return error_response(404, "UNKNOWN_TOPIC_OR_PARTITION",
                          "Topic '" + topic + "' has no partition " + std::to_string(*partition) + ".");
  }
  const client::TopicPartition tp{topic, static_cast<int32_t>(*partition)};
  auto offsets = offsets_of(**admin, {tp});
  if (!offsets) return kafka_error(offsets.error());
  const PartitionOffsets o = (*offsets)[tp];
  auto groups = (*admin)->list_groups();
  if (!groups) return kafka_error(groups.error());
  std::sort(groups->begin(), groups->end(), [](const auto& a, const auto& b) { return a.group_id < b.group_id; });
  json marks = json::array();
  for (const auto& g : *groups) {
    auto committed = (*admin)->list_group_offsets(g.group_id, std::vector<client::TopicPartition>{tp});
    if (!committed) continue;
    auto it = committed->find(tp);
    if (it == committed->end() || it->second.offset < 0) continue;
    marks.push_back({{"group_id", g.group_id},
                     {"state", g.state},
                     {"committed_offset", it->second.offset},
                     {"lag", std::max<int64_t>(0, o.end - it->second.offset)}});
  }
  return json_response(json{{"topic", topic},
                            {"partition", *partition},
                            {"log_start_offset", o.log_start},
                            {"end_offset", o.end},
                            {"groups", marks}});
}

Response timeline(Kafka& kafka, const Request& request) {
  const std::string& group = request.param("group");
  observe::Journal* journal = kafka.journal();
  if (!journal) return json_response(json{{"group_id", group}, {"available", false}, {"reason", kNotHere}});
  bool bad = false;
  const int64_t after = query_int(request, "after", bad).value_or(-1);
  if (bad) return error_response(400, "INVALID_REQUEST", "after must be a whole number.");
  json events = json::array();
  uint64_t last = after < 0 ? 0 : static_cast<uint64_t>(after);
  for (const auto& e : journal->read(observe::Stream::kGroups, last, SIZE_MAX)) {
    last = e.seq;
    json event = json::parse(e.json, nullptr, false);
    if (event.is_discarded() || event.value("group_id", "") != group) continue;
    event["seq"] = e.seq;
    event["time"] = e.time_ms;
    if (event.contains("members")) {
      for (auto& m : event["members"]) {
        if (!m.contains("assignment_hex")) continue;
        if (event.value("protocol_type", "") == "consumer") {
          const auto bytes = text::from_hex(m["assignment_hex"].get<std::string>());
          json assignment = json::array();
          if (bytes) {
            for (const auto& tp : client::decode_consumer_assignment(*bytes)) {
              assignment.push_back({{"topic", tp.topic}, {"partition", tp.partition}});
            }
          }
          m["assignment"] = assignment;
        }
        m.erase("assignment_hex");
      }
    }
    events.push_back(event);
  }
  return json_response(json{{"group_id", group},
                            {"available", true},
                            {"events", events},
                            {"next", {{"after", std::to_string(last)}}}});
}

Response requests(Kafka& kafka, const Request& request) {
  observe::Journal* journal = kafka.journal();
  if (!journal) return json_response(json{{"available", false}, {"reason", kNotHere}});
  bool bad = false;
  const int64_t after = query_int(request, "after", bad).value_or(-1);
  const int64_t limit = std::clamp<int64_t>(query_int(request, "limit", bad).value_or(100), 1, 500);
  if (bad) return error_response(400, "INVALID_REQUEST", "after and limit must be whole numbers.");
  const std::optional<std::string> client_filter = request.query_value("client");
  const std::string console_id = kafka.config().client_id;

  // Without `after`: the newest `limit` events.
  uint64_t from = after >= 0 ? static_cast<uint64_t>(after) : 0;
  if (after < 0) {
    const uint64_t newest = journal->last_seq(observe::Stream::kRequests);
    from = newest > static_cast<uint64_t>(limit) * 4 ? newest - static_cast<uint64_t>(limit) * 4 : 0;
  }
  std::map<std::string, std::string> topic_names;
  bool names_loaded = false;
  json events = json::array();
  uint64_t last = from;
  std::set<std::string> clients;
  for (const auto& e : journal->read(observe::Stream::kRequests, from, SIZE_MAX)) {
    last = e.seq;
    json event = json::parse(e.json, nullptr, false);
    if (event.is_discarded()) continue;
    const std::string client = event.value("client_id", std::string());
    if (client != console_id) clients.insert(client);
    if (client_filter ? client != *client_filter : client == console_id) continue;
    if (!names_loaded) {
      names_loaded = true;
      if (auto admin = kafka.admin()) {
        if (auto topics = (*admin)->list_topics(true)) {
          for (const auto& t : *topics) topic_names[t.id.to_base64()] = t.name;
        }
      }
    }
    const Summary s = summarize(event, topic_names);
    event["seq"] = e.seq;
    event["time"] = e.time_ms;
    event["request_summary"] = s.request;
    event["response_summary"] = s.response;
    event["error"] = s.error.empty() ? json(nullptr) : json(s.error);
    events.push_back(std::move(event));
  }
  if (events.size() > static_cast<size_t>(limit)) {
    events.erase(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(events.size() - limit));
  }
  return json_response(json{{"available", true},
                            {"events", events},
                            {"clients", clients},
                            {"next", {{"after", std::to_string(last)}}}});
}

}  // namespace

void add_teaching_routes(Router& router, Kafka& kafka) {
  router.add("GET", "/api/topics/{topic}/partitions/{partition}/log",
             [&kafka](const Request& r) { return partition_log(kafka, r); });
  router.add("GET", "/api/groups/{group}/timeline", [&kafka](const Request& r) { return timeline(kafka, r); });
  router.add("GET", "/api/requests", [&kafka](const Request& r) { return requests(kafka, r); });
}

}  // namespace kafkalite::console::api
