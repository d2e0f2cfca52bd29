#include "cli/kafka_tools/tool_common.h"
namespace kafkalite::cli {
int kafka_consumer_groups(const std::vector<std::string>&) { return 1; }
}
