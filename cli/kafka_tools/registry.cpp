// Kafka's tools by the names of their scripts.
#include <map>

#include "cli/commands.h"

namespace kafkalite::cli {

int kafka_topics(const std::vector<std::string>& args);
int kafka_broker_api_versions(const std::vector<std::string>& args);
int kafka_console_consumer(const std::vector<std::string>& args);
int kafka_console_producer(const std::vector<std::string>& args);
int kafka_consumer_groups(const std::vector<std::string>& args);
int kafka_configs(const std::vector<std::string>& args);
int kafka_get_offsets(const std::vector<std::string>& args);

namespace {
const std::map<std::string, KafkaTool>& tools() {
  static const std::map<std::string, KafkaTool> all = {
      {"kafka-broker-api-versions.sh", kafka_broker_api_versions},
      {"kafka-console-consumer.sh", kafka_console_consumer},
      {"kafka-console-producer.sh", kafka_console_producer},
      {"kafka-configs.sh", kafka_configs},
      {"kafka-consumer-groups.sh", kafka_consumer_groups},
      {"kafka-get-offsets.sh", kafka_get_offsets},
      {"kafka-topics.sh", kafka_topics},
  };
  return all;
}
}  // namespace

KafkaTool find_kafka_tool(const std::string& name) {
  const std::string script = name.size() > 3 && name.ends_with(".sh") ? name : name + ".sh";
  auto it = tools().find(script);
  return it == tools().end() ? nullptr : it->second;
}

std::vector<std::string> kafka_tool_names() {
  std::vector<std::string> out;
  for (const auto& [name, tool] : tools()) out.push_back(name);
  return out;
}

}  // namespace kafkalite::cli
