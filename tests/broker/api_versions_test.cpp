// ApiVersions: exactly the implemented APIs, each with the range a real
// Kafka 4.1.1 advertised (read from the golden capture); unsupported
// versions answered in v0; unknown keys close the connection.
#include <fstream>

#include "broker/api/handlers.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

// What Kafka 4.1.1 told the Java client, from the captured frame.
ApiVersionsResponse real_kafka_api_versions() {
  // (Appended rather than concatenated: GCC 12 misreports the latter.)
  std::string path = KAFKALITE_GOLDEN_DIR;
  path += "/java/000_ApiVersions_v4_response.bin";
  std::ifstream in(path, std::ios::binary);
  wire::Bytes file(std::istreambuf_iterator<char>(in), {});
  ApiVersionsResponse response;
  ResponseHeader header;
  std::string error;
  EXPECT_TRUE(decode_response_frame<ApiVersionsApi>(std::span<const uint8_t>(file).subspan(4), 4,
                                                    header, response, error))
      << error;
  return response;
}

TEST_F(BrokerTest, ApiVersionsAdvertisesKafkasRangesForImplementedApis) {
  auto c = connect();
  const auto ours = c.request<ApiVersionsApi>(api_versions_request(), 3);
  const auto real = real_kafka_api_versions();
  ASSERT_FALSE(real.api_keys.empty());
  EXPECT_EQ(ours.error_code, ErrorCode::None);
  EXPECT_GE(ours.api_keys.size(), 11u);
  for (const auto& mine : ours.api_keys) {
    bool found = false;
    for (const auto& theirs : real.api_keys) {
      if (theirs.api_key != mine.api_key) continue;
      found = true;
      EXPECT_EQ(mine.min_version, theirs.min_version) << "api " << mine.api_key;
      EXPECT_EQ(mine.max_version, theirs.max_version) << "api " << mine.api_key;
    }
    EXPECT_TRUE(found) << "kafkalite advertises api " << mine.api_key << ", Kafka 4.1.1 does not";
  }
}

TEST_F(BrokerTest, ApiVersionsAtUnsupportedVersionGetsV0UnsupportedVersion) {
  auto c = connect();
  wire::Writer w;
  const size_t start = begin_frame(w);
  w.write_int16(18);
  w.write_int16(99);
  w.write_int32(7);
  w.write_string("future-client", false);
  w.write_unsigned_varint(0);
  w.write_unsigned_varint(0);  // an empty body, as a v3+ body would end
  finish_frame(w, start);
  c.send_frame(w.bytes());
  const auto frame = c.receive_frame();
  ApiVersionsResponse response;
  ResponseHeader header;
  std::string error;
  ASSERT_TRUE(decode_response_frame<ApiVersionsApi>(frame, 0, header, response, error)) << error;
  EXPECT_EQ(header.correlation_id, 7);
  EXPECT_EQ(response.error_code, ErrorCode::UnsupportedVersion);
  ASSERT_EQ(response.api_keys.size(), 1u);
  EXPECT_EQ(response.api_keys[0].api_key, 18);
  EXPECT_EQ(response.api_keys[0].max_version, 4);
}

TEST_F(BrokerTest, UnknownApiKeyClosesTheConnectionOthersKeepWorking) {
  auto bystander = connect();
  auto c = connect();
  wire::Writer w;
  const size_t start = begin_frame(w);
  w.write_int16(4);  // LeaderAndIsr: not served on a KRaft client listener
  w.write_int16(0);
  w.write_int32(1);
  w.write_int16(-1);
  finish_frame(w, start);
  c.send_frame(w.bytes());
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(10)));
  EXPECT_EQ(bystander.request<ApiVersionsApi>(api_versions_request(), 3).error_code, ErrorCode::None);
}

TEST_F(BrokerTest, UnsupportedVersionOfOtherApiClosesTheConnection) {
  auto c = connect();
  wire::Writer w;
  const size_t start = begin_frame(w);
  w.write_int16(3);   // Metadata
  w.write_int16(14);  // newer than 13
  w.write_int32(1);
  w.write_int16(-1);
  w.write_unsigned_varint(0);
  finish_frame(w, start);
  c.send_frame(w.bytes());
  EXPECT_TRUE(c.closed_by_peer(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace kafkalite::testing
