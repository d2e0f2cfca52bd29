// Dashboard / Brokers.
//   GET /api/info                    where the console runs, what it can show
//   GET /api/cluster                 cluster id, brokers, listeners, counts, features
//   GET /api/brokers/{id}/configs    a broker's configs with their sources
#include <chrono>
#include <iterator>

#include "console/api/api.h"
#include "console/api/helpers.h"

namespace kafkalite::console::api {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::string> config_value(const std::vector<client::ConfigEntry>& configs, const std::string& name) {
  for (const auto& c : configs) {
    if (c.name == name) return c.value;
  }
  return std::nullopt;
}

// metadata.version's feature levels and the releases Kafka names them by
// (Kafka's MetadataVersion): what kafka-ui shows as the version. A lower
// bound on what the cluster can do, chosen by its operator.
std::optional<std::string> metadata_version_name(int level) {
  static const char* kNames[] = {"3.3-IV3", "3.4-IV0", "3.5-IV0", "3.5-IV1", "3.5-IV2", "3.6-IV0", "3.6-IV1",
                                 "3.6-IV2", "3.7-IV0", "3.7-IV1", "3.7-IV2", "3.7-IV3", "3.7-IV4", "3.8-IV0",
                                 "3.9-IV0", "4.0-IV0", "4.0-IV1", "4.0-IV2", "4.0-IV3", "4.1-IV0", "4.1-IV1"};
  constexpr int kFirst = 7;
  if (level < kFirst || level >= kFirst + static_cast<int>(std::size(kNames))) return std::nullopt;
  return kNames[level - kFirst];
}

Response info(Kafka& kafka) {
  json out = {{"mode", kafka.local() ? "embedded" : "remote"},
              {"bootstrap_servers", kafka.config().bootstrap_servers},
              {"request_log", kafka.journal() != nullptr},
              {"rebalance_timeline", kafka.journal() != nullptr}};
  if (kafka.local()) out["software"] = kafka.local()->software;
  return json_response(out);
}

Response cluster(Kafka& kafka) {
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto described = (*admin)->describe_cluster();
  if (!described) return kafka_error(described.error());
  json out;
  out["cluster_id"] = described->cluster_id;
  out["controller_id"] = described->controller_id.value();
  json brokers = json::array();
  for (const auto& b : described->brokers) {
    json broker = {{"node_id", b.broker_id.value()},
                   {"host", b.host},
                   {"port", b.port},
                   {"rack", b.rack ? json(*b.rack) : json(nullptr)}};
    auto configs = (*admin)->describe_configs(client::ConfigResourceType::kBroker, std::to_string(b.broker_id.value()),
                                              false);
    if (configs) {
      broker["listeners"] = config_value(*configs, "listeners").value_or("");
      broker["advertised_listeners"] = config_value(*configs, "advertised.listeners").value_or("");
      broker["log_dirs"] = config_value(*configs, "log.dirs").value_or(config_value(*configs, "log.dir").value_or(""));
    }
    brokers.push_back(broker);
  }
  out["brokers"] = brokers;

  // What the broker says of itself in ApiVersions: its finalized features
  // (metadata.version names the Kafka release it runs as).
  const auto& versions = (**admin).cluster().api_versions();
  json features = json::array();
  out["metadata_version"] = nullptr;
  for (const auto& f : versions.finalized_features) {
    features.push_back({{"name", f.name}, {"level", f.max_version_level}});
    if (f.name == "metadata.version") {
      auto name = metadata_version_name(f.max_version_level);
      out["metadata_version"] = name ? json(*name) : json(std::to_string(f.max_version_level));
    }
  }
  out["finalized_features"] = features;
  out["api_count"] = versions.api_keys.size();

  auto topics = (*admin)->list_topics(true);
  if (!topics) return kafka_error(topics.error());
  int64_t internal = 0;
  for (const auto& t : *topics) internal += t.internal ? 1 : 0;
  const auto partitions = partitions_of(*topics);
  auto offsets = offsets_of(**admin, partitions);
  if (!offsets) return kafka_error(offsets.error());
  int64_t messages = 0;
  for (const auto& [tp, o] : *offsets) {
    if (o.end >= 0 && o.log_start >= 0) messages += o.end - o.log_start;
  }
  out["topic_count"] = static_cast<int64_t>(topics->size());
  out["internal_topic_count"] = internal;
  out["partition_count"] = static_cast<int64_t>(partitions.size());
  out["message_count"] = messages;
  if (kafka.local()) {
    out["uptime_ms"] = now_ms() - kafka.local()->started_ms;
    out["software"] = kafka.local()->software;
  } else {
    out["uptime_ms"] = nullptr;  // Kafka's protocol does not tell
  }
  return json_response(out);
}

Response broker_configs(Kafka& kafka, const Request& request) {
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto configs = (*admin)->describe_configs(client::ConfigResourceType::kBroker, request.param("id"), true);
  if (!configs) return kafka_error(configs.error());
  json out = json::array();
  for (const auto& c : *configs) out.push_back(config_json(c));
  return json_response(json{{"broker", request.param("id")}, {"configs", out}});
}

}  // namespace

void add_cluster_routes(Router& router, Kafka& kafka) {
  router.add("GET", "/api/info", [&kafka](const Request&) { return info(kafka); });
  router.add("GET", "/api/cluster", [&kafka](const Request&) { return cluster(kafka); });
  router.add("GET", "/api/brokers/{id}/configs", [&kafka](const Request& r) { return broker_configs(kafka, r); });
}

}  // namespace kafkalite::console::api
