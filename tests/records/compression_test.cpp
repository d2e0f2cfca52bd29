// Each codec both ways, Kafka's framing choices, and hostile inputs.
#include <gtest/gtest.h>

#include "common/records/compression.h"

namespace kafkalite::records {
namespace {

wire::Bytes sample_payload(size_t n) {
  wire::Bytes data(n);
  for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>((i * 31) % 251);
  return data;
}

class CodecTest : public ::testing::TestWithParam<Compression> {};

TEST_P(CodecTest, RoundTripsSmallAndMultiBlockInputs) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{200000}}) {
    const auto input = sample_payload(n);
    const auto packed = compress(GetParam(), input);
    std::string error;
    auto unpacked = decompress(GetParam(), packed, size_t{1} << 30, error);
    ASSERT_TRUE(unpacked) << compression_name(GetParam()) << " n=" << n << ": " << error;
    EXPECT_EQ(*unpacked, input);
  }
}

TEST_P(CodecTest, RefusesOutputBeyondTheLimit) {
  const auto input = sample_payload(100000);
  const auto packed = compress(GetParam(), input);
  std::string error;
  EXPECT_FALSE(decompress(GetParam(), packed, 50000, error));
  EXPECT_NE(error.find("limit"), std::string::npos) << error;
}

// Truncation and garbage only mean something for the codecs with framing.
class FramedCodecTest : public ::testing::TestWithParam<Compression> {};

TEST_P(FramedCodecTest, TruncatedInputFails) {
  const auto input = sample_payload(100000);
  auto packed = compress(GetParam(), input);
  packed.resize(packed.size() / 2);
  std::string error;
  EXPECT_FALSE(decompress(GetParam(), packed, size_t{1} << 30, error));
  EXPECT_FALSE(error.empty());
}

TEST_P(FramedCodecTest, GarbageFails) {
  const wire::Bytes garbage{0xde, 0xad, 0xbe, 0xef, 0x00, 0x11, 0x22, 0x33, 0x44};
  std::string error;
  EXPECT_FALSE(decompress(GetParam(), garbage, size_t{1} << 30, error));
}

std::string codec_name(const ::testing::TestParamInfo<Compression>& codec) {
  return std::string(compression_name(codec.param));
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, CodecTest,
                         ::testing::Values(Compression::kNone, Compression::kGzip,
                                           Compression::kSnappy, Compression::kLz4,
                                           Compression::kZstd),
                         codec_name);
INSTANTIATE_TEST_SUITE_P(Compressed, FramedCodecTest,
                         ::testing::Values(Compression::kGzip, Compression::kSnappy,
                                           Compression::kLz4, Compression::kZstd),
                         codec_name);

TEST(Snappy, WritesXerialFramingAsTheJavaClient) {
  const auto packed = compress(Compression::kSnappy, sample_payload(10));
  ASSERT_GE(packed.size(), 16u);
  const wire::Bytes header(packed.begin(), packed.begin() + 16);
  EXPECT_EQ(header, (wire::Bytes{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1}));
}

TEST(Snappy, ReadsRawSnappyAsLibrdkafkaWrites) {
  // Raw snappy of "aaaa": uncompressed length 4, then a 4-byte literal.
  const wire::Bytes raw{0x04, 0x0c, 'a', 'a', 'a', 'a'};
  std::string error;
  auto out = decompress(Compression::kSnappy, raw, 100, error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ(*out, (wire::Bytes{'a', 'a', 'a', 'a'}));
}

TEST(Lz4, WritesIndependent64KiBBlocksAsKafka) {
  const auto packed = compress(Compression::kLz4, sample_payload(10));
  ASSERT_GE(packed.size(), 7u);
  EXPECT_EQ(packed[0], 0x04);  // magic 0x184D2204, little-endian
  EXPECT_EQ(packed[3], 0x18);
  EXPECT_EQ(packed[4], 0x60);  // FLG: version 01, independent blocks, no checksums
  EXPECT_EQ(packed[5], 0x40);  // BD: 64 KiB blocks
}

TEST(Lz4, RejectsDependentBlocksAsKafka) {
  auto packed = compress(Compression::kLz4, sample_payload(10));
  packed[4] &= static_cast<uint8_t>(~0x20);
  std::string error;
  EXPECT_FALSE(decompress(Compression::kLz4, packed, 1000, error));
  EXPECT_NE(error.find("dependent"), std::string::npos);
}

TEST(Gzip, WritesTheGzipContainer) {
  const auto packed = compress(Compression::kGzip, sample_payload(10));
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(packed[0], 0x1f);
  EXPECT_EQ(packed[1], 0x8b);
}

TEST(CompressionNames, AreKafkas) {
  EXPECT_EQ(compression_from_name("zstd"), Compression::kZstd);
  EXPECT_EQ(compression_from_name("producer"), std::nullopt);
}

}  // namespace
}  // namespace kafkalite::records
