// kafka-broker-api-versions.sh: every broker of the cluster and, for each
// API of Kafka 4.1.1's broker listener in key order, the versions it
// supports and the one this client would use (as BrokerApiVersionsCommand
// prints them); the lab's docker-compose healthcheck runs it.
#include <iostream>

#include "cli/kafka_tools/tool_common.h"
#include "common/protocol/generated/api_table.h"

namespace kafkalite::cli {

namespace {

void print_node(const client::BrokerInfo& broker, const protocol::ApiVersionsResponse& versions) {
  std::cout << broker.address() << " (id: " << broker.node_id << " rack: " << broker.rack.value_or("null")
            << " isFenced: false) -> (\n";
  const auto apis = protocol::all_apis();
  for (size_t i = 0; i < apis.size(); ++i) {
    const auto& api = apis[i];
    std::cout << "\t" << api.name << "(" << static_cast<int16_t>(api.key) << "): ";
    const protocol::ApiVersionsResponse::ApiVersion* found = nullptr;
    for (const auto& v : versions.api_keys) {
      if (v.api_key == static_cast<int16_t>(api.key)) found = &v;
    }
    if (!found) {
      std::cout << "UNSUPPORTED";
    } else {
      if (found->min_version == found->max_version) {
        std::cout << found->max_version;
      } else {
        std::cout << found->min_version << " to " << found->max_version;
      }
      const int16_t usable = std::min(found->max_version, api.max_stable_version);
      if (usable < found->min_version || usable < api.min_version) {
        std::cout << " [unusable: node too new]";
      } else {
        std::cout << " [usable: " << usable << "]";
      }
    }
    std::cout << (i + 1 < apis.size() ? ",\n" : "\n");
  }
  std::cout << ")\n";
}

}  // namespace

int kafka_broker_api_versions(const std::vector<std::string>& args) {
  ToolOptions o("kafka-broker-api-versions.sh", "This tool helps to retrieve broker version information.",
                {{"bootstrap-server", "String: server(s) to use for bootstrapping", "REQUIRED: The server to connect to."},
                 {"command-config", "String: command config property file", "A file of client properties."},
                 {"help", "", "Print usage information."},
                 {"version", "", "Display Kafka version."}});
  if (!o.parse(args)) return o.fail_with_usage(o.error());
  if (o.has("help")) return o.fail_with_usage("This tool helps to retrieve broker version information.");
  if (!o.has("bootstrap-server")) return o.fail_with_usage("Missing required argument \"[bootstrap-server]\"");
  auto admin = connect_admin(o);
  if (!admin) return 1;
  auto metadata = admin->cluster().metadata(std::vector<std::string>{});
  if (!metadata) {
    std::cerr << "Error: " << metadata.error().describe() << "\n";
    return 1;
  }
  for (const auto& broker : metadata->brokers) {
    auto node = client::Cluster::connect(client_config(broker.address(), "adminclient-1", o.security()));
    if (!node) {
      std::cout << broker.address() << " (id: " << broker.node_id << " rack: " << broker.rack.value_or("null")
                << " isFenced: false) -> ERROR: " << exception_class(node.error().code) << ": "
                << message_of(node.error()) << "\n";
      continue;
    }
    print_node(broker, (*node)->api_versions());
  }
  std::cout.flush();
  return 0;
}

}  // namespace kafkalite::cli
