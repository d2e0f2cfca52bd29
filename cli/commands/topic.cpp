// kafkalite topic create|list|describe|delete|alter-config: topics in the
// style of rpk, on the client library's admin client.
#include <iostream>

#include "cli/commands/common.h"
#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli {

namespace {

std::string status(const client::Error& e) { return e ? std::string(e.name()) + ": " + message_of(e) : "OK"; }

}  // namespace

void add_topic_command(CLI::App& app, SetExit set_exit) {
  auto* topic = app.add_subcommand("topic", "create, list, describe, delete topics and change their configs");
  topic->require_subcommand(1);

  auto* create = topic->add_subcommand("create", "create topics");
  auto cf = add_common_flags(create);
  auto names = std::make_shared<std::vector<std::string>>();
  auto partitions = std::make_shared<int32_t>(-1);
  auto replicas = std::make_shared<int16_t>(-1);
  auto configs = std::make_shared<std::vector<std::string>>();
  create->add_option("topics", *names, "topic names")->required();
  create->add_option("--partitions,-p", *partitions, "partitions (default: the broker's num.partitions)");
  create->add_option("--replicas,-r", *replicas, "replication factor (default: the broker's)");
  create->add_option("--config,-c", *configs, "a topic config, key=value (repeatable)");
  create->callback([=] {
    auto admin = connect_admin(cf->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    std::string error;
    auto cfg = key_values(*configs, &error);
    if (!error.empty()) {
      std::cerr << error << "\n";
      return set_exit(1);
    }
    std::vector<client::NewTopic> topics;
    for (const auto& n : *names) topics.push_back({n, *partitions, *replicas, cfg});
    auto result = admin->create_topics(topics);
    if (!result) {
      std::cerr << "Error: " << result.error().describe() << "\n";
      return set_exit(1);
    }
    Table t({"TOPIC", "STATUS"});
    int rc = 0;
    for (const auto& n : *names) {
      t.row({n, status(result->at(n))});
      if (result->at(n)) rc = 1;
    }
    emit(*cf, t);
    set_exit(rc);
  });

  auto* list = topic->add_subcommand("list", "list topics");
  auto lf = add_common_flags(list);
  auto internal = std::make_shared<bool>(false);
  list->add_flag("--internal,-i", *internal, "include internal topics");
  list->callback([=] {
    auto admin = connect_admin(lf->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto topics = admin->list_topics(*internal);
    if (!topics) {
      std::cerr << "Error: " << topics.error().describe() << "\n";
      return set_exit(1);
    }
    std::sort(topics->begin(), topics->end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    Table t({"NAME", "PARTITIONS", "REPLICAS"});
    for (const auto& tp : *topics) {
      t.row({tp.name, std::to_string(tp.partitions.size()),
             std::to_string(tp.partitions.empty() ? 0 : tp.partitions.front().replicas.size())});
    }
    emit(*lf, t);
    set_exit(0);
  });

  auto* describe = topic->add_subcommand("describe", "a topic's summary, configs and partitions (with offsets)");
  auto df = add_common_flags(describe);
  auto dname = std::make_shared<std::string>();
  describe->add_option("topic", *dname, "the topic")->required();
  describe->callback([=] {
    auto admin = connect_admin(df->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto topics = admin->describe_topics({*dname});
    if (!topics || topics->empty() || topics->front().error) {
      const client::Error e = !topics ? topics.error() : topics->empty() ? client::Error(client::ErrorCode::UnknownTopicOrPartition) : topics->front().error;
      std::cerr << "Error: topic " << *dname << ": " << status(e) << "\n";
      return set_exit(1);
    }
    const auto& info = topics->front();
    std::map<client::TopicPartition, client::OffsetSpec> starts, ends;
    for (const auto& p : info.partitions) {
      starts[{info.name, p.partition}] = {client::OffsetSpec::kEarliest};
      ends[{info.name, p.partition}] = {client::OffsetSpec::kLatest};
    }
    auto first = admin->list_offsets(starts);
    auto last = admin->list_offsets(ends);
    auto configs_of = admin->describe_configs(client::ConfigResourceType::kTopic, info.name);
    Table summary({"NAME", "ID", "PARTITIONS", "REPLICAS", "INTERNAL"});
    summary.row({info.name, info.id.to_base64(), std::to_string(info.partitions.size()),
                 std::to_string(info.partitions.empty() ? 0 : info.partitions.front().replicas.size()),
                 info.internal ? "true" : "false"});
    Table config_table({"KEY", "VALUE", "SOURCE"});
    if (configs_of) {
      for (const auto& c : *configs_of) {
        config_table.row({c.name, c.sensitive ? "(sensitive)" : c.value.value_or("null"), std::string(client::config_source_name(c.source))});
      }
    }
    Table parts({"PARTITION", "LEADER", "EPOCH", "REPLICAS", "LOG-START-OFFSET", "HIGH-WATERMARK"});
    for (const auto& p : info.partitions) {
      const client::TopicPartition tp{info.name, p.partition};
      std::string replica_list;
      for (auto r : p.replicas) replica_list += (replica_list.empty() ? "" : ",") + std::to_string(r);
      parts.row({std::to_string(p.partition), std::to_string(p.leader), std::to_string(p.leader_epoch), "[" + replica_list + "]",
                 first && first->count(tp) ? std::to_string(first->at(tp).offset) : "-",
                 last && last->count(tp) ? std::to_string(last->at(tp).offset) : "-"});
    }
    if (df->format == "json") {
      nlohmann::ordered_json out;
      out["summary"] = summary.json().front();
      out["configs"] = config_table.json();
      out["partitions"] = parts.json();
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "SUMMARY\n=======\n";
      summary.print(std::cout);
      std::cout << "\nCONFIGS\n=======\n";
      config_table.print(std::cout);
      std::cout << "\nPARTITIONS\n==========\n";
      parts.print(std::cout);
    }
    set_exit(0);
  });

  auto* remove = topic->add_subcommand("delete", "delete topics");
  auto rf = add_common_flags(remove);
  auto rnames = std::make_shared<std::vector<std::string>>();
  remove->add_option("topics", *rnames, "topic names")->required();
  remove->callback([=] {
    auto admin = connect_admin(rf->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto result = admin->delete_topics(*rnames);
    if (!result) {
      std::cerr << "Error: " << result.error().describe() << "\n";
      return set_exit(1);
    }
    Table t({"TOPIC", "STATUS"});
    int rc = 0;
    for (const auto& n : *rnames) {
      t.row({n, status(result->at(n))});
      if (result->at(n)) rc = 1;
    }
    emit(*rf, t);
    set_exit(rc);
  });

  auto* alter = topic->add_subcommand("alter-config", "set or delete a topic's configs");
  auto af = add_common_flags(alter);
  auto aname = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  auto deletes = std::make_shared<std::vector<std::string>>();
  alter->add_option("topic", *aname, "the topic")->required();
  alter->add_option("--set,-s", *sets, "key=value to set (repeatable)");
  alter->add_option("--delete,-d", *deletes, "a key to delete (back to its default; repeatable)");
  alter->callback([=] {
    auto admin = connect_admin(af->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    std::string error;
    std::vector<client::ConfigAlteration> changes;
    for (const auto& [k, v] : key_values(*sets, &error)) changes.push_back({k, client::AlterOp::kSet, v});
    for (const auto& k : *deletes) changes.push_back({k, client::AlterOp::kDelete, std::nullopt});
    if (!error.empty() || changes.empty()) {
      std::cerr << (error.empty() ? "nothing to change: give --set or --delete" : error) << "\n";
      return set_exit(1);
    }
    const client::Error e = admin->incremental_alter_configs(client::ConfigResourceType::kTopic, *aname, changes);
    Table t({"TOPIC", "STATUS"});
    t.row({*aname, status(e)});
    emit(*af, t);
    set_exit(e ? 1 : 0);
  });
}

}  // namespace kafkalite::cli
