#include "tests/crosscheck/scenario.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

namespace kafkalite::crosscheck {

Session::Session(std::string bootstrap, std::string prefix, int64_t base_time_ms)
    : bootstrap_(std::move(bootstrap)), prefix_(std::move(prefix)), base_time_ms_(base_time_ms) {}

client::Connection& Session::connection() {
  if (!connection_) connection_ = std::make_unique<client::Connection>(bootstrap_, "crosscheck");
  return *connection_;
}

std::unique_ptr<client::Connection> Session::sasl_connection() const {
  if (sasl_bootstrap_.empty()) throw std::runtime_error("not a secure scenario: no SASL listener");
  return std::make_unique<client::Connection>(sasl_bootstrap_, "crosscheck");
}

client::Connection& Session::connection(int n) {
  if (n == 0) return connection();
  auto& c = extra_connections_[n];
  if (!c) c = std::make_unique<client::Connection>(bootstrap_, "crosscheck");
  return *c;
}

namespace {

// Names an element of a listing carries (topics, groups).
std::optional<std::string> listed_name(const json& element) {
  for (const char* key : {"Name", "GroupId", "TopicName"}) {
    auto it = element.find(key);
    if (it != element.end() && it->is_string()) return it->get<std::string>();
  }
  return std::nullopt;
}

void keep_own(json& value, const std::string& prefix) {
  if (value.is_array()) {
    json kept = json::array();
    for (json& element : value) {
      auto name = element.is_object() ? listed_name(element) : std::nullopt;
      if (name && name->rfind(prefix, 0) != 0) continue;
      keep_own(element, prefix);
      kept.push_back(std::move(element));
    }
    // A listing's order is the broker's hash order: compare sorted by name.
    std::stable_sort(kept.begin(), kept.end(), [](const json& a, const json& b) {
      return listed_name(a).value_or("") < listed_name(b).value_or("");
    });
    value = std::move(kept);
  } else if (value.is_object()) {
    for (auto& [key, child] : value.items()) keep_own(child, prefix);
  }
}

}  // namespace

void Session::record(const std::string& label, const std::string& api, int16_t version,
                     json response, Listing listing) {
  if (listing == Listing::kOwnOnly) keep_own(response, prefix_);
  transcript_.push_back({{"step", label}, {"api", api}, {"version", version},
                         {"response", std::move(response)}});
}

void Session::note(const std::string& label, json value) {
  transcript_.push_back({{"step", label}, {"observed", std::move(value)}});
}

void Session::send_raw(const std::string& label, const wire::Bytes& frame) {
  json outcome;
  try {
    connection().send_frame(frame);
    if (!connection().readable_within(std::chrono::seconds(10))) {
      outcome = "no answer within 10 s";
    } else {
      const wire::Bytes answer = connection().receive_frame();
      outcome = {{"answered", true}, {"bytes", answer.size()}};
    }
  } catch (const std::exception&) {
    outcome = "connection closed";
    reconnect();
  }
  note(label, std::move(outcome));
}

bool Session::poll(const std::function<bool()>& ready, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void Session::await_metadata(const std::string& topic, const std::string& what,
                             const std::function<bool(const MetadataResponse::MetadataResponseTopic&)>& ready) {
  MetadataRequest request;
  request.topics.emplace().emplace_back().name = TopicName(topic);
  request.allow_auto_topic_creation = false;
  // The reference broker's metadata cache catches up within milliseconds.
  if (!poll([&] {
        auto response = quiet<MetadataApi>(request, 12);
        return response.topics.size() == 1 && ready(response.topics[0]);
      })) {
    throw std::runtime_error("topic " + topic + " not " + what + " after 15 s");
  }
}

wire::Uuid Session::topic_id(const std::string& topic) {
  MetadataRequest request;
  request.topics.emplace().emplace_back().name = TopicName(topic);
  request.allow_auto_topic_creation = false;
  auto response = quiet<MetadataApi>(request, 12);
  return response.topics.size() == 1 ? response.topics[0].topic_id : wire::Uuid{};
}

void Session::await_topic(const std::string& topic, int32_t partitions) {
  // Kafka's metadata cache shows a new topic before its partitions have a
  // log (a produce then gets NOT_LEADER_OR_FOLLOWER): wait for ListOffsets too.
  await_metadata(topic, "ready", [&](const MetadataResponse::MetadataResponseTopic& t) {
    if (t.error_code != ErrorCode::None || static_cast<int32_t>(t.partitions.size()) != partitions) return false;
    ListOffsetsRequest request;
    request.replica_id = BrokerId(-1);
    auto& lt = request.topics.emplace_back();
    lt.name = TopicName(topic);
    for (const auto& p : t.partitions) {
      if (p.leader_id.value() < 0) return false;
      auto& lp = lt.partitions.emplace_back();
      lp.partition_index = p.partition_index;
      lp.timestamp = -1;
    }
    for (const auto& rt : quiet<ListOffsetsApi>(request).topics) {
      for (const auto& rp : rt.partitions) {
        if (rp.error_code != ErrorCode::None) return false;
      }
    }
    return true;
  });
}

void Session::await_topic_gone(const std::string& topic) {
  await_metadata(topic, "gone", [](const MetadataResponse::MetadataResponseTopic& t) {
    return t.error_code == ErrorCode::UnknownTopicOrPartition;
  });
}

void Session::await_group_state(const std::string& group, const std::string& state) {
  DescribeGroupsRequest request;
  request.groups = {GroupId(group)};
  if (!poll([&] {
        auto response = quiet<DescribeGroupsApi>(request, 5);
        return response.groups.size() == 1 && response.groups[0].group_state == state;
      })) {
    throw std::runtime_error("group " + group + " not " + state + " after 15 s");
  }
}

void Session::create_topic(const std::string& topic, int32_t partitions,
                           std::vector<std::pair<std::string, std::string>> configs) {
  CreateTopicsRequest request;
  request.timeout_ms = 30000;
  auto& t = request.topics.emplace_back();
  t.name = TopicName(topic);
  t.num_partitions = partitions;
  t.replication_factor = 1;
  for (auto& [k, v] : configs) {
    auto& c = t.configs.emplace_back();
    c.name = k;
    c.value = v;
  }
  call<CreateTopicsApi>("create topic " + topic, request);
  await_topic(topic, partitions);
}

wire::Bytes Session::batch(int count, const std::string& value_prefix,
                           records::Compression codec) const {
  records::BatchBuilder builder;
  builder.compression = codec;
  builder.base_timestamp = base_time_ms_;
  for (int i = 0; i < count; ++i) {
    const std::string key = "key" + std::to_string(i), value = value_prefix + std::to_string(i);
    builder.add(base_time_ms_ + i, wire::Bytes(key.begin(), key.end()),
                wire::Bytes(value.begin(), value.end()));
  }
  return builder.build();
}

namespace {

Reference reference_from(const char* env_name, const char* file_env_name, bool secure) {
  if (const char* env = std::getenv(env_name)) {
    const std::string value = env;
    const size_t comma = value.find(',');
    if (comma == std::string::npos) return {value, "", ""};
    return {value.substr(0, comma), "", value.substr(comma + 1)};
  }
  const char* file_env = std::getenv(file_env_name);
  // The secured reference's file, by default in the "secure" folder beside
  // the reference's (tests/crosscheck/CMakeLists.txt).
  std::string file = file_env ? file_env : "";
  if (file.empty() && secure) {
    if (const char* plain = std::getenv("KAFKALITE_REFERENCE_FILE")) {
      file = (std::filesystem::path(plain).parent_path() / "secure" / "reference.txt").string();
    }
  }
  if (file.empty()) return {"", std::string("neither ") + env_name + " nor " + file_env_name + " is set", ""};
  std::ifstream in(file);
  std::string line;
  Reference ref;
  if (!in || !std::getline(in, line)) return {"", std::string("no reference broker: ") + file, ""};
  if (line.rfind("bootstrap=", 0) != 0) return {"", line, ""};
  ref.bootstrap = line.substr(10);
  if (std::getline(in, line) && line.rfind("sasl_bootstrap=", 0) == 0) ref.sasl_bootstrap = line.substr(15);
  return ref;
}

}  // namespace

Reference reference() { return reference_from("KAFKALITE_REFERENCE", "KAFKALITE_REFERENCE_FILE", false); }
Reference secure_reference() {
  return reference_from("KAFKALITE_SECURE_REFERENCE", "KAFKALITE_SECURE_REFERENCE_FILE", true);
}

std::map<std::string, std::string> secure_properties() {
  std::ifstream in(std::string(KAFKALITE_SOURCE_DIR) + "/tests/crosscheck/secure.properties");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (out.empty()) throw std::runtime_error("tests/crosscheck/secure.properties is missing or empty");
  return out;
}

std::vector<Scenario>& scenarios() {
  static std::vector<Scenario> all;
  return all;
}

RegisterScenario::RegisterScenario(std::string name, std::string waits_for,
                                   std::function<void(Session&)> run, bool restarts, bool secure) {
  scenarios().push_back({std::move(name), std::move(waits_for), std::move(run), restarts, secure});
}

void Session::restart_broker() {
  if (!restart_) throw std::runtime_error("this scenario is not run as a restart scenario");
  connection_.reset();
  extra_connections_.clear();
  bootstrap_ = restart_();
}

namespace {

// Keys whose values are ids: replaced by their order of first appearance.
const std::set<std::string> kIdKeys = {"ClusterId", "TopicId", "SessionId", "ProducerId",
                                       "MemberId", "DirectoryId"};
// Keys whose values depend on the machine or the clock.
// (Values the client chose, such as DescribeProducers' LastTimestamp, are
// compared as they are.)
const std::set<std::string> kMachineKeys = {"Host", "Port", "Path", "TotalBytes", "UsableBytes",
                                            "LogAppendTimeMs", "LogDir", "TransactionStartTimeMs"};
// APIs whose partitions come in an order Kafka defines (Fetch: the request's
// or the session's, refused partitions last): compared as they are, never
// sorted. (Group ids are sorted only in DeleteGroups, see sort_members.)
const std::set<std::string> kOrderDefined = {"Fetch"};

// Producer ids start at 0; other ids use 0 for "none".
const std::set<std::string> kZeroIsAnId = {"ProducerId"};
// Fields that hold another field's kind of id, numbered together with it.
const std::map<std::string, std::string> kAliasIdKeys = {{"producer_id", "ProducerId"},
                                                         {"Leader", "MemberId"}};

bool is_unset(const json& value, const std::string& key) {
  if (kZeroIsAnId.count(key) && value.is_number_integer()) return value.get<int64_t>() < 0;
  return value.is_null() || (value.is_number_integer() && value.get<int64_t>() <= 0) ||
         (value.is_string() && (value.get<std::string>().empty() ||
                                value.get<std::string>() == "AAAAAAAAAAAAAAAAAAAAAA"));
}

void mask(json& value, const std::string& field, const std::string& api,
          std::map<std::string, std::map<json, int>>& ids) {
  const std::string key = kAliasIdKeys.count(field) ? kAliasIdKeys.at(field) : field;
  if (kIdKeys.count(key) && !value.is_structured() && !is_unset(value, key)) {
    auto& seen = ids[key];
    auto [it, inserted] = seen.emplace(value, static_cast<int>(seen.size()) + 1);
    value = "<" + key + "#" + std::to_string(it->second) + ">";
    return;
  }
  if (kMachineKeys.count(key) && !value.is_structured()) {
    if (!(value.is_number_integer() && value.get<int64_t>() == -1)) value = "<" + key + ">";
    return;
  }
  if (!kOrderDefined.count(api) && value.is_array() && !value.empty() && value[0].is_object() &&
      value[0].contains("PartitionIndex")) {
    // Elsewhere Kafka lists a topic's partitions in hash order, which no
    // client relies on.
    std::stable_sort(value.begin(), value.end(), [](const json& a, const json& b) {
      return a.value("PartitionIndex", 0) < b.value("PartitionIndex", 0);
    });
  }
  if (key != "Synonyms" && key != "Configs" && !kOrderDefined.count(api) && value.is_array() &&
      !value.empty() && value[0].is_object() && value[0].contains("Name")) {
    // Topics come in hash order too: compare by name, then error. (Synonyms
    // are in precedence order; configs in the order of the broker's config
    // map, which kafkalite reproduces: both compared as they are.)
    auto name_of = [](const json& e) {
      return e["Name"].is_string() ? e["Name"].get<std::string>() : std::string();
    };
    std::stable_sort(value.begin(), value.end(), [&](const json& a, const json& b) {
      return std::make_pair(name_of(a), a.value("ErrorCode", 0)) <
             std::make_pair(name_of(b), b.value("ErrorCode", 0));
    });
  }
  if (api == "DescribeTransactions" && key == "Partitions" && value.is_array()) {
    std::sort(value.begin(), value.end());  // from a hash set too
  }
  if (!kOrderDefined.count(api) && value.is_array() && !value.empty() && value[0].is_object() &&
      value[0].contains("Topic") && value[0]["Topic"].is_string()) {
    // DescribeTransactions lists a transaction's topics from a hash set.
    std::stable_sort(value.begin(), value.end(), [](const json& a, const json& b) {
      return a["Topic"].get<std::string>() < b["Topic"].get<std::string>();
    });
  }
  if (value.is_object()) {
    // A LogAppendTime batch carries the broker's clock (and a CRC over it).
    // So does a batch with a producer id, which differs between brokers.
    if (value.value("timestamp_type", "") == "LogAppendTime" ||
        (value.contains("producer_id") && value["producer_id"].is_number_integer() &&
         value["producer_id"].get<int64_t>() >= 0)) {
      if (value.contains("crc")) value["crc"] = "<crc>";
    }
    // So does a transaction marker (a control batch), and a producer's last
    // timestamp once a marker was its last write.
    if (value.value("timestamp_type", "") == "LogAppendTime" || value.value("control", false)) {
      for (const char* k : {"base_timestamp", "max_timestamp", "crc"}) {
        if (value.contains(k)) value[k] = std::string("<") + k + ">";
      }
    }
    // A batch the log cleaner stamped with a delete horizon carries the
    // broker's clock as its base timestamp (and records timed against it).
    if (value.value("delete_horizon", false)) {
      for (const char* k : {"base_timestamp", "crc"}) value[k] = std::string("<") + k + ">";
      if (value.contains("records")) {
        for (auto& r : value["records"]) r["timestamp_delta"] = "<timestamp_delta>";
      }
    }
    if (value.contains("CoordinatorEpoch") && value["CoordinatorEpoch"].is_number_integer() &&
        value["CoordinatorEpoch"].get<int64_t>() >= 0 && value.contains("LastTimestamp")) {
      value["LastTimestamp"] = "<LastTimestamp>";
    }
    // An entry answered with an error carries the schema's default producer
    // id, 0, which is no id at all.
    if (value.value("ErrorCode", 0) != 0 && value.contains("ProducerId") && value["ProducerId"] == 0) {
      value["ProducerId"] = "<none>";
    }
    for (auto& [k, child] : value.items()) mask(child, k, api, ids);
  } else if (value.is_array()) {
    for (json& element : value) mask(element, key, api, ids);
  }
}

// Group members come in hash order too, and DescribeGroups' and
// DeleteGroups' groups in coordinator-shard order (checked against Kafka):
// once member ids are numbered, sort by those numbers, and by group id.
// OffsetFetch answers groups in the request's order: kept as it is.
void sort_members(json& value, const std::string& api) {
  if (value.is_array()) {
    for (const char* key : {"MemberId", "GroupId"}) {
      if (std::string(key) == "GroupId" && api == "OffsetFetch") continue;
      if (!value.empty() && value[0].is_object() && value[0].contains(key)) {
        std::stable_sort(value.begin(), value.end(), [key](const json& a, const json& b) {
          return a[key].dump() < b[key].dump();
        });
        break;
      }
    }
    for (json& element : value) sort_members(element, api);
  } else if (value.is_object()) {
    for (auto& [k, child] : value.items()) sort_members(child, api);
  }
}

}  // namespace

json normalize(const json& transcript) {
  json out = transcript;
  std::map<std::string, std::map<json, int>> ids;
  for (json& step : out) {
    const std::string api = step.value("api", "");
    mask(step, "", api, ids);
    sort_members(step, api);
  }
  return out;
}

}  // namespace kafkalite::crosscheck
