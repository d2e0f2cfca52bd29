// kafka-configs.sh for topics and brokers: --describe (dynamic configs, or
// --all, with synonyms) and --alter (--add-config, --delete-config), with
// Kafka 4.1.1's ConfigCommand output: results on stdout, every failure on
// stderr with exit code 1. Differs from Kafka: users, clients, ips, groups,
// client-metrics and broker-loggers are refused with a message (kafkalite has
// no quotas, SCRAM users or group configs yet).
#include <algorithm>
#include <iostream>
#include <regex>

#include "cli/kafka_tools/java_order.h"
#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli {

namespace {

struct Entity {
  std::string type;  // "topics" or "brokers"
  std::string name;  // "" for the cluster default (brokers)
};

std::string render(const client::ConfigEntry& c) {
  std::string line = "  " + c.name + "=" + (c.sensitive ? "null" : c.value.value_or("null")) +
                     " sensitive=" + (c.sensitive ? "true" : "false") + " synonyms={";
  for (size_t i = 0; i < c.synonyms.size(); ++i) {
    const auto& s = c.synonyms[i];
    line += (i ? ", " : "") + std::string(client::config_source_name(s.source)) + ":" + s.name + "=" +
            (c.sensitive ? "null" : s.value.value_or("null"));
  }
  return line + "}";
}

// The broker's error as Kafka's tool prints an exception it did not expect.
int unexpected(const std::vector<std::string>& args, const client::Error& e) {
  std::string joined;
  for (const auto& a : args) joined += (joined.empty() ? "" : " ") + a;
  std::cerr << "Error while executing config command with args '" << joined << "'\n"
            << "java.util.concurrent.ExecutionException: " << exception_class(e.code) << ": " << e.message << "\n"
            << "Caused by: " << exception_class(e.code) << ": " << e.message << std::endl;
  return 1;
}

int8_t dynamic_source(const Entity& e) {
  if (e.type == "topics") return 1;  // DYNAMIC_TOPIC_CONFIG
  return e.name.empty() ? 3 : 2;     // DYNAMIC_DEFAULT_BROKER_CONFIG / DYNAMIC_BROKER_CONFIG
}

client::ConfigResourceType resource(const Entity& e) {
  return e.type == "topics" ? client::ConfigResourceType::kTopic : client::ConfigResourceType::kBroker;
}

int describe(client::Admin& admin, const ToolOptions& o, const std::vector<std::string>& args, std::vector<Entity> entities,
             bool named) {
  const bool all = o.has("all");
  for (const auto& e : entities) {
    if (named && !all) {
      if (e.type == "topics") {
        auto topics = admin.list_topics();
        if (!topics) return unexpected(args, topics.error());
        if (std::none_of(topics->begin(), topics->end(), [&](const auto& t) { return t.name == e.name; })) {
          std::cout << "The topic '" << e.name << "' doesn't exist and doesn't have dynamic config." << std::endl;
          return 0;
        }
      } else if (!e.name.empty()) {
        auto cluster = admin.describe_cluster();
        if (!cluster) return unexpected(args, cluster.error());
        if (std::none_of(cluster->brokers.begin(), cluster->brokers.end(),
                         [&](const auto& b) { return std::to_string(b.broker_id.value()) == e.name; })) {
          std::cout << "The broker '" << e.name << "' doesn't exist and doesn't have dynamic config." << std::endl;
          return 0;
        }
      }
    }
    if (e.type == "brokers" && e.name.empty()) {
      std::cout << "Default configs for brokers in the cluster are:\n";
    } else {
      std::cout << (all ? "All" : "Dynamic") << " configs for " << e.type.substr(0, e.type.size() - 1) << " " << e.name
                << " are:\n";
    }
    std::cout.flush();
    auto configs = admin.describe_configs(resource(e), e.name, true);
    if (!configs) return unexpected(args, configs.error());
    std::vector<client::ConfigEntry> shown;
    for (const auto& c : *configs) {
      if (all || c.source == dynamic_source(e)) shown.push_back(c);
    }
    std::sort(shown.begin(), shown.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& c : shown) std::cout << render(c) << "\n";
  }
  std::cout.flush();
  return 0;
}

// "a=1,b=[x,y]" as Kafka's tool splits it: commas outside brackets, then
// "=" (with spaces around it) outside brackets; brackets dropped.
bool parse_add_config(const std::string& text, std::vector<std::pair<std::string, std::string>>& out) {
  std::vector<std::string> pairs;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      pairs.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  pairs.push_back(current);
  static const std::regex key_chars("[a-zA-Z0-9._-]*");
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || p.find('=', eq + 1) != std::string::npos) return false;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
      return s;
    };
    std::string value = trim(p.substr(eq + 1));
    value.erase(std::remove_if(value.begin(), value.end(), [](char c) { return c == '[' || c == ']'; }), value.end());
    out.emplace_back(trim(p.substr(0, eq)), value);
  }
  return true;
}

