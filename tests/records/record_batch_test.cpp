// Building, splitting, validating and rewriting record batches, and every
// way a batch can be broken.
#include <gtest/gtest.h>

#include "common/protocol/wire/writer.h"
#include "common/records/crc32c.h"
#include "common/records/record_batch.h"

namespace kafkalite::records {
namespace {

using protocol::ErrorCode;

wire::Bytes text(std::string_view s) { return wire::Bytes(s.begin(), s.end()); }

BatchBuilder three_records(Compression codec) {
  BatchBuilder builder;
  builder.compression = codec;
  builder.producer_id = 42;
  builder.producer_epoch = 3;
  builder.base_sequence = 7;
  builder.add(1000, text("k1"), text("v1"), {{"h", text("x")}, {"nullh", std::nullopt}});
  builder.add(1005, std::nullopt, text("v2"));
  builder.add(999, text("k3"), std::nullopt);
  return builder;
}

BatchView only_batch(const wire::Bytes& data) {
  RecordsError error;
  auto batches = split_batches(data, error);
  EXPECT_FALSE(error) << error.message;
  EXPECT_EQ(batches.size(), 1u);
  return batches.empty() ? BatchView{} : batches.front();
}

class BatchPerCodec : public ::testing::TestWithParam<Compression> {};

TEST_P(BatchPerCodec, BuildsAndDecodesEveryField) {
  const wire::Bytes data = three_records(GetParam()).build();
  const BatchView batch = only_batch(data);
  const BatchHeader& h = batch.header;
  EXPECT_EQ(h.magic, 2);
  EXPECT_EQ(h.compression(), GetParam());
  EXPECT_EQ(h.record_count, 3);
  EXPECT_EQ(h.last_offset_delta, 2);
  EXPECT_EQ(h.base_timestamp, 1000);
  EXPECT_EQ(h.max_timestamp, 1005);
  EXPECT_EQ(h.producer_id, 42);
  EXPECT_EQ(h.producer_epoch, 3);
  EXPECT_EQ(h.base_sequence, 7);
  EXPECT_EQ(h.total_size(), data.size());

  RecordsError error;
  auto records = decode_records(batch, error);
  ASSERT_TRUE(records) << error.message;
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].key, text("k1"));
  EXPECT_EQ((*records)[0].headers.size(), 2u);
  EXPECT_EQ((*records)[0].headers[0].key, "h");
  EXPECT_EQ((*records)[0].headers[1].value, std::nullopt);
  EXPECT_EQ((*records)[1].key, std::nullopt);
  EXPECT_EQ((*records)[1].timestamp_delta, 5);
  EXPECT_EQ((*records)[2].value, std::nullopt);
  EXPECT_EQ((*records)[2].timestamp_delta, -1);
  EXPECT_EQ((*records)[2].offset_delta, 2);
}

TEST_P(BatchPerCodec, RecordViewsSeeWhatDecodeCopies) {
  const wire::Bytes data = three_records(GetParam()).build();
  const BatchView batch = only_batch(data);
  RecordsError error;
  const auto decoded = decode_records(batch, error);
  ASSERT_TRUE(decoded) << error.message;
  std::vector<Record> viewed;
  bool inside = true;  // an uncompressed batch's records are read where they lie
  ASSERT_TRUE(for_each_record(batch, error, true, [&](const RecordView& record) {
    viewed.push_back(record.to_record());
    if (record.value) inside = inside && record.value->data() >= data.data() && record.value->data() < data.data() + data.size();
  })) << error.message;
  EXPECT_EQ(viewed, *decoded);
  EXPECT_EQ(inside, GetParam() == Compression::kNone);
}

