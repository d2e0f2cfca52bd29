// kafkalite console: the web console for any Kafka, a real one included.
//
//   kafkalite console --bootstrap-server HOST:PORT [--listener http://127.0.0.1:8080]
//
// `kafkalite serve` serves the same console for its own broker (and then also
// shows its coordinator's rebalances and the requests clients send).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>

#include "cli/commands.h"
#include "console/console.h"

namespace kafkalite::cli {

namespace {

int run_console(const std::string& bootstrap, const std::string& listener) {
  console::ConsoleOptions options;
  std::string error;
  if (!console::parse_console_listener(listener, options.host, options.port, error)) {
    spdlog::error("Invalid --listener: {}", error);
    return 2;
  }
  options.client.bootstrap_servers = bootstrap;
  // Signals are taken by sigwait below: blocked before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  console::Console console(options);
  try {
    console.start();
  } catch (const std::exception& e) {
    spdlog::error("Cannot serve the console on {}: {}", listener, e.what());
    return 1;
  }
  spdlog::info("Open {} in a browser (Ctrl+C to stop)", console.url());
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("Signal {} received: stopping the console", received);
  console.stop();
  return 0;
}

}  // namespace

void add_console_command(CLI::App& app, SetExit set_exit) {
  auto* cmd = app.add_subcommand("console", "serve the web console for a Kafka cluster");
  auto bootstrap = std::make_shared<std::string>("localhost:9092");
  auto listener = std::make_shared<std::string>("http://127.0.0.1:8080");
  cmd->add_option("--bootstrap-server", *bootstrap, "the Kafka cluster to show (HOST:PORT[,HOST:PORT])")
      ->capture_default_str();
  cmd->add_option("--listener", *listener, "where the console listens (loopback only unless you say otherwise)")
      ->capture_default_str();
  cmd->callback([=] {
    spdlog::set_pattern("[%Y-%m-%d %H:%M:%S,%e] %^%l%$ %v");
    set_exit(run_console(*bootstrap, *listener));
  });
}

}  // namespace kafkalite::cli
