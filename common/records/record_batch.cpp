#include "common/records/record_batch.h"

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"
#include "common/records/crc32c.h"

namespace kafkalite::records {
namespace {

using protocol::ErrorCode;

RecordsError corrupt(std::string message) { return {ErrorCode::CorruptMessage, std::move(message)}; }
RecordsError records_invalid(std::string message) {
  return {ErrorCode::InvalidRecord, std::move(message)};
}

void put_be(std::span<uint8_t> at, uint64_t v, size_t width) {
  for (size_t i = 0; i < width; ++i) at[i] = static_cast<uint8_t>(v >> (8 * (width - 1 - i)));
}

BatchHeader read_header(wire::Reader& r) {
  BatchHeader h;
  h.base_offset = r.read_int64();
  h.batch_length = r.read_int32();
  h.partition_leader_epoch = r.read_int32();
  h.magic = r.read_int8();
  h.crc = r.read_uint32();
  h.attributes = r.read_int16();
  h.last_offset_delta = r.read_int32();
  h.base_timestamp = r.read_int64();
  h.max_timestamp = r.read_int64();
  h.producer_id = r.read_int64();
  h.producer_epoch = r.read_int16();
  h.base_sequence = r.read_int32();
  h.record_count = r.read_int32();
  return h;
}

// Reads a nullable bytes field (varint length, -1 for null) of a record.
void read_nullable(wire::Reader& body, std::optional<std::span<const uint8_t>>& out, bool allow_null) {
  const int32_t n = body.read_varint();
  if (!body.ok()) return;
  if (n < -1 || (n == -1 && !allow_null)) {
    body.fail("invalid field size " + std::to_string(n));
  } else if (n == -1) {
    out.reset();
  } else {
    out = body.read_span(static_cast<size_t>(n));
  }
}

// Parses one record from `r` (positioned at its length varint), in place.
bool read_record(wire::Reader& r, RecordView& record, std::string& why) {
  const int32_t length = r.read_varint();
  if (!r.ok()) {
    why = "record length: " + r.error();
    return false;
  }
  if (length < 0 || static_cast<size_t>(length) > r.remaining()) {
    why = "invalid record size " + std::to_string(length) + " with " +
          std::to_string(r.remaining()) + " bytes left";
    return false;
  }
  const std::span<const uint8_t> bytes = r.read_span(static_cast<size_t>(length));
  wire::Reader body(bytes);
  record.attributes = body.read_int8();
  record.timestamp_delta = body.read_varlong();
  record.offset_delta = body.read_varint();
  read_nullable(body, record.key, true);
  read_nullable(body, record.value, true);
  record.header_count = body.read_varint();
  if (body.ok() && (record.header_count < 0 || static_cast<size_t>(record.header_count) > body.remaining())) {
    body.fail("invalid header count " + std::to_string(record.header_count));
  }
  record.headers = body.ok() ? bytes.last(body.remaining()) : std::span<const uint8_t>();
  std::optional<std::span<const uint8_t>> header_key, header_value;
  for (int32_t i = 0; i < record.header_count && body.ok(); ++i) {
    read_nullable(body, header_key, false);
    read_nullable(body, header_value, true);
  }
  if (!body.ok()) {
    why = body.error();
    return false;
  }
  if (!body.at_end()) {
    why = "record has " + std::to_string(body.remaining()) + " bytes beyond its fields";
    return false;
  }
  return true;
}

void write_record(wire::Writer& w, const Record& record) {
  wire::Writer body;
  body.write_int8(record.attributes);
  body.write_varlong(record.timestamp_delta);
  body.write_varint(record.offset_delta);
  auto write_nullable = [&body](const wire::NullableBytes& v) {
    if (!v) {
      body.write_varint(-1);
    } else {
      body.write_varint(static_cast<int32_t>(v->size()));
      body.write_raw(*v);
    }
  };
  write_nullable(record.key);
  write_nullable(record.value);
  body.write_varint(static_cast<int32_t>(record.headers.size()));
  for (const auto& header : record.headers) {
    body.write_varint(static_cast<int32_t>(header.key.size()));
    body.write_raw({reinterpret_cast<const uint8_t*>(header.key.data()), header.key.size()});
    write_nullable(header.value);
  }
  w.write_varint(static_cast<int32_t>(body.size()));
  w.write_raw(body.bytes());
}

}  // namespace

std::optional<BatchHeader> peek_batch_header(std::span<const uint8_t> data, RecordsError& error) {
  wire::Reader r(data);
  BatchHeader h = read_header(r);
  // Magic sits at byte 16 in every message format, so it is checked before
  // the rest of the (format-dependent) header is trusted.
  if (data.size() > 16 && h.batch_length >= kMinLegacyRecordOverhead) {
    const auto magic = static_cast<int8_t>(data[16]);
    if (magic == 0 || magic == 1) {
      error = {ErrorCode::InvalidRecord,
               "record batches with magic " + std::to_string(magic) +
                   " are not accepted; only magic version 2 is"};
      return std::nullopt;
    }
    if (magic != kCurrentMagic) {
      error = corrupt("invalid magic " + std::to_string(magic) + " found in record batch");
      return std::nullopt;
    }
  }
  if (!r.ok()) {
    error = corrupt("record batch header truncated: " + std::to_string(data.size()) + " bytes");
    return std::nullopt;
  }
  if (h.batch_length < static_cast<int32_t>(kBatchHeaderSize - kLogOverhead)) {
    error = corrupt("record batch length " + std::to_string(h.batch_length) +
                    " is less than the batch header");
    return std::nullopt;
  }
  return h;
}

std::vector<BatchView> split_batches(std::span<const uint8_t> data, RecordsError& error,
                                     size_t* ignored_tail) {
  std::vector<BatchView> batches;
  size_t pos = 0;
  while (data.size() - pos >= kLogOverhead) {
    auto rest = data.subspan(pos);
    wire::Reader size_reader(rest.subspan(8, 4));
    const int32_t batch_length = size_reader.read_int32();
    if (batch_length < kMinLegacyRecordOverhead) {
      error = corrupt("record size " + std::to_string(batch_length) +
                      " is less than the minimum record overhead");
      return {};
    }
    // Like Kafka's batch iterator, an incomplete batch at the end is not an
    // error here; it is simply not a batch.
    if (kLogOverhead + static_cast<size_t>(batch_length) > rest.size()) break;
    auto header = peek_batch_header(rest, error);
    if (!header) return {};
    batches.push_back(BatchView{*header, rest.first(header->total_size())});
    pos += header->total_size();
  }
  if (ignored_tail) *ignored_tail = data.size() - pos;
  return batches;
}

Record RecordView::to_record() const {
  Record record;
  record.attributes = attributes;
  record.timestamp_delta = timestamp_delta;
  record.offset_delta = offset_delta;
  if (key) record.key = wire::Bytes(key->begin(), key->end());
  if (value) record.value = wire::Bytes(value->begin(), value->end());
  wire::Reader r(headers);  // checked when read
  record.headers.reserve(static_cast<size_t>(header_count));
  for (int32_t i = 0; i < header_count; ++i) {
    std::optional<std::span<const uint8_t>> header_key, header_value;
    read_nullable(r, header_key, false);
    read_nullable(r, header_value, true);
    RecordHeader header;
    if (header_key) header.key.assign(header_key->begin(), header_key->end());
    if (header_value) header.value = wire::Bytes(header_value->begin(), header_value->end());
    record.headers.push_back(std::move(header));
  }
  return record;
}

bool for_each_record(const BatchView& batch, RecordsError& error, bool as_produced,
                     const std::function<void(const RecordView&)>& visit) {
  const BatchHeader& h = batch.header;
  const auto crc_covered = batch.bytes.subspan(kAttributesOffset);
  const uint32_t actual_crc = crc32c(crc_covered);
  if (actual_crc != h.crc) {
    error = corrupt("record batch CRC " + std::to_string(actual_crc) + " does not match stored " +
                    std::to_string(h.crc));
    return false;
  }
  if (h.record_count < 0) {
    error = {ErrorCode::InvalidRecord, "invalid record count " + std::to_string(h.record_count)};
    return false;
  }
  // An uncompressed batch is read where it lies.
  std::span<const uint8_t> records = batch.bytes.subspan(kBatchHeaderSize);
  std::optional<wire::Bytes> decompressed;
  std::string why;
  if (h.compression() != Compression::kNone) {
    decompressed = decompress(h.compression(), records, kMaxDecompressedBatchBytes, why);
    if (!decompressed) {
      // Kafka surfaces a codec failure behind a valid CRC as a generic error.
      error = {ErrorCode::UnknownServerError, "record batch decompression failed: " + why};
      return false;
    }
    records = *decompressed;
  }
  if (static_cast<size_t>(h.record_count) > records.size()) {
    error = records_invalid("record count " + std::to_string(h.record_count) + " exceeds the " +
                    std::to_string(records.size()) + " bytes of records");
    return false;
  }
  wire::Reader r(records);
  RecordView record;
  int32_t previous_delta = -1;
  for (int32_t i = 0; i < h.record_count; ++i) {
    if (!read_record(r, record, why)) {
      error = {ErrorCode::InvalidRecord, "record " + std::to_string(i) + ": " + why};
      return false;
    }
    const bool in_order = as_produced ? record.offset_delta == i
                                      : record.offset_delta > previous_delta &&
                                            record.offset_delta <= h.last_offset_delta;
    if (!in_order) {
      error = {ErrorCode::InvalidRecord, "record " + std::to_string(i) + " has offset delta " +
                                             std::to_string(record.offset_delta)};
      return false;
    }
    previous_delta = record.offset_delta;
    visit(record);
  }
  if (!r.at_end()) {
    error = records_invalid("record batch has " + std::to_string(r.remaining()) +
                    " bytes after its " + std::to_string(h.record_count) + " records");
    return false;
  }
  if (as_produced && h.record_count > 0 && h.last_offset_delta != h.record_count - 1) {
    error = {ErrorCode::InvalidRecord,
             "last offset delta " + std::to_string(h.last_offset_delta) + " does not match " +
                 std::to_string(h.record_count) + " records"};
    return false;
  }
  return true;
}

std::optional<std::vector<Record>> decode_records(const BatchView& batch, RecordsError& error, bool as_produced) {
  std::vector<Record> records;
  const bool valid = for_each_record(batch, error, as_produced, [&](const RecordView& record) {
    if (records.empty()) records.reserve(static_cast<size_t>(batch.header.record_count));
    records.push_back(record.to_record());
  });
  if (!valid) return std::nullopt;
  return records;
}

RecordsError validate_batch(const BatchView& batch) {
  RecordsError error;
  decode_records(batch, error);
  return error;
}

void BatchBuilder::add(int64_t timestamp, wire::NullableBytes key, wire::NullableBytes value,
                       std::vector<RecordHeader> headers) {
  Record record;
  record.offset_delta = static_cast<int32_t>(records_.size());
  record.key = std::move(key);
  record.value = std::move(value);
  record.headers = std::move(headers);
  records_.emplace_back(timestamp, std::move(record));
}

void BatchBuilder::add_at(int32_t offset_delta, int64_t timestamp, wire::NullableBytes key, wire::NullableBytes value,
                          std::vector<RecordHeader> headers) {
  add(timestamp, std::move(key), std::move(value), std::move(headers));
  records_.back().second.offset_delta = offset_delta;
}

Bytes BatchBuilder::build() const {
  int64_t first_ts = records_.empty() ? base_timestamp : records_.front().first;
  if (delete_horizon_ms >= 0) first_ts = delete_horizon_ms;
  int64_t max_ts = kNoTimestamp;
  wire::Writer records_writer;
  for (const auto& [timestamp, record] : records_) {
    Record copy = record;
    copy.timestamp_delta = timestamp - first_ts;
    max_ts = std::max(max_ts, timestamp);
    write_record(records_writer, copy);
  }
  if (max_timestamp) max_ts = *max_timestamp;
  const Bytes payload = compress(compression, records_writer.bytes());

  int16_t attributes = static_cast<int16_t>(compression);
  if (delete_horizon_ms >= 0) attributes |= 0x40;
  if (timestamp_type == TimestampType::kLogAppendTime) attributes |= 0x08;
  if (transactional) attributes |= 0x10;
  if (control) attributes |= 0x20;

  wire::Writer w;
  w.write_int64(base_offset);
  w.write_int32(static_cast<int32_t>(kBatchHeaderSize - kLogOverhead + payload.size()));
  w.write_int32(partition_leader_epoch);
  w.write_int8(kCurrentMagic);
  w.write_uint32(0);  // CRC, filled in below
  w.write_int16(attributes);
  w.write_int32(last_offset_delta ? *last_offset_delta
                                  : (records_.empty() ? 0 : records_.back().second.offset_delta));
  w.write_int64(first_ts);
  w.write_int64(max_ts);
  w.write_int64(producer_id);
  w.write_int16(producer_epoch);
  w.write_int32(base_sequence);
  w.write_int32(static_cast<int32_t>(records_.size()));
  w.write_raw(payload);
  Bytes batch = w.take();
  const uint32_t crc = crc32c(std::span<const uint8_t>(batch).subspan(kAttributesOffset));
  put_be(std::span<uint8_t>(batch).subspan(kCrcOffset, 4), crc, 4);
  return batch;
}

void set_base_offset(std::span<uint8_t> batch, int64_t base_offset) {
  put_be(batch.first(8), static_cast<uint64_t>(base_offset), 8);
}

void set_partition_leader_epoch(std::span<uint8_t> batch, int32_t epoch) {
  put_be(batch.subspan(12, 4), static_cast<uint32_t>(epoch), 4);
}

void set_log_append_time(std::span<uint8_t> batch, int64_t timestamp) {
  const uint16_t attributes =
      static_cast<uint16_t>((batch[kAttributesOffset] << 8) | batch[kAttributesOffset + 1]) | 0x08;
  put_be(batch.subspan(kAttributesOffset, 2), attributes, 2);
  put_be(batch.subspan(kMaxTimestampOffset, 8), static_cast<uint64_t>(timestamp), 8);
  const uint32_t crc = crc32c(batch.subspan(kAttributesOffset));
  put_be(batch.subspan(kCrcOffset, 4), crc, 4);
}

}  // namespace kafkalite::records
