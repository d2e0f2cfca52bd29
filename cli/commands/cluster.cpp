// kafkalite cluster info: the cluster id, its brokers and the controller,
// and how many topics and partitions it holds (internal ones left out, as
// `topic list` leaves them out).
#include <iostream>

#include "cli/commands/common.h"
#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli {

void add_cluster_command(CLI::App& app, SetExit set_exit) {
  auto* cluster = app.add_subcommand("cluster", "the cluster a broker belongs to");
  cluster->require_subcommand(1);
  auto* info = cluster->add_subcommand("info", "cluster id, brokers, controller, topics");
  auto f = add_common_flags(info);
  info->callback([=] {
    auto admin = connect_admin(f->brokers, "", "--brokers");
    if (!admin) return set_exit(1);
    auto described = admin->describe_cluster();
    auto topics = admin->list_topics(false);  // as `topic list`: internal topics only with -i
    if (!described || !topics) {
      std::cerr << "Error: " << (!described ? described.error() : topics.error()).describe() << "\n";
      return set_exit(1);
    }
    size_t partitions = 0;
    for (const auto& t : *topics) partitions += t.partitions.size();
    Table summary({"CLUSTER-ID", "CONTROLLER", "TOPICS", "PARTITIONS"});
    summary.row({described->cluster_id, std::to_string(described->controller_id.value()), std::to_string(topics->size()),
                 std::to_string(partitions)});
    Table brokers({"ID", "HOST", "PORT", "RACK"});
    for (const auto& b : described->brokers) {
      brokers.row({std::to_string(b.broker_id.value()), b.host, std::to_string(b.port), b.rack.value_or("-")});
    }
    if (f->format == "json") {
      nlohmann::ordered_json out;
      out["cluster"] = summary.json().front();
      out["brokers"] = brokers.json();
      std::cout << out.dump(2) << "\n";
    } else {
      summary.print(std::cout);
      std::cout << "\n";
      brokers.print(std::cout);
    }
    set_exit(0);
  });
}

}  // namespace kafkalite::cli
