#include "common/records/coordinator_records_json.h"

#include "common/protocol/generated/coordinator_records.h"
#include "common/text.h"

namespace kafkalite::records {
namespace {

using nlohmann::ordered_json;

ordered_json nullable(const wire::NullableString& s) { return s ? ordered_json(*s) : ordered_json(nullptr); }

// OffsetCommitValue's fields at `version` (offset, leaderEpoch from v3,
// metadata, commitTimestamp, expireTimestamp in v1 only, topicId from v4
// when set).
ordered_json offset_value(const protocol::OffsetCommitValue& v, int16_t version) {
  ordered_json data;
  data["offset"] = v.offset;
  if (version >= 3) data["leaderEpoch"] = v.leader_epoch;
  data["metadata"] = v.metadata;
  data["commitTimestamp"] = v.commit_timestamp;
  if (version == 1) data["expireTimestamp"] = v.expire_timestamp;
  if (version >= 4 && v.topic_id != wire::Uuid{}) data["topicId"] = v.topic_id.to_base64();
  return data;
}

ordered_json group_value(const protocol::GroupMetadataValue& v, int16_t version) {
  ordered_json data;
  data["protocolType"] = v.protocol_type;
  data["generation"] = v.generation;
  data["protocol"] = nullable(v.protocol);
  data["leader"] = nullable(v.leader);
  if (version >= 2) data["currentStateTimestamp"] = v.current_state_timestamp;
  ordered_json members = ordered_json::array();
  for (const auto& m : v.members) {
    ordered_json member;
    member["memberId"] = m.member_id;
    if (version >= 3) member["groupInstanceId"] = nullable(m.group_instance_id);
    member["clientId"] = m.client_id;
    member["clientHost"] = m.client_host;
    if (version >= 1) member["rebalanceTimeout"] = m.rebalance_timeout;
    member["sessionTimeout"] = m.session_timeout;
    member["subscription"] = text::to_base64(m.subscription);
    member["assignment"] = text::to_base64(m.assignment);
    members.push_back(std::move(member));
  }
  data["members"] = std::move(members);
  return data;
}

}  // namespace

std::optional<ordered_json> consumer_offsets_record_json(const wire::NullableBytes& key,
                                                         const wire::NullableBytes& value) {
  if (!key) return std::nullopt;
  wire::Reader k(*key);
  const int16_t type = k.read_int16();
  // Offset commits are types 0 (the legacy key, same fields) and 1; groups type 2.
  const bool offsets = type == 0 || type == 1;
  if (!k.ok() || (!offsets && type != 2)) return std::nullopt;
  ordered_json out;
  ordered_json key_data;
  if (offsets) {
    protocol::OffsetCommitKey decoded;
    if (!decoded.decode(k, 0)) return std::nullopt;
    key_data["group"] = decoded.group;
    key_data["topic"] = decoded.topic;
    key_data["partition"] = decoded.partition;
  } else {
    protocol::GroupMetadataKey decoded;
    if (!decoded.decode(k, 0)) return std::nullopt;
    key_data["group"] = decoded.group;
  }
  out["key"] = {{"type", type}, {"data", std::move(key_data)}};
  if (!value) {
    out["value"] = nullptr;
    return out;
  }
  wire::Reader v(*value);
  const int16_t version = v.read_int16();
  ordered_json value_data;
  if (offsets) {
    protocol::OffsetCommitValue decoded;
    if (!v.ok() || !decoded.decode(v, version)) return std::nullopt;
    value_data = offset_value(decoded, version);
  } else {
    protocol::GroupMetadataValue decoded;
    if (!v.ok() || !decoded.decode(v, version)) return std::nullopt;
    value_data = group_value(decoded, version);
  }
  out["value"] = {{"version", version}, {"data", std::move(value_data)}};
  return out;
}

}  // namespace kafkalite::records
