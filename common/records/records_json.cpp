// records_json for the generated to_json: record data shown batch by batch
// and record by record, so transcripts compare what clients actually read.
#include <nlohmann/json.hpp>

#include "common/protocol/generated/to_json.h"
#include "common/records/record_batch.h"
#include "common/text.h"

namespace kafkalite::protocol {
namespace {

using nlohmann::json;

// Text when the bytes are printable ASCII (what tests write), hex otherwise.
json bytes_json(const wire::NullableBytes& bytes) {
  if (!bytes) return nullptr;
  const bool printable = std::all_of(bytes->begin(), bytes->end(),
                                     [](uint8_t b) { return b >= 0x20 && b < 0x7f; });
  if (printable) return std::string(bytes->begin(), bytes->end());
  return "0x" + text::to_hex(*bytes);
}

json batch_json(const records::BatchView& view) {
  const records::BatchHeader& h = view.header;
  json batch = {{"base_offset", h.base_offset},
                {"batch_length", h.batch_length},
                {"partition_leader_epoch", h.partition_leader_epoch},
                {"magic", h.magic},
                {"crc", h.crc},
                {"compression", h.attributes & 0x07},
                {"timestamp_type", (h.attributes & 0x08) ? "LogAppendTime" : "CreateTime"},
                {"transactional", h.is_transactional()},
                {"control", h.is_control()},
                {"delete_horizon", (h.attributes & 0x40) != 0},
                {"last_offset_delta", h.last_offset_delta},
                {"base_timestamp", h.base_timestamp},
                {"max_timestamp", h.max_timestamp},
                {"producer_id", h.producer_id},
                {"producer_epoch", h.producer_epoch},
                {"base_sequence", h.base_sequence},
                {"record_count", h.record_count}};
  records::RecordsError error;
  auto decoded = records::decode_records(view, error, /*as_produced=*/false);
  if (!decoded) {
    batch["records_error"] = error.message;
    return batch;
  }
  json records = json::array();
  for (const records::Record& r : *decoded) {
    json headers = json::array();
    for (const records::RecordHeader& header : r.headers) {
      headers.push_back({{"key", header.key}, {"value", bytes_json(header.value)}});
    }
    records.push_back({{"offset", h.base_offset + r.offset_delta},
                       {"timestamp_delta", r.timestamp_delta},
                       {"key", bytes_json(r.key)},
                       {"value", bytes_json(r.value)},
                       {"headers", headers}});
  }
  batch["records"] = records;
  return batch;
}

}  // namespace

json records_json(const wire::Records& records) {
  if (!records.data) return nullptr;
  records::RecordsError error;
  json batches = json::array();
  size_t partial_tail = 0;
  for (const records::BatchView& view : records::split_batches(*records.data, error, &partial_tail)) {
    batches.push_back(batch_json(view));
  }
  if (partial_tail > 0) batches.push_back({{"partial_batch_bytes", partial_tail}});
  // A partial batch at the end is normal in a fetch answer (max_bytes); what
  // matters is that both brokers cut at the same place.
  if (error) batches.push_back({{"split_error", error.message}});
  return batches;
}

}  // namespace kafkalite::protocol
