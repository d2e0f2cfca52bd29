// The wire primitives: varints, lengths, bounds checks, Uuid text form.
#include <gtest/gtest.h>

#include <limits>

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::wire {
namespace {

TEST(Varint, ZigZagEdgesRoundTrip) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{63}, int64_t{-64}, int64_t{64},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    Writer w;
    w.write_varlong(v);
    EXPECT_EQ(w.size(), varlong_size(v));
    Reader r(w.bytes());
    EXPECT_EQ(r.read_varlong(), v);
    EXPECT_TRUE(r.ok() && r.at_end());
  }
  for (int32_t v : {0, -1, 1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()}) {
    Writer w;
    w.write_varint(v);
    Reader r(w.bytes());
    EXPECT_EQ(r.read_varint(), v);
    EXPECT_TRUE(r.ok() && r.at_end());
  }
}

TEST(Varint, KnownEncodings) {
  Writer w;
  w.write_varint(-1);   // zig-zag 1
  w.write_varint(150);  // zig-zag 300 = 0xac 0x02
  w.write_unsigned_varint(300);
  EXPECT_EQ(w.bytes(), (Bytes{0x01, 0xac, 0x02, 0xac, 0x02}));
}

TEST(Varint, TooLongIsRejected) {
  const Bytes six_bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  Reader r(six_bytes);
  r.read_unsigned_varint();
  EXPECT_FALSE(r.ok());
  const Bytes eleven(11, 0xff);
  Reader r2(eleven);
  r2.read_varlong();
  EXPECT_FALSE(r2.ok());
}

TEST(Varint, TruncatedIsRejected) {
  const Bytes cut{0x80, 0x80};
  Reader r(cut);
  r.read_varint();
  EXPECT_FALSE(r.ok());
}

TEST(Reader, LengthsBeyondInputFailBeforeAllocating) {
  // A string claiming 32767 bytes, an array claiming 2^31-1 elements, bytes
  // claiming 2 GiB: all fail on the length check alone.
  const Bytes huge_string{0x7f, 0xff, 'a'};
  Reader r1(huge_string);
  r1.read_string(false);
  EXPECT_FALSE(r1.ok());
  const Bytes huge_array{0x7f, 0xff, 0xff, 0xff, 0};
  Reader r2(huge_array);
  EXPECT_EQ(r2.read_array_length(false), -1);
  EXPECT_FALSE(r2.ok());
  const Bytes huge_compact_bytes{0xff, 0xff, 0xff, 0xff, 0x07};
  Reader r3(huge_compact_bytes);
  r3.read_bytes(true);
  EXPECT_FALSE(r3.ok());
}

TEST(Reader, NullHandling) {
  Writer w;
  w.write_nullable_string(std::nullopt, false);
  w.write_nullable_string(std::nullopt, true);
  w.write_nullable_bytes(std::nullopt, true);
  w.write_string("", true);
  EXPECT_EQ(w.bytes(), (Bytes{0xff, 0xff, 0x00, 0x00, 0x01}));
  Reader r(w.bytes());
  EXPECT_EQ(r.read_nullable_string(false), std::nullopt);
  EXPECT_EQ(r.read_nullable_string(true), std::nullopt);
  EXPECT_EQ(r.read_nullable_bytes(true), std::nullopt);
  EXPECT_EQ(r.read_string(true), "");
  EXPECT_TRUE(r.ok() && r.at_end());

  const Bytes null_string{0xff, 0xff};
  Reader r2(null_string);
  r2.read_string(false);
  EXPECT_FALSE(r2.ok()) << "a null where a string is required is an error";
  const Bytes below_null{0xff, 0xfe};
  Reader r3(below_null);
  r3.read_nullable_string(false);
  EXPECT_FALSE(r3.ok()) << "length -2 is invalid";
}

TEST(Reader, FirstErrorSticks) {
  const Bytes one{0x01};
  Reader r(one);
  r.read_int32();
  const std::string first = r.error();
  r.read_int64();
  EXPECT_EQ(r.error(), first);
  EXPECT_EQ(r.read_int8(), 0);
}

TEST(Reader, TaggedFieldsMustBeAscending) {
  Writer w;
  w.write_unsigned_varint(2);
  w.write_tagged_field(5, Bytes{1});
  w.write_tagged_field(3, Bytes{1});
  Reader r(w.bytes());
  UnknownTaggedFields unknown;
  r.read_tagged_fields(unknown, [](uint32_t, Reader&) { return false; });
  EXPECT_FALSE(r.ok());
}

TEST(Uuid, Base64MatchesKafka) {
  // Kafka prints Uuid(0x0123456789abcdef, 0xfedcba9876543210) as "ASNFZ4mrze_-3LqYdlQyEA".
  Uuid id{{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54,
           0x32, 0x10}};
  EXPECT_EQ(id.to_base64(), "ASNFZ4mrze_-3LqYdlQyEA");
  EXPECT_EQ(Uuid::from_base64("ASNFZ4mrze_-3LqYdlQyEA"), id);
  EXPECT_EQ(Uuid::zero().to_base64(), "AAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_FALSE(Uuid::from_base64("not-a-uuid"));
  EXPECT_FALSE(Uuid::from_base64("ASNFZ4mrze_-3LqYdlQyEB"));  // non-zero spare bits
}

}  // namespace
}  // namespace kafkalite::wire
