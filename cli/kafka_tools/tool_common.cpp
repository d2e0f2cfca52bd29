#include "cli/kafka_tools/tool_common.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace kafkalite::cli {

client::ClientConfig client_config(const std::string& bootstrap, const std::string& client_id,
                                   const client::SecurityConfig& security) {
  client::ClientConfig config;
  config.bootstrap_servers = bootstrap;
  config.client_id = client_id;
  config.security = security;
  return config;
}

void report_unreachable(const client::Error& error, std::string_view flag) {
  if (error.code == client::ErrorCode::SaslAuthenticationFailed ||
      error.message.find("SSL handshake") != std::string::npos) {
    // The broker is there and refused the login: no hint about starting one.
    std::cerr << "Error: " << error.describe() << "\n";
    return;
  }
  std::cerr << "Error: " << error.message << "\n"
            << "Is a Kafka broker running there? Start kafkalite with `kafkalite serve` "
               "(or scripts/serve.sh in its source tree), or name another broker with "
            << flag << ".\n";
}

std::unique_ptr<client::Admin> connect_admin(const std::string& bootstrap, const std::string& client_id,
                                             std::string_view flag, const client::SecurityConfig& security) {
  auto admin =
      client::Admin::connect(client_config(bootstrap, client_id.empty() ? "adminclient-1" : client_id, security));
  if (!admin) {
    report_unreachable(admin.error(), flag);
    return nullptr;
  }
  return std::move(*admin);
}

std::unique_ptr<client::Admin> connect_admin(const ToolOptions& options, const std::string& client_id) {
  return connect_admin(*options.value("bootstrap-server"), client_id, "--bootstrap-server", options.security());
}

std::string exception_class(client::ErrorCode code) { return std::string(protocol::error_exception_class(code)); }

std::string default_message(client::ErrorCode code) { return std::string(protocol::error_default_message(code)); }

std::string message_of(const client::Error& error) {
  return error.message.empty() ? default_message(error.code) : error.message;
}

void log_error(const std::string& logger, const std::string& message) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
  std::fprintf(stderr, "[%s,%03d] ERROR %s (%s)\n", stamp, static_cast<int>(millis), message.c_str(), logger.c_str());
}

}  // namespace kafkalite::cli
