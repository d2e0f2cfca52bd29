// kafkalite: a Kafka 4.1.1-compatible single-node broker, its command line
// and Kafka's shell tools without a JVM.
//
//   kafkalite serve ...                  the broker
//   kafkalite kafka-topics.sh ...        Kafka's tools, by name, with their flags
//   kafka-topics.sh ...                  the same, through a link named after the tool
#include <filesystem>
#include <functional>
#include <iostream>
#include <stdexcept>

#include "cli/commands.h"

namespace {

// Every command, tool or not: a value that does not parse as the number an
// option takes ends the command with a message and exit code 1, never an
// abort.
int guarded(const std::function<int()>& run) {
  try {
    return run();
  } catch (const std::invalid_argument&) {
    std::cerr << "Error: an option's value is not a number where the option takes one\n";
  } catch (const std::out_of_range&) {
    std::cerr << "Error: an option's value is out of the range of numbers it takes\n";
  } catch (const std::exception& e) {
    std::cerr << "Error: " << e.what() << "\n";
  }
  return 1;
}

int run_main(int argc, char** argv) {
  using namespace kafkalite::cli;
  const std::string invoked = std::filesystem::path(argv[0]).filename().string();
  if (KafkaTool tool = find_kafka_tool(invoked)) return tool(std::vector<std::string>(argv + 1, argv + argc));
  if (argc > 1) {
    if (KafkaTool tool = find_kafka_tool(argv[1])) return tool(std::vector<std::string>(argv + 2, argv + argc));
  }
  CLI::App app{"kafkalite: a Kafka 4.1.1-compatible single-node broker, its command line, and Kafka's tools"};
  app.require_subcommand(1);
  std::string tools;
  for (const auto& name : kafka_tool_names()) tools += "  " + name + "\n";
  app.footer("Kafka's tools, with their own flags (also as links named after them, see the README):\n" + tools);
  int exit_code = 0;
  const SetExit set_exit = [&](int code) { exit_code = code; };
  add_serve_command(app, set_exit);
  add_inspect_command(app, set_exit);
  add_console_command(app, set_exit);
  add_topic_command(app, set_exit);
  add_produce_command(app, set_exit);
  add_consume_command(app, set_exit);
  add_group_command(app, set_exit);
  add_cluster_command(app, set_exit);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  return guarded([&] { return run_main(argc, argv); });
}
