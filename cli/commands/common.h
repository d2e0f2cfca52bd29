// What kafkalite's own commands share: the broker list (--brokers, or
// KAFKALITE_BROKERS, default localhost:9092), --format, and printing a
// table or its JSON.
#pragma once

#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/commands/output.h"

namespace kafkalite::cli {

struct CommonFlags {
  std::string brokers;
  std::string format = "text";
};

// Adds --brokers and --format to `cmd`; the flags live as long as the app.
std::shared_ptr<CommonFlags> add_common_flags(CLI::App* cmd, bool with_format = true);

// Prints the table, or its rows as JSON with --format json.
void emit(const CommonFlags& flags, const Table& table);

}  // namespace kafkalite::cli
