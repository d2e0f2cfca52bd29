// Record batches (magic 2), the unit Kafka stores, replicates and serves.
//
// Layout: baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 |
// magic int8 | crc uint32 | attributes int16 | lastOffsetDelta int32 |
// baseTimestamp int64 | maxTimestamp int64 | producerId int64 |
// producerEpoch int16 | baseSequence int32 | recordCount int32 | records.
// The CRC-32C covers attributes through the end; batchLength counts the bytes
// after itself.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/protocol/generated/error_code.h"
#include "common/protocol/wire/types.h"
#include "common/records/compression.h"

namespace kafkalite::records {

using wire::Bytes;

constexpr size_t kLogOverhead = 12;  // baseOffset + batchLength
constexpr size_t kBatchHeaderSize = 61;
constexpr size_t kCrcOffset = 17;
constexpr size_t kAttributesOffset = 21;
constexpr size_t kMaxTimestampOffset = 35;
constexpr int8_t kCurrentMagic = 2;
// Below this a size field cannot even hold a legacy message (Kafka's check).
constexpr int32_t kMinLegacyRecordOverhead = 14;
constexpr int64_t kNoTimestamp = -1;
constexpr int64_t kNoProducerId = -1;
constexpr int16_t kNoProducerEpoch = -1;
constexpr int32_t kNoSequence = -1;
// Cap on a batch's decompressed size, so validation cannot be made to
// allocate without bound.
constexpr size_t kMaxDecompressedBatchBytes = size_t{256} << 20;

enum class TimestampType : int8_t { kCreateTime = 0, kLogAppendTime = 1 };

struct BatchHeader {
  int64_t base_offset = 0;
  int32_t batch_length = 0;
  int32_t partition_leader_epoch = -1;
  int8_t magic = kCurrentMagic;
  uint32_t crc = 0;
  int16_t attributes = 0;
  int32_t last_offset_delta = 0;
  int64_t base_timestamp = kNoTimestamp;
  int64_t max_timestamp = kNoTimestamp;
  int64_t producer_id = kNoProducerId;
  int16_t producer_epoch = kNoProducerEpoch;
  int32_t base_sequence = kNoSequence;
  int32_t record_count = 0;

  Compression compression() const { return static_cast<Compression>(attributes & 0x07); }
  TimestampType timestamp_type() const {
    return (attributes & 0x08) ? TimestampType::kLogAppendTime : TimestampType::kCreateTime;
  }
  bool is_transactional() const { return (attributes & 0x10) != 0; }
  bool is_control() const { return (attributes & 0x20) != 0; }
  int64_t last_offset() const { return base_offset + last_offset_delta; }
  size_t total_size() const { return kLogOverhead + static_cast<size_t>(batch_length); }
};

struct RecordHeader {
  std::string key;
  wire::NullableBytes value;
  bool operator==(const RecordHeader&) const = default;
};

struct Record {
  int8_t attributes = 0;
  int64_t timestamp_delta = 0;
  int32_t offset_delta = 0;
  wire::NullableBytes key;
  wire::NullableBytes value;
  std::vector<RecordHeader> headers;
  bool operator==(const Record&) const = default;
};

// A record as it lies in its batch: views into the batch's bytes (or, for a
// compressed batch, its decompressed records), valid during the visit.
struct RecordView {
  int8_t attributes = 0;
  int64_t timestamp_delta = 0;
  int32_t offset_delta = 0;
  std::optional<std::span<const uint8_t>> key;
  std::optional<std::span<const uint8_t>> value;
  int32_t header_count = 0;
  std::span<const uint8_t> headers;  // the headers as on the wire (checked)
  // A copy that owns its bytes.
  Record to_record() const;
};

// A failure with the error code Kafka answers it with: CORRUPT_MESSAGE for a
// bad CRC, size or magic; INVALID_RECORD for old formats and for records that
// do not parse or do not match the header's count and offsets.
struct RecordsError {
  protocol::ErrorCode code = protocol::ErrorCode::None;
  std::string message;
  explicit operator bool() const { return code != protocol::ErrorCode::None; }
};

// One batch inside a records blob: its parsed header and its exact bytes.
struct BatchView {
  BatchHeader header;
  std::span<const uint8_t> bytes;
};

// Reads the fixed header of the batch at the start of `data`; checks only
// that the header is present and magic is 2. Does not need the whole batch.
std::optional<BatchHeader> peek_batch_header(std::span<const uint8_t> data, RecordsError& error);

// Splits records into complete batches, checking sizes and magic as Kafka's
// batch iterator does. An incomplete batch at the end is left out (its size
// goes to *ignored_tail), as Kafka leaves it out.
std::vector<BatchView> split_batches(std::span<const uint8_t> data, RecordsError& error,
                                     size_t* ignored_tail = nullptr);

// Checks a batch's CRC, decompresses it and parses every record, checking the
// record count, each record's length and varints, and the offset deltas.
// `as_produced` (a producer's batch): offset deltas 0, 1, 2, ... as Kafka's
// validation wants them. Otherwise (a stored or fetched batch) the deltas
// only rise and stay within the last offset delta: a compacted batch keeps
// its offsets, with gaps, and an emptied one its header.
std::optional<std::vector<Record>> decode_records(const BatchView& batch, RecordsError& error, bool as_produced = true);

// Checks the batch as decode_records does and visits each record without
// copying it (the produce path: no heap allocation per record). False, with
// `error`, when a check fails; the records before the failing one have been
// visited by then.
bool for_each_record(const BatchView& batch, RecordsError& error, bool as_produced,
                     const std::function<void(const RecordView&)>& visit);

// Everything decode_records checks; the records themselves are dropped.
RecordsError validate_batch(const BatchView& batch);

// Builds one batch (for kafkalite's own clients and for tests).
struct BatchBuilder {
  int64_t base_offset = 0;
  Compression compression = Compression::kNone;
  TimestampType timestamp_type = TimestampType::kCreateTime;
  int64_t base_timestamp = 0;
  int64_t producer_id = kNoProducerId;
  int16_t producer_epoch = kNoProducerEpoch;
  int32_t base_sequence = kNoSequence;
  int32_t partition_leader_epoch = -1;
  bool transactional = false;
  bool control = false;
  // The log cleaner's rebuilds (Kafka's MemoryRecordsBuilder): a delete
  // horizon becomes the base timestamp (attribute bit 0x40); the original
  // last offset delta is kept; an empty batch keeps its max timestamp.
  int64_t delete_horizon_ms = -1;
  std::optional<int32_t> last_offset_delta;
  std::optional<int64_t> max_timestamp;

  // Appends a record with consecutive offset delta; timestamp is absolute.
  void add(int64_t timestamp, wire::NullableBytes key, wire::NullableBytes value,
           std::vector<RecordHeader> headers = {});
  // Appends a record at a given offset delta (offsets kept, with gaps).
  void add_at(int32_t offset_delta, int64_t timestamp, wire::NullableBytes key, wire::NullableBytes value,
              std::vector<RecordHeader> headers = {});
  Bytes build() const;
  size_t size() const { return records_.size(); }

 private:
  std::vector<std::pair<int64_t, Record>> records_;
};

// In-place rewrites that keep the records untouched. The base offset and the
// leader epoch sit outside the CRC; the log-append-time rewrite sets the
// timestamp type and max timestamp and recomputes the CRC.
void set_base_offset(std::span<uint8_t> batch, int64_t base_offset);
void set_partition_leader_epoch(std::span<uint8_t> batch, int32_t epoch);
void set_log_append_time(std::span<uint8_t> batch, int64_t timestamp);

}  // namespace kafkalite::records
