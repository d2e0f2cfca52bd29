#include "broker/group/offsets_topic.h"

#include "broker/group/offset_store.h"
#include "common/java_hash.h"
#include "common/records/record_batch.h"

namespace kafkalite::broker::group {
namespace {

// Record types: the specs' apiKey.
constexpr int16_t kOffsetCommitType = 1;
constexpr int16_t kGroupMetadataType = 2;
// Kafka 4.1.1 writes group metadata at version 3, offsets at 4 (1 when the
// commit set its own expire time, OffsetCommit v1).
constexpr int16_t kGroupMetadataVersion = 3;
constexpr int16_t kOffsetCommitVersion = 4;
constexpr int16_t kOffsetCommitWithExpiryVersion = 1;

template <typename Message>
wire::Bytes encode(int16_t prefix, const Message& message, int16_t version) {
  wire::Writer w;
  w.write_int16(prefix);
  message.encode(w, version);
  return w.bytes();
}

wire::Bytes offset_key(const std::string& group_id, const std::string& topic, int32_t partition) {
  protocol::OffsetCommitKey key;
  key.group = group_id;
  key.topic = topic;
  key.partition = partition;
  return encode(kOffsetCommitType, key, 0);
}

}  // namespace

int32_t OffsetsTopic::partition_for(const std::string& group_id) const {
  return java::partition_for(group_id, partitions_);
}

void OffsetsRecords::add(const std::string& group_id, wire::Bytes key, std::optional<wire::Bytes> value) {
  if (!topic_ || !topic_->attached()) return;
  records_[topic_->partition_for(group_id)].emplace_back(std::move(key), std::move(value));
}

void OffsetsRecords::offset_commit(const std::string& group_id, const std::string& topic, int32_t partition,
                                   const CommittedOffset& offset) {
  protocol::OffsetCommitValue value;
  value.offset = offset.offset;
  value.leader_epoch = offset.leader_epoch;
  value.metadata = offset.metadata;
  value.commit_timestamp = offset.commit_timestamp_ms;
  value.expire_timestamp = offset.expire_timestamp_ms;
  const int16_t version = offset.expire_timestamp_ms >= 0 ? kOffsetCommitWithExpiryVersion : kOffsetCommitVersion;
  add(group_id, offset_key(group_id, topic, partition), encode(version, value, version));
}

void OffsetsRecords::offset_tombstone(const std::string& group_id, const std::string& topic, int32_t partition) {
  add(group_id, offset_key(group_id, topic, partition), std::nullopt);
}

void OffsetsRecords::group_metadata(const std::string& group_id, const protocol::GroupMetadataValue& value) {
  protocol::GroupMetadataKey key;
  key.group = group_id;
  add(group_id, encode(kGroupMetadataType, key, 0), encode(kGroupMetadataVersion, value, kGroupMetadataVersion));
}

void OffsetsRecords::group_tombstone(const std::string& group_id) {
  protocol::GroupMetadataKey key;
  key.group = group_id;
  add(group_id, encode(kGroupMetadataType, key, 0), std::nullopt);
}

void OffsetsRecords::stage(storage::WriteBatch& write, int64_t now_ms, int64_t producer_id, int16_t producer_epoch) {
  for (const auto& [partition, records] : records_) {
    OffsetsPartition target = topic_->open(partition);
    if (!target.log) continue;
    records::BatchBuilder builder;
    builder.base_timestamp = now_ms;
    builder.producer_id = producer_id;
    builder.producer_epoch = producer_epoch;
    builder.base_sequence = 0;  // as Kafka's coordinator builds its batches, plain ones too
    builder.transactional = producer_id >= 0;
    for (const auto& [key, value] : records) {
      builder.add(now_ms, key, value ? wire::NullableBytes(*value) : wire::NullableBytes(std::nullopt));
    }
    const wire::Bytes batch = builder.build();
    records::RecordsError error;
    const auto header = records::peek_batch_header(batch, error);
    if (!header) continue;  // a batch built here always parses
    staged_.push_back(
        {partition, target.log, target.log->stage_append(batch, *header, -1, now_ms, 0, target.rules, write)});
  }
}

void OffsetsRecords::apply() {
  for (auto& staged : staged_) staged.log->apply_staged(std::move(staged.append));
  for (const auto& staged : staged_) topic_->appended(staged.partition);
  staged_.clear();
}

}  // namespace kafkalite::broker::group
