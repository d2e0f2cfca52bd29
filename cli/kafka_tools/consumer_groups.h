// kafka-consumer-groups.sh, split by action: listing and describing
// (consumer_groups_describe.cpp), resetting and deleting offsets and groups
// (consumer_groups_change.cpp), the option table and dispatch
// (kafka_consumer_groups.cpp).
#pragma once

#include <string>
#include <vector>

#include "cli/kafka_tools/tool_common.h"

namespace kafkalite::cli::groups {

int list(client::Admin& admin, const ToolOptions& o);
int describe(client::Admin& admin, const ToolOptions& o, const std::vector<std::string>& group_ids);
int reset_offsets(client::Admin& admin, const ToolOptions& o, const std::vector<std::string>& group_ids);
int delete_groups(client::Admin& admin, const std::vector<std::string>& group_ids);
int delete_offsets(client::Admin& admin, const ToolOptions& o, const std::string& group_id);

// Kafka's column layout: printf("%-Ns") with N the widest value (at least
// `minimum`), columns separated by one space.
std::string pad(const std::string& text, size_t width);
size_t widest(size_t minimum, const std::vector<std::string>& values);

// "Error: Executing consumer group command failed due to <Exception>: <msg>";
// Kafka's tool exits 0 after it.
int command_failed(const client::Error& error);

}  // namespace kafkalite::cli::groups