TEST(RecordBatch, ABadRecordStopsTheVisitAfterTheRecordsBeforeIt) {
  wire::Bytes data = three_records(Compression::kNone).build();
  // The third record's offset delta (one byte: zigzag 2, just before the
  // key's length, one byte, and the key "k3") becomes 7.
  const BatchView batch = only_batch(data);
  RecordsError error;
  size_t third = 0, seen = 0;
  ASSERT_TRUE(for_each_record(batch, error, true, [&](const RecordView& record) {
    if (record.offset_delta == 2) third = static_cast<size_t>(record.key->data() - data.data()) - 2;
  }));
  ASSERT_GT(third, 0u);
  ASSERT_EQ(data[third], 4);  // zigzag 2
  wire::Bytes fixed = data;
  fixed[third] = 14;  // zigzag 7
  const uint32_t crc = crc32c(std::span<const uint8_t>(fixed).subspan(21));
  for (int i = 0; i < 4; ++i) fixed[17 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
  EXPECT_FALSE(for_each_record(only_batch(fixed), error, true, [&](const RecordView&) { ++seen; }));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);
  EXPECT_EQ(error.message, "record 2 has offset delta 7");
  EXPECT_EQ(seen, 2u);
}

TEST_P(BatchPerCodec, CorruptCrcIsCorruptMessage) {
  wire::Bytes data = three_records(GetParam()).build();
  data.back() ^= 0x01;
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::CorruptMessage);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, BatchPerCodec,
                         ::testing::Values(Compression::kNone, Compression::kGzip,
                                           Compression::kSnappy, Compression::kLz4,
                                           Compression::kZstd),
                         [](const ::testing::TestParamInfo<Compression>& codec) {
                           return std::string(compression_name(codec.param));
                         });

// Rewrites part of the batch and fixes its CRC, so checks past the CRC run.
void patch_and_fix_crc(wire::Bytes& data, size_t offset, std::initializer_list<uint8_t> bytes) {
  std::copy(bytes.begin(), bytes.end(), data.begin() + static_cast<ptrdiff_t>(offset));
  const uint32_t crc = crc32c(std::span<const uint8_t>(data).subspan(kAttributesOffset));
  for (int i = 0; i < 4; ++i) data[kCrcOffset + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
}

TEST(RecordBatch, RecordCountMismatchIsInvalidRecord) {
  wire::Bytes data = three_records(Compression::kNone).build();
  patch_and_fix_crc(data, 57, {0, 0, 0, 4});  // claims 4 records, has 3
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);

  wire::Bytes fewer = three_records(Compression::kNone).build();
  patch_and_fix_crc(fewer, 57, {0, 0, 0, 2});  // claims 2, has 3: bytes left over
  EXPECT_FALSE(decode_records(only_batch(fewer), error));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);
}

TEST(RecordBatch, AbsurdRecordCountFailsWithoutAllocating) {
  wire::Bytes data = three_records(Compression::kNone).build();
  patch_and_fix_crc(data, 57, {0x7f, 0xff, 0xff, 0xff});
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);
}

TEST(RecordBatch, BadVarintInRecordIsInvalidRecord) {
  wire::Bytes data = three_records(Compression::kNone).build();
  // The first record's length varint becomes an unterminated 5+ byte run.
  patch_and_fix_crc(data, kBatchHeaderSize, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);
}

TEST(RecordBatch, RecordLengthBeyondBatchIsInvalidRecord) {
  wire::Bytes data = three_records(Compression::kNone).build();
  patch_and_fix_crc(data, kBatchHeaderSize, {0xfe, 0x0f});  // zig-zag 1023
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);
}

TEST(RecordBatch, LastOffsetDeltaMismatchIsInvalidRecord) {
  wire::Bytes data = three_records(Compression::kNone).build();
  patch_and_fix_crc(data, 23, {0, 0, 0, 5});
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::InvalidRecord);
}

TEST(RecordBatch, TruncatedBatchIsNotABatch) {
  const wire::Bytes data = three_records(Compression::kNone).build();
  for (size_t cut = 0; cut < data.size(); ++cut) {
    RecordsError error;
    size_t tail = 0;
    auto batches = split_batches(std::span<const uint8_t>(data).first(cut), error, &tail);
    EXPECT_TRUE(batches.empty()) << cut;
    if (!error) {
      EXPECT_EQ(tail, cut);
    }
  }
}

