#include "tests/crosscheck/offsets_records.h"

#include "common/protocol/generated/coordinator_records.h"
#include "common/records/record_batch.h"
#include "common/text.h"

namespace kafkalite::crosscheck {
namespace {

// A record of __consumer_offsets as Kafka's formatters would show it; times
// are the broker's, so only whether they are set is kept.
json offsets_record(const records::Record& record) {
  json out;
  if (!record.key || record.key->size() < 2) return {{"key", record.key ? json(text::to_hex(*record.key)) : json()}};
  wire::Reader key(*record.key);
  const int16_t type = key.read_int16();
  static const wire::Bytes kNone;
  wire::Reader value(record.value ? *record.value : kNone);  // both live on: the reader keeps a view
  const int16_t version = record.value ? value.read_int16() : -1;
  if (type == 1) {
    protocol::OffsetCommitKey k;
    k.decode(key, 0);
    out["key"] = {{"type", type}, {"group", k.group}, {"topic", k.topic}, {"partition", k.partition}};
    if (record.value) {
      protocol::OffsetCommitValue v;
      v.decode(value, version);
      out["value"] = {{"version", version},          {"offset", v.offset},
                      {"leaderEpoch", v.leader_epoch}, {"metadata", v.metadata},
                      {"commitTimestamp", v.commit_timestamp > 0 ? "<time>" : "<unset>"},
                      {"expireTimestamp", v.expire_timestamp}};
    }
  } else if (type == 2) {
    protocol::GroupMetadataKey k;
    k.decode(key, 0);
    out["key"] = {{"type", type}, {"group", k.group}};
    if (record.value) {
      protocol::GroupMetadataValue v;
      v.decode(value, version);
      out["value"] = {{"version", version}, {"protocolType", v.protocol_type}, {"generation", v.generation},
                      {"members", v.members.size()}};
    }
  } else {
    out["key"] = json(text::to_hex(*record.key));
  }
  if (!record.value) out["value"] = nullptr;
  if (!key.ok() || !value.ok()) out["undecodable"] = true;
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
            ours = ours || (key.is_object() && key.value("group", "") == only_group);
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
