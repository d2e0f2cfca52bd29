// kafkalite group list|describe|delete|seek: consumer groups in the style of
// rpk, with each partition's committed offset, log end and lag.
#include <iostream>

#include "cli/commands/common.h"
#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli {

void add_group_command(CLI::App& app, SetExit set_exit) {
  auto* group = app.add_subcommand("group", "list, describe, delete consumer groups and move their offsets");
  group->require_subcommand(1);

  auto* list = group->add_subcommand("list", "list groups");
  auto lf = add_common_flags(list);
  list->callback([=] {
    auto admin = connect_admin(lf->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto groups = admin->list_groups();
    if (!groups) {
      std::cerr << "Error: " << groups.error().describe() << "\n";
      return set_exit(1);
    }
    Table t({"GROUP", "STATE", "PROTOCOL-TYPE"});
    for (const auto& g : *groups) t.row({g.group_id, g.state, g.protocol_type});
    emit(*lf, t);
    set_exit(0);
  });

  auto* describe = group->add_subcommand("describe", "a group's state, members and offsets with lag");
  auto df = add_common_flags(describe);
  auto dname = std::make_shared<std::string>();
  describe->add_option("group", *dname, "the group")->required();
  describe->callback([=] {
    auto admin = connect_admin(df->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto described = admin->describe_groups({*dname});
    if (!described || described->empty()) {
      std::cerr << "Error: " << (described ? "no answer" : described.error().describe()) << "\n";
      return set_exit(1);
    }
    const auto& g = described->front();
    if (g.state == "Dead") {
      std::cerr << "Error: group " << *dname << " does not exist\n";
      return set_exit(1);
    }
    auto committed = admin->list_group_offsets(*dname);
    std::map<client::TopicPartition, std::string> owner;
    for (const auto& m : g.members) {
      for (const auto& tp : m.assignment) owner[tp] = m.member_id;
    }
    std::map<client::TopicPartition, client::OffsetSpec> specs;
    if (committed) {
      for (const auto& [tp, c] : *committed) specs[tp] = {client::OffsetSpec::kLatest};
    }
    for (const auto& [tp, m] : owner) specs[tp] = {client::OffsetSpec::kLatest};
    auto ends = admin->list_offsets(specs);
    Table summary({"GROUP", "STATE", "PROTOCOL", "MEMBERS"});
    summary.row({g.group_id, g.state, g.protocol.empty() ? "-" : g.protocol, std::to_string(g.members.size())});
    Table offsets({"TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "MEMBER-ID"});
    for (const auto& [tp, spec] : specs) {
      const bool has = committed && committed->count(tp) && committed->at(tp).offset >= 0;
      const bool has_end = ends && ends->count(tp);
      const int64_t current = has ? committed->at(tp).offset : -1, end = has_end ? ends->at(tp).offset : -1;
      offsets.row({tp.topic, std::to_string(tp.partition), has ? std::to_string(current) : "-",
                   has_end ? std::to_string(end) : "-", has && has_end ? std::to_string(end - current) : "-",
                   owner.count(tp) ? owner[tp] : "-"});
    }
    if (df->format == "json") {
      nlohmann::ordered_json out;
      out["summary"] = summary.json().front();
      out["offsets"] = offsets.json();
      std::cout << out.dump(2) << "\n";
    } else {
      summary.print(std::cout);
      std::cout << "\n";
      offsets.print(std::cout);
    }
    set_exit(0);
  });

  auto* remove = group->add_subcommand("delete", "delete groups (they must have no members)");
  auto rf = add_common_flags(remove);
  auto rnames = std::make_shared<std::vector<std::string>>();
  remove->add_option("groups", *rnames, "the groups")->required();
  remove->callback([=] {
    auto admin = connect_admin(rf->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto result = admin->delete_groups(*rnames);
    if (!result) {
      std::cerr << "Error: " << result.error().describe() << "\n";
      return set_exit(1);
    }
    Table t({"GROUP", "STATUS"});
    int rc = 0;
    for (const auto& n : *rnames) {
      const auto& e = result->at(n);
      t.row({n, e ? std::string(e.name()) + ": " + message_of(e) : "OK"});
      if (e) rc = 1;
    }
    emit(*rf, t);
    set_exit(rc);
  });

  auto* seek = group->add_subcommand("seek", "move a group's committed offsets (the group must have no members)");
  auto sf = add_common_flags(seek);
  auto sname = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto topics = std::make_shared<std::vector<std::string>>();
  seek->add_option("group", *sname, "the group")->required();
  seek->add_option("--to", *to, "start, end, an offset, or @TIMESTAMP_MS")->required();
  seek->add_option("--topics", *topics, "only these topics (default: those the group has offsets for)");
  seek->callback([=] {
    auto admin = connect_admin(sf->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    std::vector<client::TopicPartition> tps;
    if (topics->empty()) {
      auto committed = admin->list_group_offsets(*sname);
      if (committed) {
        for (const auto& [tp, c] : *committed) tps.push_back(tp);
      }
    } else {
      auto described = admin->describe_topics(*topics);
      if (described) {
        for (const auto& t : *described) {
          for (const auto& p : t.partitions) tps.push_back({t.name, p.partition});
        }
      }
    }
    if (tps.empty()) {
      std::cerr << "Error: no partitions to seek (name --topics)\n";
      return set_exit(1);
    }
    std::map<client::TopicPartition, int64_t> target;
    if (*to == "start" || *to == "end" || (*to)[0] == '@') {
      const int64_t spec = *to == "start" ? client::OffsetSpec::kEarliest
                           : *to == "end" ? client::OffsetSpec::kLatest
                                          : std::stoll(to->substr(1));
      std::map<client::TopicPartition, client::OffsetSpec> specs;
      for (const auto& tp : tps) specs[tp] = {spec};
      auto found = admin->list_offsets(specs);
      if (!found) {
        std::cerr << "Error: " << found.error().describe() << "\n";
        return set_exit(1);
      }
      for (const auto& [tp, o] : *found) target[tp] = o.offset;
    } else {
      for (const auto& tp : tps) target[tp] = std::stoll(*to);
    }
    auto result = admin->alter_group_offsets(*sname, target);
    if (!result) {
      std::cerr << "Error: " << result.error().describe() << "\n";
      return set_exit(1);
    }
    Table t({"TOPIC", "PARTITION", "NEW-OFFSET", "STATUS"});
    int rc = 0;
    for (const auto& [tp, offset] : target) {
      const client::Error e = result->count(tp) ? result->at(tp) : client::Error();
      const bool active = e.code == client::ErrorCode::UnknownMemberId;
      t.row({tp.topic, std::to_string(tp.partition), std::to_string(offset),
             e ? (active ? "the group has members: stop its consumers first" : std::string(e.name())) : "OK"});
      if (e) rc = 1;
    }
    emit(*sf, t);
    set_exit(rc);
  });
}

}  // namespace kafkalite::cli
