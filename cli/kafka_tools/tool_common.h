// What Kafka's tools share here: the connection to --bootstrap-server with
// an error a newcomer can act on, and Kafka's ways of printing failures.
#pragma once

#include <memory>
#include <string>

#include "cli/kafka_tools/options.h"
#include "client/admin.h"

namespace kafkalite::cli {

// Prints why a client could not connect (the address tried) and how to start
// kafkalite or name another broker with `flag`.
void report_unreachable(const client::Error& error, std::string_view flag = "--bootstrap-server");

// Connects an admin client, or reports why not and returns null.
std::unique_ptr<client::Admin> connect_admin(const std::string& bootstrap, const std::string& client_id = "",
                                             std::string_view flag = "--bootstrap-server",
                                             const client::SecurityConfig& security = {});
// The same for a Kafka tool: to its --bootstrap-server, secured as its
// client properties say (--command-config).
std::unique_ptr<client::Admin> connect_admin(const ToolOptions& options, const std::string& client_id = "");

client::ClientConfig client_config(const std::string& bootstrap, const std::string& client_id,
                                   const client::SecurityConfig& security = {});

// Kafka's name for the exception of an error code, e.g.
// "org.apache.kafka.common.errors.TopicExistsException".
std::string exception_class(client::ErrorCode code);
// The message Kafka's exception carries when the broker sent none.
std::string default_message(client::ErrorCode code);
// The broker's message, or Kafka's default one for the code.
std::string message_of(const client::Error& error);

// One ERROR line as Kafka's tools log it through log4j to stderr, e.g.
// "[2026-11-27 20:00:00,000] ERROR message (logger)".
void log_error(const std::string& logger, const std::string& message);

}  // namespace kafkalite::cli
