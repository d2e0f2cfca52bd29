// Topics.
//   GET    /api/topics                          every topic: partitions, messages, size (by name)
//   POST   /api/topics                          create {name, partitions, replication_factor, configs}
//   GET    /api/topics/{topic}                  partitions with log start and end offsets
//   DELETE /api/topics/{topic}
//   GET    /api/topics/{topic}/configs          configs with their sources
//   PATCH  /api/topics/{topic}/configs          {set: {name: value}, delete: [name]}
//   POST   /api/topics/{topic}/partitions       add partitions {count: new total}
//   POST   /api/topics/{topic}/clear            delete every message (DeleteRecords to the end)
#include <algorithm>
#include <iterator>

#include "console/api/api.h"
#include "console/api/helpers.h"

namespace kafkalite::console::api {

namespace {

std::vector<int32_t> node_ids(client::Admin& admin) {
  std::vector<int32_t> out;
  auto described = admin.describe_cluster();
  if (described) {
    for (const auto& b : described->brokers) out.push_back(b.broker_id.value());
  }
  return out;
}

Response list(Kafka& kafka) {
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto topics = (*admin)->list_topics(true);
  if (!topics) return kafka_error(topics.error());
  std::sort(topics->begin(), topics->end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto offsets = offsets_of(**admin, partitions_of(*topics));
  if (!offsets) return kafka_error(offsets.error());
  auto sizes = (*admin)->partition_sizes(node_ids(**admin));
  json out = json::array();
  for (const auto& t : *topics) {
    int64_t messages = 0, size = 0;
    for (const auto& p : t.partitions) {
      const auto& o = (*offsets)[{t.name, p.partition}];
      if (o.end >= 0 && o.log_start >= 0) messages += o.end - o.log_start;
      if (sizes) size += (*sizes)[{t.name, p.partition}];
    }
    out.push_back({{"name", t.name},
                   {"internal", t.internal},
                   {"partitions", t.partitions.size()},
                   {"replication_factor", t.partitions.empty() ? 0 : t.partitions[0].replicas.size()},
                   {"messages", messages},
                   {"size_bytes", sizes ? json(size) : json(nullptr)}});
  }
  return json_response(json{{"topics", out}});
}

Response create(Kafka& kafka, const Request& request) {
  Response bad;
  auto body = parse_body(request, bad);
  if (!body) return bad;
  client::NewTopic topic;
  if (!body->contains("name") || !(*body)["name"].is_string() || (*body)["name"].get<std::string>().empty()) {
    return error_response(400, "INVALID_TOPIC_EXCEPTION", "Topic name is required.");
  }
  topic.name = (*body)["name"].get<std::string>();
  if (body->contains("partitions") && !(*body)["partitions"].is_null()) {
    if (!(*body)["partitions"].is_number_integer()) {
      return error_response(400, "INVALID_PARTITIONS", "The number of partitions must be a whole number.");
    }
    topic.partitions = (*body)["partitions"].get<int32_t>();
  }
  if (body->contains("replication_factor") && !(*body)["replication_factor"].is_null()) {
    if (!(*body)["replication_factor"].is_number_integer()) {
      return error_response(400, "INVALID_REPLICATION_FACTOR", "The replication factor must be a whole number.");
    }
    topic.replication_factor = (*body)["replication_factor"].get<int16_t>();
  }
  if (body->contains("configs")) {
    if (!(*body)["configs"].is_object()) {
      return error_response(400, "INVALID_CONFIG", "configs must be an object of name: value.");
    }
    for (const auto& [name, value] : (*body)["configs"].items()) {
      topic.configs[name] = value.is_string() ? value.get<std::string>() : value.dump();
    }
  }
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto created = (*admin)->create_topics({topic});
  if (!created) return kafka_error(created.error());
  if (const client::Error& e = (*created)[topic.name]) return kafka_error(e);
  return json_response(json{{"name", topic.name}}, 201);
}

Response describe(Kafka& kafka, const Request& request) {
  const std::string& name = request.param("topic");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto described = describe_topic(**admin, name);
  if (!described) return kafka_error(described.error());
  const client::TopicInfo& t = *described;
  auto offsets = offsets_of(**admin, partitions_of({t}));
  if (!offsets) return kafka_error(offsets.error());
  auto sizes = (*admin)->partition_sizes(node_ids(**admin));
  json partitions = json::array();
  int64_t messages = 0;
  for (const auto& p : t.partitions) {
    const auto& o = (*offsets)[{t.name, p.partition}];
    const int64_t count = o.end >= 0 && o.log_start >= 0 ? o.end - o.log_start : 0;
    messages += count;
    partitions.push_back({{"partition", p.partition},
                          {"leader", p.leader},
                          {"replicas", p.replicas},
                          {"isr", p.isr},
                          {"log_start_offset", o.log_start},
                          {"end_offset", o.end},
                          {"messages", count},
                          {"size_bytes", sizes ? json((*sizes)[{t.name, p.partition}]) : json(nullptr)}});
  }
  return json_response(json{{"name", t.name},
                            {"topic_id", t.id.to_base64()},
                            {"internal", t.internal},
                            {"replication_factor", t.partitions.empty() ? 0 : t.partitions[0].replicas.size()},
                            {"messages", messages},
                            {"partitions", partitions}});
}

Response remove(Kafka& kafka, const Request& request) {
  const std::string& name = request.param("topic");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto deleted = (*admin)->delete_topics({name});
  if (!deleted) return kafka_error(deleted.error());
  if (const client::Error& e = (*deleted)[name]) return kafka_error(e);
  return json_response(json{{"deleted", name}});
}

json configs_json(const std::string& topic, const std::vector<client::ConfigEntry>& configs) {
  json out = json::array();
  for (const auto& c : configs) out.push_back(config_json(c));
  return json{{"topic", topic}, {"configs", out}};
}

Response configs(Kafka& kafka, const Request& request) {
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto configs = (*admin)->describe_configs(client::ConfigResourceType::kTopic, request.param("topic"), true);
  if (!configs) return kafka_error(configs.error());
  return json_response(configs_json(request.param("topic"), *configs));
}

Response alter_configs(Kafka& kafka, const Request& request) {
  Response bad;
  auto body = parse_body(request, bad);
  if (!body) return bad;
  std::vector<client::ConfigAlteration> alterations;
  if (body->contains("set")) {
    if (!(*body)["set"].is_object()) return error_response(400, "INVALID_CONFIG", "set must be an object of name: value.");
    for (const auto& [name, value] : (*body)["set"].items()) {
      alterations.push_back({name, client::AlterOp::kSet, value.is_string() ? value.get<std::string>() : value.dump()});
    }
  }
  if (body->contains("delete")) {
    if (!(*body)["delete"].is_array()) return error_response(400, "INVALID_CONFIG", "delete must be a list of names.");
    for (const auto& name : (*body)["delete"]) {
      if (!name.is_string()) return error_response(400, "INVALID_CONFIG", "delete must be a list of names.");
      alterations.push_back({name.get<std::string>(), client::AlterOp::kDelete, std::nullopt});
    }
  }
  if (alterations.empty()) return error_response(400, "INVALID_CONFIG", "Nothing to change: give set or delete.");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  if (client::Error e = (*admin)->incremental_alter_configs(client::ConfigResourceType::kTopic, request.param("topic"),
                                                            alterations)) {
    return kafka_error(e);
  }
  // Kafka answers the alteration once its controller has it; the broker that
  // describes configs applies it a moment later. The page shows what was just
  // changed, so it describes again until every change is visible.
  const auto visible = [&alterations](const std::vector<client::ConfigEntry>& now) {
    for (const auto& a : alterations) {
      auto it = std::find_if(now.begin(), now.end(), [&a](const auto& c) { return c.name == a.name; });
      if (it == now.end()) continue;  // an unknown name was refused above
      const bool dynamic = client::config_source_name(it->source) == "DYNAMIC_TOPIC_CONFIG";
      if (a.op == client::AlterOp::kSet ? !dynamic || it->value != a.value : dynamic) return false;
    }
    return true;
  };
  client::Result<std::vector<client::ConfigEntry>> described = std::vector<client::ConfigEntry>{};
  retry_for_a_while([&] {
    described = (*admin)->describe_configs(client::ConfigResourceType::kTopic, request.param("topic"), true);
    return !described || visible(*described);
  });
  if (!described) return kafka_error(described.error());
  return json_response(configs_json(request.param("topic"), *described));
}

Response add_partitions(Kafka& kafka, const Request& request) {
  Response bad;
  auto body = parse_body(request, bad);
  if (!body) return bad;
  if (!body->contains("count") || !(*body)["count"].is_number_integer()) {
    return error_response(400, "INVALID_PARTITIONS", "count (the new number of partitions) must be a whole number.");
  }
  const std::string& name = request.param("topic");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  const auto count = (*body)["count"].get<int32_t>();
  auto done = (*admin)->create_partitions({{name, count}});
  if (!done) return kafka_error(done.error());
  if (const client::Error& e = (*done)[name]) return kafka_error(e);
  // Kafka's broker learns of the new partitions a moment after its
  // controller answered: the description waits for them.
  retry_for_a_while([&] {
    auto described = describe_topic(**admin, name);
    return !described || std::ssize(described->partitions) >= count;
  });
  return describe(kafka, request);
}

Response clear(Kafka& kafka, const Request& request) {
  const std::string& name = request.param("topic");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto described = describe_topic(**admin, name);
  if (!described) return kafka_error(described.error());
  std::map<client::TopicPartition, int64_t> before;
  for (const auto& tp : partitions_of({*described})) before[tp] = -1;  // -1: the high watermark
  auto deleted = (*admin)->delete_records(before);
  if (!deleted) return kafka_error(deleted.error());
  for (const auto& [tp, r] : *deleted) {
    if (r.error) return kafka_error(r.error);
  }
  return describe(kafka, request);
}

}  // namespace

void add_topic_routes(Router& router, Kafka& kafka) {
  router.add("GET", "/api/topics", [&kafka](const Request&) { return list(kafka); });
  router.add("POST", "/api/topics", [&kafka](const Request& r) { return create(kafka, r); });
  router.add("GET", "/api/topics/{topic}", [&kafka](const Request& r) { return describe(kafka, r); });
  router.add("DELETE", "/api/topics/{topic}", [&kafka](const Request& r) { return remove(kafka, r); });
  router.add("GET", "/api/topics/{topic}/configs", [&kafka](const Request& r) { return configs(kafka, r); });
  router.add("PATCH", "/api/topics/{topic}/configs", [&kafka](const Request& r) { return alter_configs(kafka, r); });
  router.add("POST", "/api/topics/{topic}/partitions", [&kafka](const Request& r) { return add_partitions(kafka, r); });
  router.add("POST", "/api/topics/{topic}/clear", [&kafka](const Request& r) { return clear(kafka, r); });
}

}  // namespace kafkalite::console::api
