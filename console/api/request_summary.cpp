#include "console/api/request_summary.h"

#include "common/protocol/generated/error_code.h"

namespace kafkalite::console::api {

namespace {

using Names = std::map<std::string, std::string>;

std::string error_of(const json& value) {
  if (!value.is_number_integer()) return "";
  const int code = value.get<int>();
  return code == 0 ? "" : std::string(protocol::error_name(static_cast<protocol::ErrorCode>(code)));
}

// The first non-zero "ErrorCode" anywhere in the response.
std::string first_error(const json& j) {
  if (j.is_object()) {
    if (auto it = j.find("ErrorCode"); it != j.end()) {
      if (std::string e = error_of(*it); !e.empty()) return e;
    }
    for (const auto& [k, v] : j.items()) {
      if (v.is_structured()) {
        if (std::string e = first_error(v); !e.empty()) return e;
      }
    }
  } else if (j.is_array()) {
    for (const auto& v : j) {
      if (std::string e = first_error(v); !e.empty()) return e;
    }
  }
  return "";
}

std::string topic_name(const json& t, const char* name_field, const Names& names) {
  std::string name = t.value(name_field, "");
  if (!name.empty()) return name;
  const std::string id = t.value("TopicId", "");
  auto it = names.find(id);
  return it != names.end() ? it->second : "topic " + id;
}

int64_t record_count(const json& records) {
  int64_t n = 0;
  if (records.is_array()) {
    for (const auto& b : records) n += b.value("record_count", 0);
  }
  return n;
}

std::string join(const std::vector<std::string>& parts, const char* sep = "; ") {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string offset_word(int64_t ts) {
  if (ts == -1) return "latest";
  if (ts == -2) return "earliest";
  if (ts == -3) return "max timestamp";
  return "time " + std::to_string(ts);
}

Summary produce(const json& rq, const json& rs, const Names& names) {
  Summary s;
  std::vector<std::string> parts;
  for (const auto& t : rq.value("TopicData", json::array())) {
    for (const auto& p : t.value("PartitionData", json::array())) {
      const json records = p.value("Records", json());
      parts.push_back(topic_name(t, "Name", names) + "[" + std::to_string(p.value("Index", 0)) + "]: " +
                      std::to_string(records.is_array() ? records.size() : 0) + " batch(es), " +
                      std::to_string(record_count(records)) + " record(s)");
    }
  }
  s.request = "acks=" + std::to_string(rq.value("Acks", 0)) + "; " + join(parts);
  if (rs.is_null()) {
    s.response = "no response (acks=0)";
    return s;
  }
  parts.clear();
  for (const auto& t : rs.value("Responses", json::array())) {
    for (const auto& p : t.value("PartitionResponses", json::array())) {
      const std::string e = error_of(p.value("ErrorCode", json(0)));
      parts.push_back(topic_name(t, "Name", names) + "[" + std::to_string(p.value("Index", 0)) + "] " +
                      (e.empty() ? "stored at offset " + std::to_string(p.value("BaseOffset", int64_t{-1})) : e));
    }
  }
  s.response = join(parts);
  return s;
}

Summary fetch(const json& rq, const json& rs, const Names& names) {
  Summary s;
  std::vector<std::string> parts;
  for (const auto& t : rq.value("Topics", json::array())) {
    for (const auto& p : t.value("Partitions", json::array())) {
      parts.push_back(topic_name(t, "Topic", names) + "[" + std::to_string(p.value("Partition", 0)) + "] from offset " +
                      std::to_string(p.value("FetchOffset", int64_t{0})));
    }
  }
  s.request = (parts.empty() ? std::string("no partitions (session)") : join(parts)) + "; waits up to " +
              std::to_string(rq.value("MaxWaitMs", 0)) + " ms";
  parts.clear();
  for (const auto& t : rs.value("Responses", json::array())) {
    for (const auto& p : t.value("Partitions", json::array())) {
      const std::string e = error_of(p.value("ErrorCode", json(0)));
      const json records = p.value("Records", json());
      parts.push_back(topic_name(t, "Topic", names) + "[" + std::to_string(p.value("PartitionIndex", 0)) + "]: " +
                      (e.empty() ? std::to_string(record_count(records)) + " record(s), end offset " +
                                       std::to_string(p.value("HighWatermark", int64_t{-1}))
                                 : e));
    }
  }
  s.response = parts.empty() ? "nothing new" : join(parts);
  return s;
}

Summary group_call(const std::string& api, const json& rq, const json& rs) {
  Summary s;
  const std::string group = rq.value("GroupId", "");
  const std::string member = rq.value("MemberId", "");
  if (api == "JoinGroup") {
    std::vector<std::string> protocols;
    for (const auto& p : rq.value("Protocols", json::array())) protocols.push_back(p.value("Name", ""));
    s.request = "join " + group + " as " + (member.empty() ? std::string("a new member") : member) +
                "; assignors " + join(protocols, ", ");
    s.response = "generation " + std::to_string(rs.value("GenerationId", -1)) + ", member " +
                 rs.value("MemberId", "") + ", leader " + rs.value("Leader", "") +
                 (rs.value("MemberId", "") == rs.value("Leader", "x") ? " (this member leads)" : "");
  } else if (api == "SyncGroup") {
    const size_t n = rq.value("Assignments", json::array()).size();
    s.request = "sync " + group + " generation " + std::to_string(rq.value("GenerationId", -1)) +
                (n > 0 ? "; the leader's assignment for " + std::to_string(n) + " member(s)" : "");
    s.response = "assignment received";
  } else if (api == "Heartbeat") {
    s.request = group + " generation " + std::to_string(rq.value("GenerationId", -1)) + ", member " + member;
    s.response = "ok";
  } else if (api == "LeaveGroup") {
    s.request = "leave " + group;
    s.response = "left";
  } else if (api == "OffsetCommit") {
    std::vector<std::string> parts;
    for (const auto& t : rq.value("Topics", json::array())) {
      for (const auto& p : t.value("Partitions", json::array())) {
        parts.push_back(t.value("Name", "") + "[" + std::to_string(p.value("PartitionIndex", 0)) + "] = " +
                        std::to_string(p.value("CommittedOffset", int64_t{-1})));
      }
    }
    s.request = "commit for " + group + ": " + join(parts);
    s.response = "committed";
  }
  return s;
}

Summary offset_fetch(const json& rq, const json& rs) {
  Summary s;
  std::vector<std::string> groups;
  for (const auto& g : rq.value("Groups", json::array())) groups.push_back(g.value("GroupId", ""));
  if (groups.empty() && rq.contains("GroupId")) groups.push_back(rq.value("GroupId", ""));
  s.request = "committed offsets of " + join(groups, ", ");
  std::vector<std::string> parts;
  auto add = [&](const json& topics) {
    for (const auto& t : topics) {
      for (const auto& p : t.value("Partitions", json::array())) {
        const int64_t o = p.value("CommittedOffset", int64_t{-1});
        parts.push_back(t.value("Name", "") + "[" + std::to_string(p.value("PartitionIndex", 0)) + "] = " +
                        (o < 0 ? std::string("none") : std::to_string(o)));
      }
    }
  };
  add(rs.value("Topics", json::array()));
  for (const auto& g : rs.value("Groups", json::array())) add(g.value("Topics", json::array()));
  s.response = parts.empty() ? "none committed" : join(parts);
  return s;
}

Summary list_offsets(const json& rq, const json& rs, const Names& names) {
  Summary s;
  std::vector<std::string> parts;
  for (const auto& t : rq.value("Topics", json::array())) {
    for (const auto& p : t.value("Partitions", json::array())) {
      parts.push_back(topic_name(t, "Name", names) + "[" + std::to_string(p.value("PartitionIndex", 0)) + "] " +
                      offset_word(p.value("Timestamp", int64_t{-1})));
    }
  }
  s.request = join(parts);
  parts.clear();
  for (const auto& t : rs.value("Topics", json::array())) {
    for (const auto& p : t.value("Partitions", json::array())) {
      parts.push_back(topic_name(t, "Name", names) + "[" + std::to_string(p.value("PartitionIndex", 0)) + "] = " +
                      std::to_string(p.value("Offset", int64_t{-1})));
    }
  }
  s.response = join(parts);
  return s;
}

Summary metadata(const json& rq, const json& rs) {
  Summary s;
  const json topics = rq.value("Topics", json());
  if (topics.is_null()) {
    s.request = "all topics";
  } else {
    std::vector<std::string> names;
    for (const auto& t : topics) names.push_back(t.value("Name", t.value("TopicId", "")));
    s.request = names.empty() ? "no topics (brokers only)" : "topics " + join(names, ", ");
  }
  std::vector<std::string> names;
  for (const auto& t : rs.value("Topics", json::array())) {
    const std::string e = error_of(t.value("ErrorCode", json(0)));
    names.push_back(t.value("Name", "") + (e.empty() ? "" : " (" + e + ")"));
  }
  s.response = std::to_string(rs.value("Brokers", json::array()).size()) + " broker(s); " +
               std::to_string(names.size()) + " topic(s)" + (names.empty() ? "" : ": " + join(names, ", "));
  return s;
}

}  // namespace

Summary summarize(const json& event, const Names& names) {
  const std::string api = event.value("api", "");
  const json rq = event.value("request", json::object());
  const json rs = event.value("response", json());
  Summary s;
  if (rq.contains("omitted_bytes")) {
    s.request = std::to_string(rq.value("omitted_bytes", 0)) + " bytes (too large to show)";
  }
  if (api == "Produce" && !rq.contains("omitted_bytes")) {
    s = produce(rq, rs, names);
  } else if (api == "Fetch" && !rs.contains("omitted_bytes")) {
    s = fetch(rq, rs, names);
  } else if (api == "JoinGroup" || api == "SyncGroup" || api == "Heartbeat" || api == "LeaveGroup" ||
             api == "OffsetCommit") {
    s = group_call(api, rq, rs);
  } else if (api == "OffsetFetch") {
    s = offset_fetch(rq, rs);
  } else if (api == "ListOffsets") {
    s = list_offsets(rq, rs, names);
  } else if (api == "Metadata") {
    s = metadata(rq, rs);
  } else if (api == "FindCoordinator") {
    std::vector<std::string> keys;
    for (const auto& k : rq.value("CoordinatorKeys", json::array())) keys.push_back(k.get<std::string>());
    if (keys.empty()) keys.push_back(rq.value("Key", ""));
    s.request = "coordinator of " + join(keys, ", ");
    std::vector<std::string> nodes;
    for (const auto& c : rs.value("Coordinators", json::array())) nodes.push_back("node " + std::to_string(c.value("NodeId", -1)));
    if (nodes.empty()) nodes.push_back("node " + std::to_string(rs.value("NodeId", -1)));
    s.response = join(nodes, ", ");
  } else if (api == "ApiVersions") {
    s.request = "client " + rq.value("ClientSoftwareName", std::string("?")) + " " + rq.value("ClientSoftwareVersion", "");
    s.response = std::to_string(rs.value("ApiKeys", json::array()).size()) + " APIs supported";
  } else if (api == "InitProducerId") {
    s.request = "a producer id";
    s.response = "producer id " + std::to_string(rs.value("ProducerId", int64_t{-1})) + ", epoch " +
                 std::to_string(rs.value("ProducerEpoch", -1));
  }
  s.error = first_error(rs);
  if (!s.error.empty()) s.response = s.response.empty() ? s.error : s.response + " — " + s.error;
  if (s.response.empty()) s.response = rs.is_null() ? "no response" : "ok";
  return s;
}

}  // namespace kafkalite::console::api