TEST(RecordBatch, TwoBatchesSplitAndTrailingTailIsReported) {
  wire::Bytes data = three_records(Compression::kNone).build();
  const wire::Bytes second = three_records(Compression::kZstd).build();
  data.insert(data.end(), second.begin(), second.end());
  data.insert(data.end(), {0, 0, 0});
  RecordsError error;
  size_t tail = 0;
  auto batches = split_batches(data, error, &tail);
  ASSERT_FALSE(error) << error.message;
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].header.compression(), Compression::kZstd);
  EXPECT_EQ(tail, 3u);
}

TEST(RecordBatch, AbsurdBatchLengthIsIgnoredAsIncomplete) {
  wire::Bytes data = three_records(Compression::kNone).build();
  data[8] = 0x7f;  // batch length ~2 GiB: more than present, so not a batch
  RecordsError error;
  EXPECT_TRUE(split_batches(data, error).empty());
  EXPECT_FALSE(error);
}

TEST(RecordBatch, NegativeOrTinyBatchLengthIsCorruptMessage) {
  for (std::initializer_list<uint8_t> length : {std::initializer_list<uint8_t>{0xff, 0xff, 0xff, 0xff},
                                                std::initializer_list<uint8_t>{0, 0, 0, 10},
                                                std::initializer_list<uint8_t>{0, 0, 0, 40}}) {
    wire::Bytes data = three_records(Compression::kNone).build();
    std::copy(length.begin(), length.end(), data.begin() + 8);
    RecordsError error;
    EXPECT_TRUE(split_batches(data, error).empty());
    EXPECT_EQ(error.code, ErrorCode::CorruptMessage) << error.message;
  }
}

TEST(RecordBatch, OldMagicIsInvalidRecordAsKafka4) {
  for (uint8_t magic : {0, 1}) {
    wire::Bytes data = three_records(Compression::kNone).build();
    data[16] = magic;
    RecordsError error;
    EXPECT_TRUE(split_batches(data, error).empty());
    EXPECT_EQ(error.code, ErrorCode::InvalidRecord) << int{magic};
  }
  wire::Bytes data = three_records(Compression::kNone).build();
  data[16] = 7;
  RecordsError error;
  split_batches(data, error);
  EXPECT_EQ(error.code, ErrorCode::CorruptMessage);
}

TEST(RecordBatch, CorruptCompressedPayloadBehindValidCrcFails) {
  wire::Bytes data = three_records(Compression::kZstd).build();
  patch_and_fix_crc(data, kBatchHeaderSize, {0x00, 0x00, 0x00, 0x00});
  RecordsError error;
  EXPECT_FALSE(decode_records(only_batch(data), error));
  EXPECT_EQ(error.code, ErrorCode::UnknownServerError);
}

TEST(RecordBatch, RewritesKeepRecordsAndCrcValid) {
  wire::Bytes data = three_records(Compression::kLz4).build();
  set_base_offset(data, 1234567);
  set_partition_leader_epoch(data, 9);
  set_log_append_time(data, 777777);
  const BatchView batch = only_batch(data);
  EXPECT_EQ(batch.header.base_offset, 1234567);
  EXPECT_EQ(batch.header.last_offset(), 1234569);
  EXPECT_EQ(batch.header.partition_leader_epoch, 9);
  EXPECT_EQ(batch.header.timestamp_type(), TimestampType::kLogAppendTime);
  EXPECT_EQ(batch.header.max_timestamp, 777777);
  EXPECT_EQ(batch.header.compression(), Compression::kLz4);
  EXPECT_FALSE(validate_batch(batch)) << validate_batch(batch).message;
}

TEST(RecordBatch, EmptyBuilderMakesAValidEmptyBatch) {
  BatchBuilder builder;
  const wire::Bytes data = builder.build();
  EXPECT_EQ(data.size(), kBatchHeaderSize);
  EXPECT_FALSE(validate_batch(only_batch(data)));
}

}  // namespace
}  // namespace kafkalite::records
