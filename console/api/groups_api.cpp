// Consumers (consumer groups).
//   GET    /api/groups                          every group: state, members, topics, lag (by id)
//   GET    /api/groups/{group}                  members with assignments; per partition the
//                                               committed offset, end offset and lag; for a
//                                               consumer group (KIP-848) the group epoch, the
//                                               assignment epoch and each member's epoch,
//                                               type and target assignment
//   POST   /api/groups/{group}/offsets/reset    {to: earliest|latest|offset|timestamp, offset,
//                                               timestamp, topic, partition}: refused while the
//                                               group has members, with kafka-consumer-groups'
//                                               words
//   DELETE /api/groups/{group}
#include <algorithm>
#include <set>

#include "console/api/api.h"
#include "console/api/helpers.h"

namespace kafkalite::console::api {

namespace {

struct GroupView {
  client::GroupDescription description;
  std::map<client::TopicPartition, client::CommittedOffset> committed;
  std::map<client::TopicPartition, PartitionOffsets> offsets;
};

client::Result<GroupView> load_group(client::Admin& admin, const std::string& group) {
  GroupView view;
  auto described = admin.describe_groups({group});
  if (!described) return described.error();
  if (described->empty()) return client::Error(client::ErrorCode::GroupIdNotFound);
  view.description = described->front();
  if (view.description.error) return view.description.error;
  auto committed = admin.list_group_offsets(group);
  if (!committed) return committed.error();
  view.committed = *committed;
  std::set<client::TopicPartition> partitions;
  for (const auto& [tp, c] : view.committed) partitions.insert(tp);
  for (const auto& m : view.description.members) partitions.insert(m.assignment.begin(), m.assignment.end());
  auto offsets = offsets_of(admin, {partitions.begin(), partitions.end()});
  if (!offsets) return offsets.error();
  view.offsets = *offsets;
  return view;
}

bool group_missing(const GroupView& view) {
  return view.description.state == "Dead" && view.committed.empty();
}

Response not_found(const std::string& group) {
  return error_response(404, "GROUP_ID_NOT_FOUND", "Consumer group '" + group + "' does not exist.");
}

json partitions_json(const GroupView& view, int64_t& total_lag) {
  std::map<client::TopicPartition, const client::MemberDescription*> owner;
  for (const auto& m : view.description.members) {
    for (const auto& tp : m.assignment) owner[tp] = &m;
  }
  json out = json::array();
  total_lag = 0;
  for (const auto& [tp, o] : view.offsets) {
    auto c = view.committed.find(tp);
    const bool has_commit = c != view.committed.end() && c->second.offset >= 0;
    json row = {{"topic", tp.topic},
                {"partition", tp.partition},
                {"committed_offset", has_commit ? json(c->second.offset) : json(nullptr)},
                {"log_start_offset", o.log_start},
                {"end_offset", o.end}};
    if (has_commit && o.end >= 0) {
      const int64_t lag = std::max<int64_t>(0, o.end - c->second.offset);
      row["lag"] = lag;
      total_lag += lag;
    } else {
      row["lag"] = nullptr;
    }
    auto m = owner.find(tp);
    row["member_id"] = m == owner.end() ? json(nullptr) : json(m->second->member_id);
    row["client_id"] = m == owner.end() ? json(nullptr) : json(m->second->client_id);
    row["host"] = m == owner.end() ? json(nullptr) : json(m->second->host);
    out.push_back(row);
  }
  return out;
}

json partition_list(const std::vector<client::TopicPartition>& partitions) {
  json out = json::array();
  for (const auto& tp : partitions) out.push_back({{"topic", tp.topic}, {"partition", tp.partition}});
  return out;
}

template <typename T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json members_json(const client::GroupDescription& d) {
  const bool consumer = d.type == "consumer";
  json out = json::array();
  for (const auto& m : d.members) {
    out.push_back({{"member_id", m.member_id},
                   {"group_instance_id", or_null(m.group_instance_id)},
                   {"client_id", m.client_id},
                   {"host", m.host},
                   {"assignment", partition_list(m.assignment)},
                   // A consumer group's member: where the coordinator is taking it.
                   {"member_epoch", or_null(m.member_epoch)},
                   {"member_type", !m.upgraded ? json(nullptr) : json(*m.upgraded ? "consumer" : "classic")},
                   {"target_assignment", consumer ? partition_list(m.target_assignment) : json(nullptr)}});
  }
  return out;
}

Response list(Kafka& kafka) {
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto groups = (*admin)->list_groups();
  if (!groups) return kafka_error(groups.error());
  std::sort(groups->begin(), groups->end(), [](const auto& a, const auto& b) { return a.group_id < b.group_id; });
  json out = json::array();
  for (const auto& g : *groups) {
    auto view = load_group(**admin, g.group_id);
    json row = {{"group_id", g.group_id}, {"protocol_type", g.protocol_type}, {"state", g.state}, {"type", g.type}};
    if (view) {
      int64_t lag = 0;
      partitions_json(*view, lag);
      std::set<std::string> topics;
      for (const auto& [tp, o] : view->offsets) topics.insert(tp.topic);
      row["state"] = view->description.state;
      row["members"] = view->description.members.size();
      row["topics"] = topics.size();
      row["lag"] = lag;
    } else {
      row["error"] = std::string(view.error().name());
    }
    out.push_back(row);
  }
  return json_response(json{{"groups", out}});
}

Response describe(Kafka& kafka, const Request& request) {
  const std::string& group = request.param("group");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto view = load_group(**admin, group);
  if (!view) return kafka_error(view.error());
  if (group_missing(*view)) return not_found(group);
  int64_t lag = 0;
  json partitions = partitions_json(*view, lag);
  return json_response(json{{"group_id", group},
                            {"type", view->description.type},
                            {"group_epoch", or_null(view->description.group_epoch)},
                            {"assignment_epoch", or_null(view->description.assignment_epoch)},
                            {"state", view->description.state},
                            {"protocol_type", view->description.protocol_type},
                            {"protocol", view->description.protocol},
                            {"members", members_json(view->description)},
                            {"partitions", partitions},
                            {"lag", lag}});
}

Response reset(Kafka& kafka, const Request& request) {
  const std::string& group = request.param("group");
  Response bad;
  auto body = parse_body(request, bad);
  if (!body) return bad;
  const std::string to = body->value("to", "");
  if (to != "earliest" && to != "latest" && to != "offset" && to != "timestamp") {
    return error_response(400, "INVALID_REQUEST", "to must be earliest, latest, offset or timestamp.");
  }
  auto number = [&](const char* name) -> std::optional<int64_t> {
    if (!body->contains(name) || !(*body)[name].is_number_integer()) return std::nullopt;
    return (*body)[name].get<int64_t>();
  };
  if (to == "offset" && !number("offset")) return error_response(400, "INVALID_REQUEST", "to=offset needs offset.");
  if (to == "timestamp" && !number("timestamp")) {
    return error_response(400, "INVALID_REQUEST", "to=timestamp needs timestamp (epoch milliseconds).");
  }
  const std::optional<std::string> topic =
      body->contains("topic") && (*body)["topic"].is_string() ? std::optional((*body)["topic"].get<std::string>()) : std::nullopt;
  const std::optional<int64_t> partition = number("partition");

  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto view = load_group(**admin, group);
  if (!view) return kafka_error(view.error());
  if (group_missing(*view)) return not_found(group);
  const std::string& state = view->description.state;
  if (state != "Empty" && state != "Dead") {
    // What kafka-consumer-groups.sh --reset-offsets says.
    return error_response(409, "NON_EMPTY_GROUP",
                          "Assignments can only be reset if the group '" + group +
                              "' is inactive, but the current state is " + state + ".");
  }
  std::vector<client::TopicPartition> scope;
  for (const auto& [tp, o] : view->offsets) {
    if (topic && tp.topic != *topic) continue;
    if (partition && tp.partition != *partition) continue;
    scope.push_back(tp);
  }
  if (scope.empty()) return error_response(404, "UNKNOWN_TOPIC_OR_PARTITION", "The group has no offsets to reset there.");
  std::map<client::TopicPartition, int64_t> targets;
  if (to == "timestamp") {
    std::map<client::TopicPartition, client::OffsetSpec> specs;
    for (const auto& tp : scope) specs[tp] = {*number("timestamp")};
    auto found = (*admin)->list_offsets(specs);
    if (!found) return kafka_error(found.error());
    // No message at or after the time: the end, as the tool does.
    for (const auto& tp : scope) {
      const auto& l = (*found)[tp];
      targets[tp] = l.error || l.offset < 0 ? view->offsets[tp].end : l.offset;
    }
  } else {
    for (const auto& tp : scope) {
      const PartitionOffsets& o = view->offsets[tp];
      targets[tp] = to == "earliest" ? o.log_start : to == "latest" ? o.end : std::clamp(*number("offset"), o.log_start, o.end);
    }
  }
  auto altered = (*admin)->alter_group_offsets(group, targets);
  if (!altered) return kafka_error(altered.error());
  for (const auto& [tp, e] : *altered) {
    if (e) return kafka_error(e);
  }
  json out = json::array();
  for (const auto& [tp, offset] : targets) out.push_back({{"topic", tp.topic}, {"partition", tp.partition}, {"offset", offset}});
  return json_response(json{{"group_id", group}, {"offsets", out}});
}

Response remove(Kafka& kafka, const Request& request) {
  const std::string& group = request.param("group");
  auto admin = kafka.admin();
  if (!admin) return kafka_error(admin.error());
  auto deleted = (*admin)->delete_groups({group});
  if (!deleted) return kafka_error(deleted.error());
  if (const client::Error& e = (*deleted)[group]) {
    if (e.code == client::ErrorCode::GroupIdNotFound) return not_found(group);
    if (e.code == client::ErrorCode::NonEmptyGroup) {
      return error_response(409, "NON_EMPTY_GROUP", "The group '" + group + "' is not empty: it has active members.");
    }
    return kafka_error(e);
  }
  return json_response(json{{"deleted", group}});
}

}  // namespace

void add_group_routes(Router& router, Kafka& kafka) {
  router.add("GET", "/api/groups", [&kafka](const Request&) { return list(kafka); });
  router.add("GET", "/api/groups/{group}", [&kafka](const Request& r) { return describe(kafka, r); });
  router.add("POST", "/api/groups/{group}/offsets/reset", [&kafka](const Request& r) { return reset(kafka, r); });
  router.add("DELETE", "/api/groups/{group}", [&kafka](const Request& r) { return remove(kafka, r); });
}

}  // namespace kafkalite::console::api
