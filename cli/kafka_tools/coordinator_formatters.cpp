#include "cli/kafka_tools/coordinator_formatters.h"

#include "common/records/coordinator_records_json.h"

namespace kafkalite::cli {

std::optional<CoordinatorFormatter> coordinator_formatter(const std::string& class_name) {
  if (class_name == "org.apache.kafka.tools.consumer.OffsetsMessageFormatter") return CoordinatorFormatter::kOffsets;
  if (class_name == "org.apache.kafka.tools.consumer.GroupMetadataMessageFormatter") {
    return CoordinatorFormatter::kGroupMetadata;
  }
  return std::nullopt;
}

std::string format_coordinator_record(CoordinatorFormatter formatter, const wire::NullableBytes& key,
                                      const wire::NullableBytes& value) {
  const auto record = records::consumer_offsets_record_json(key, value);
  if (!record) return "";
  const bool offsets = (*record)["key"]["type"] != 2;
  if (offsets != (formatter == CoordinatorFormatter::kOffsets)) return "";
  // Strings are bytes on the wire: ones that are not UTF-8 print with
  // replacement characters, as Java decodes them, instead of failing.
  return record->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace kafkalite::cli
