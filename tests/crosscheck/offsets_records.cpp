#include "tests/crosscheck/offsets_records.h"

#include "common/records/coordinator_records_json.h"
#include "common/records/record_batch.h"
#include "common/text.h"

namespace kafkalite::crosscheck {
namespace {

// A record of __consumer_offsets as Kafka's formatters print it; times are
// the broker's, so only whether they are set is kept.
json offsets_record(const records::Record& record) {
  const auto printed = records::consumer_offsets_record_json(record.key, record.value);
  if (!printed) return {{"undecodable", record.key ? json(text::to_hex(*record.key)) : json()}};
  json out = json::parse(printed->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  if (out["value"].is_object()) {
    for (const char* time : {"commitTimestamp", "currentStateTimestamp"}) {
      json& data = out["value"]["data"];
      if (data.contains(time)) data[time] = data[time].get<int64_t>() > 0 ? "<time>" : "<unset>";
    }
  }
  return out;
}

}  // namespace

json offsets_batches(const FetchResponse& response, const std::string& only_group, int64_t producer_id) {
  json out = json::array();
  for (const auto& topic : response.responses) {
    for (const auto& partition : topic.partitions) {
      if (!partition.records.data) continue;
      records::RecordsError error;
      for (const auto& batch : records::split_batches(*partition.records.data, error)) {
        // Offsets only where the partition is the scenario's own.
        json b = {{"base_offset", only_group.empty() ? json(batch.header.base_offset) : json("<offset>")},
                  {"producer_id", batch.header.producer_id},
                  {"producer_epoch", batch.header.producer_epoch}, {"base_sequence", batch.header.base_sequence},
                  {"leader_epoch", batch.header.partition_leader_epoch},
                  {"transactional", batch.header.is_transactional()}, {"control", batch.header.is_control()}};
        json rs = json::array();
        bool ours = only_group.empty() || (batch.header.is_control() && batch.header.producer_id == producer_id);
        if (auto decoded = records::decode_records(batch, error, false); decoded && !batch.header.is_control()) {
          for (const auto& r : *decoded) {
            rs.push_back(offsets_record(r));
            const json& key = rs.back()["key"];
            ours = ours || (key.is_object() && key["data"].value("group", "") == only_group);
          }
        }
        b["records"] = rs;
        if (ours) out.push_back(b);
      }
    }
  }
  return out;
}


}  // namespace kafkalite::crosscheck