int alter(client::Admin& admin, const ToolOptions& o, const std::vector<std::string>& args, const Entity& e) {
  std::vector<std::pair<std::string, std::string>> sets;
  for (const auto& a : o.values("add-config")) {
    if (!parse_add_config(a, sets)) {
      std::cerr << "requirement failed: Invalid entity config: all configs to be added must be in the format "
                   "\"key=val\" or  \"key=[val1,val2]\" to group values which contain commas."
                << std::endl;
      return 1;
    }
  }
  static const std::regex key_chars("[a-zA-Z0-9._-]*");
  for (const auto& [k, v] : sets) {
    if (!std::regex_match(k, key_chars)) {
      std::cerr << "Invalid character found for config key: " << k << std::endl;
      return 1;
    }
  }
  std::vector<std::string> deletes;
  for (const auto& d : o.values("delete-config")) {
    size_t start = 0;
    while (start <= d.size()) {
      const auto end = d.find(',', start);
      deletes.push_back(d.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  auto current = admin.describe_configs(resource(e), e.name, false);
  if (!current) return unexpected(args, current.error());
  std::vector<std::string> invalid;
  for (const auto& d : deletes) {
    if (std::none_of(current->begin(), current->end(),
                     [&](const auto& c) { return c.name == d && c.source == dynamic_source(e); })) {
      invalid.push_back(d);
    }
  }
  if (!invalid.empty()) {
    std::string list;
    for (const auto& i : invalid) list += (list.empty() ? "" : ",") + i;
    std::cerr << "Invalid config(s): " << list << std::endl;
    return 1;
  }
  std::vector<client::ConfigAlteration> changes;
  for (const auto& d : deletes) changes.push_back({d, client::AlterOp::kDelete, std::nullopt});
  for (const auto& [k, v] : sets) changes.push_back({k, client::AlterOp::kSet, v});
  if (client::Error err = admin.incremental_alter_configs(resource(e), e.name, changes)) return unexpected(args, err);
  if (e.type == "brokers" && e.name.empty()) {
    std::cout << "Completed updating default config for brokers in the cluster." << std::endl;
  } else {
    std::cout << "Completed updating config for " << e.type.substr(0, e.type.size() - 1) << " " << e.name << "." << std::endl;
  }
  return 0;
}

}  // namespace

int kafka_configs(const std::vector<std::string>& args) {
  ToolOptions o(
      "kafka-configs.sh",
      "This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group",
      {{"add-config", "String", "Configs to add: 'k1=v1,k2=[v1,v2,v2],k3=v3'."},
       {"add-config-file", "String", "A properties file of configs to add."},
       {"all", "", "With --describe: all configs, not only the dynamic ones."},
       {"alter", "", "Alter the configuration for the entity."},
       {"bootstrap-controller", "String: controller to connect to", "The controller(s) to connect to."},
       {"bootstrap-server", "String: server to connect to", "The Kafka server(s) to connect to."},
       {"broker", "String", "The broker's id."},
       {"broker-defaults", "", "The config defaults for all brokers."},
       {"broker-logger", "String", "The broker's id for its logger configs."},
       {"client", "String", "The client's id."},
       {"client-metrics", "String", "The client metrics config resource name."},
       {"command-config", "String: command config property file", "A file of client properties."},
       {"delete-config", "String", "Config keys to remove: 'k1,k2'."},
       {"describe", "", "List configs for the given entity."},
       {"entity-default", "", "Default entity name for clients/users/brokers/ips."},
       {"entity-name", "String", "Name of the entity (topic name, broker id, ...)."},
       {"entity-type", "String", "Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics/groups)."},
       {"force", "", "Suppress console prompts."},
       {"group", "String", "The group's id."},
       {"help", "", "Print usage information."},
       {"ip", "String", "The IP address."},
       {"topic", "String", "The topic's name."},
       {"user", "String", "The user's principal name."},
       {"version", "", "Display Kafka version."}});
  if (!o.parse(args)) {
    std::cerr << o.error() << std::endl;
    return 1;
  }
  if (args.empty() || o.has("help")) {
    return o.fail_with_usage("This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group");
  }
  if (o.has("version")) {
    std::cout << "4.1.1 (kafkalite)" << std::endl;
    return 0;
  }
  if (o.has("describe") + o.has("alter") != 1) {
    return o.fail_with_usage("Command must include exactly one action: --describe, --alter");
  }
  auto fail = [](const std::string& message) {
    std::cerr << message << std::endl;
    return 1;
  };
  if (!o.has("bootstrap-server")) return fail("Either --bootstrap-server or --bootstrap-controller must be specified.");
  // The entity: --entity-type/--entity-name/--entity-default or a shortcut.
  std::vector<std::string> types = o.values("entity-type");
  std::optional<std::string> name = o.value("entity-name");
  bool is_default = o.has("entity-default");
  const bool shortcut = o.has("topic") || o.has("broker") || o.has("broker-defaults");
  if (shortcut && (!types.empty() || name || is_default)) {
    return fail("--entity-{type,name,default} should not be used in conjunction with specific entity flags");
  }
  if (o.has("topic")) types = {"topics"}, name = o.value("topic");
  if (o.has("broker")) types = {"brokers"}, name = o.value("broker");
  if (o.has("broker-defaults")) types = {"brokers"}, is_default = true;
  for (const char* other : {"user", "client", "ip", "group", "client-metrics", "broker-logger"}) {
    if (o.has(other)) return fail(std::string("kafkalite's kafka-configs.sh handles topics and brokers only, not --") + other);
  }
  if (types.empty()) return fail("At least one entity type must be specified");
  if (types.size() > 1) return fail("Only 'users' and 'clients' entity types may be specified together");
  const std::string type = types.front();
  static const std::vector<std::string> known = {"topics", "clients", "users", "brokers", "ips", "client-metrics", "groups", "broker-loggers"};
  if (std::find(known.begin(), known.end(), type) == known.end()) {
    return fail("Invalid entity type " + type + ", the entity type must be one of topics, clients, users, brokers, ips, client-metrics, groups, broker-loggers with a --bootstrap-server or --bootstrap-controller argument");
  }
  if (type != "topics" && type != "brokers") return fail("kafkalite's kafka-configs.sh handles topics and brokers only, not " + type);
  if (type == "brokers" && name && !std::regex_match(*name, std::regex("-?[0-9]+"))) {
    return fail("The entity name for brokers must be a valid integer broker id, but it is: " + *name);
  }
  if (o.has("describe") && is_default && type == "topics") {
    return fail("--entity-default must not be specified with --describe of topics");
  }
  if (o.has("alter")) {
    if (type == "topics" && !name) return fail("An entity name must be specified with --alter of topics");
    if (type == "brokers" && !name && !is_default) {
      return fail("An entity-name or default entity must be specified with --alter of users, clients, brokers or ips");
    }
    if (o.has("add-config") && o.has("add-config-file")) return fail("Only one of --add-config or --add-config-file must be specified");
    if (!o.has("add-config") && !o.has("delete-config")) {
      return fail(o.has("add-config-file") ? "kafkalite's kafka-configs.sh does not read --add-config-file yet; use --add-config"
                                           : "At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter");
    }
  }
  auto admin = connect_admin(o);
  if (!admin) return 1;
  if (o.has("alter")) return alter(*admin, o, args, {type, is_default ? "" : *name});
  std::vector<Entity> entities;
  if (name || is_default) {
    entities.push_back({type, is_default ? "" : *name});
  } else if (type == "topics") {
    auto topics = admin->list_topics();
    if (!topics) return unexpected(args, topics.error());
    std::vector<std::string> names;
    for (const auto& t : *topics) names.push_back(t.name);
    java_hashmap_order(names);
    for (const auto& n : names) entities.push_back({type, n});
  } else {
    auto cluster = admin->describe_cluster();
    if (!cluster) return unexpected(args, cluster.error());
    for (const auto& b : cluster->brokers) entities.push_back({type, std::to_string(b.broker_id.value())});
    entities.push_back({type, ""});
  }
  return describe(*admin, o, args, entities, name.has_value());
}

}  // namespace kafkalite::cli
