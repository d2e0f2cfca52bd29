#include "cli/commands/common.h"

#include <cstdlib>

namespace kafkalite::cli {

std::shared_ptr<CommonFlags> add_common_flags(CLI::App* cmd, bool with_format) {
  auto flags = std::make_shared<CommonFlags>();
  const char* env = std::getenv("KAFKALITE_BROKERS");
  flags->brokers = env ? env : "localhost:9092";
  cmd->add_option("--brokers,-b", flags->brokers, "the broker(s), host:port[,host:port] (env KAFKALITE_BROKERS)")
      ->capture_default_str();
  if (with_format) cmd->add_option("--format", flags->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  return flags;
}

void emit(const CommonFlags& flags, const Table& table) {
  if (flags.format == "json") {
    std::cout << table.json().dump(2) << "\n";
  } else {
    table.print(std::cout);
  }
}

}  // namespace kafkalite::cli
