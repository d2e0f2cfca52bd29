// The subcommands of the one `kafkalite` binary. Each adds itself to the
// CLI11 app; its callback stores the process's exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace kafkalite::cli {

using SetExit = std::function<void(int)>;

void add_serve_command(CLI::App& app, SetExit set_exit);
void add_inspect_command(CLI::App& app, SetExit set_exit);
// The web console for any Kafka (serve runs it for its own broker).
void add_console_command(CLI::App& app, SetExit set_exit);
// In the style of rpk and kcat (cli/commands/).
void add_topic_command(CLI::App& app, SetExit set_exit);
void add_produce_command(CLI::App& app, SetExit set_exit);
void add_consume_command(CLI::App& app, SetExit set_exit);
void add_group_command(CLI::App& app, SetExit set_exit);
void add_cluster_command(CLI::App& app, SetExit set_exit);

// Kafka's own tools, by name ("kafka-topics.sh", or without ".sh"):
// nullptr when `name` is not one of them.
using KafkaTool = int (*)(const std::vector<std::string>& args);
KafkaTool find_kafka_tool(const std::string& name);
std::vector<std::string> kafka_tool_names();

}  // namespace kafkalite::cli
