// Framing and headers: size checks, header versions, unknown keys and versions.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "common/protocol/frame.h"
#include "common/protocol/generated/error_code.h"
#include "common/protocol/generated/messages/api_versions.h"
#include "common/protocol/generated/messages/fetch.h"
#include "common/protocol/generated/messages/metadata.h"

namespace kafkalite::protocol {
namespace {

TEST(FrameSize, NegativeAndOversizeAreRefused) {
  EXPECT_EQ(check_frame_size(-1, kDefaultMaxRequestBytes), FrameSizeStatus::kNegative);
  EXPECT_EQ(check_frame_size(kDefaultMaxRequestBytes + 1, kDefaultMaxRequestBytes),
            FrameSizeStatus::kTooLarge);
  EXPECT_EQ(check_frame_size(kDefaultMaxRequestBytes, kDefaultMaxRequestBytes),
            FrameSizeStatus::kOk);
  EXPECT_EQ(check_frame_size(0, kDefaultMaxRequestBytes), FrameSizeStatus::kOk);
}

TEST(RequestHeader, FlexibleRequestUsesHeaderV2) {
  MetadataRequest request;
  request.topics.emplace();
  const auto frame = encode_request_frame<MetadataApi>(request, 12, 77, "client-a");
  auto parsed = parse_request_header(std::span<const uint8_t>(frame).subspan(4));
  ASSERT_TRUE(parsed.parsed) << parsed.error;
  EXPECT_EQ(parsed.parsed->header_version, 2);
  EXPECT_EQ(parsed.parsed->header.correlation_id, 77);
  EXPECT_EQ(parsed.parsed->header.client_id, "client-a");
  EXPECT_TRUE(parsed.parsed->version_supported);
  MetadataRequest decoded;
  std::string error;
  ASSERT_TRUE(decode_request_body<MetadataApi>(std::span<const uint8_t>(frame).subspan(4),
                                               *parsed.parsed, decoded, error))
      << error;
  EXPECT_TRUE(decoded == request);
}

TEST(RequestHeader, ClientIdKeepsTheClassicEncodingInV2) {
  // Kafka reads the client id with an int16 length even in header v2, so old
  // brokers can read any ApiVersions request.
  const auto frame = encode_request_frame<ApiVersionsApi>(ApiVersionsRequest{}, 3, 1, "ab");
  // size(4) key(2) version(2) correlation(4) then int16 length 2, 'a', 'b', tags 0
  const wire::Bytes expected_header_tail{0x00, 0x02, 'a', 'b', 0x00};
  EXPECT_TRUE(std::equal(expected_header_tail.begin(), expected_header_tail.end(),
                         frame.begin() + 12));
}

TEST(RequestHeader, NullClientId) {
  const auto frame = encode_request_frame<MetadataApi>(MetadataRequest{}, 4, 5, std::nullopt);
  auto parsed = parse_request_header(std::span<const uint8_t>(frame).subspan(4));
  ASSERT_TRUE(parsed.parsed);
  EXPECT_EQ(parsed.parsed->header_version, 1);
  EXPECT_EQ(parsed.parsed->header.client_id, std::nullopt);
}

TEST(RequestHeader, UnknownKeyAndUnsupportedVersionAreReported) {
  wire::Writer w;
  w.write_int16(9999);  // no such API
  w.write_int16(0);
  w.write_int32(3);
  w.write_int16(-1);
  auto unknown = parse_request_header(w.bytes());
  ASSERT_TRUE(unknown.parsed);
  EXPECT_EQ(unknown.parsed->api, nullptr);
  EXPECT_EQ(unknown.parsed->header.correlation_id, 3);

  // ApiVersions v127 from a future client: the header is still readable, so
  // the broker can answer UNSUPPORTED_VERSION with the right correlation id.
  wire::Writer future;
  future.write_int16(18);
  future.write_int16(127);
  future.write_int32(42);
  future.write_string("future", false);
  future.write_unsigned_varint(0);
  auto parsed = parse_request_header(future.bytes());
  ASSERT_TRUE(parsed.parsed) << parsed.error;
  EXPECT_FALSE(parsed.parsed->version_supported);
  EXPECT_EQ(parsed.parsed->header.correlation_id, 42);
  EXPECT_EQ(parsed.parsed->header.client_id, "future");
}

TEST(RequestHeader, TruncatedHeaderFails) {
  const wire::Bytes three{0x00, 0x12, 0x00};
  EXPECT_FALSE(parse_request_header(three).parsed);
  const wire::Bytes no_client_id{0x00, 0x03, 0x00, 0x04, 0, 0, 0, 1, 0x00};
  EXPECT_FALSE(parse_request_header(no_client_id).parsed);
}

TEST(ResponseHeader, ApiVersionsAlwaysUsesV0) {
  EXPECT_EQ(ApiVersionsApi::response_header_version(4), 0);
  EXPECT_EQ(find_api(18)->response_header_version(4), 0);
  EXPECT_EQ(MetadataApi::response_header_version(9), 1);
  EXPECT_EQ(MetadataApi::response_header_version(8), 0);
  ApiVersionsResponse response;
  response.error_code = static_cast<ErrorCode>(35);
  const auto frame = encode_response_frame<ApiVersionsApi>(response, 0, 9);
  // size, correlation id, then the body right away: no tagged fields in header v0.
  EXPECT_EQ(frame.size(), 4u + 4u + 2u + 4u);
  ApiVersionsResponse decoded;
  ResponseHeader header;
  std::string error;
  ASSERT_TRUE(decode_response_frame<ApiVersionsApi>(std::span<const uint8_t>(frame).subspan(4), 0,
                                                    header, decoded, error))
      << error;
  EXPECT_EQ(header.correlation_id, 9);
  EXPECT_EQ(decoded.error_code, static_cast<ErrorCode>(35));
}

TEST(ResponseFrame, TrailingBytesAreAnError) {
  auto frame = encode_response_frame<MetadataApi>(MetadataResponse{}, 12, 1);
  frame.push_back(0);
  MetadataResponse decoded;
  ResponseHeader header;
  std::string error;
  EXPECT_FALSE(decode_response_frame<MetadataApi>(std::span<const uint8_t>(frame).subspan(4), 12,
                                                  header, decoded, error));
  EXPECT_NE(error.find("trailing"), std::string::npos);
}

TEST(RequestFrame, TrailingBytesAreIgnoredAsKafkaIgnoresThem) {
  MetadataRequest request;
  request.topics = std::nullopt;
  auto frame = encode_request_frame<MetadataApi>(request, 13, 3, "librdkafka");
  // What librdkafka 2.16 sends for "all topics" (a real Kafka 4.1.1 answers it).
  frame.insert(frame.end(), {0x01, 0x00, 0x00});
  const std::span<const uint8_t> body = std::span<const uint8_t>(frame).subspan(4);
  auto header = parse_request_header(body);
  ASSERT_TRUE(header.parsed);
  MetadataRequest decoded;
  std::string error;
  size_t trailing = 0;
  ASSERT_TRUE(decode_request_body<MetadataApi>(body, *header.parsed, decoded, error, &trailing)) << error;
  EXPECT_EQ(trailing, 3u);
  EXPECT_FALSE(decoded.topics.has_value());
}

TEST(ApiTable, ListsTheBrokerApisWithKafkasRanges) {
  EXPECT_EQ(all_apis().size(), 77u);
  const ApiInfo* produce = find_api(0);
  ASSERT_NE(produce, nullptr);
  EXPECT_EQ(produce->min_version, 3);
  EXPECT_EQ(produce->max_version, 13);
  EXPECT_EQ(produce->first_flexible_version, 9);
  const ApiInfo* offset_commit = find_api(8);
  ASSERT_NE(offset_commit, nullptr);
  EXPECT_EQ(offset_commit->max_stable_version, offset_commit->max_version - 1);
  EXPECT_EQ(find_api(4), nullptr) << "LeaderAndIsr is not a client-listener API in KRaft";
  EXPECT_EQ(error_name(ErrorCode::UnknownTopicOrPartition), "UNKNOWN_TOPIC_OR_PARTITION");
  EXPECT_EQ(static_cast<int16_t>(ErrorCode::UnsupportedVersion), 35);
  EXPECT_TRUE(error_is_retriable(ErrorCode::NotLeaderOrFollower));
}

// A fetch response with three partitions: a large records field, a small
// one and a null one.
FetchResponse fetch_response() {
  FetchResponse response;
  auto& topic = response.responses.emplace_back();
  topic.topic = "t";
  for (size_t size : {size_t{40000}, size_t{100}}) {
    auto& p = topic.partitions.emplace_back();
    p.partition_index = static_cast<int32_t>(topic.partitions.size());
    p.records.data.emplace(size);
    for (size_t i = 0; i < size; ++i) (*p.records.data)[i] = static_cast<uint8_t>(i * 7 + size);
  }
  topic.partitions.emplace_back().partition_index = 9;
  return response;
}

TEST(OutFrame, BorrowedRecordsGoOutAsTheCopiedFrameWould) {
  const FetchResponse response = fetch_response();
  for (int16_t version : {int16_t{4}, int16_t{12}, int16_t{17}}) {
    const wire::Bytes copied = encode_response_frame<FetchApi>(response, version, 42);
    const wire::OutFrame borrowed = encode_response_out_frame<FetchApi>(response, version, 42, 16 * 1024);
    // Only the 40000-byte records are borrowed, and point into the response.
    ASSERT_EQ(borrowed.borrowed.size(), 1u) << "v" << version;
    EXPECT_EQ(borrowed.borrowed[0].data.data(), response.responses[0].partitions[0].records.data->data());
    EXPECT_EQ(borrowed.size(), copied.size());
    EXPECT_EQ(borrowed.flatten(), copied) << "v" << version;
    wire::Bytes pieces;
    borrowed.for_each_piece([&](const uint8_t* data, size_t size) { pieces.insert(pieces.end(), data, data + size); },
                            [](const wire::FileBytes&) { ADD_FAILURE() << "no file bytes here"; });
    EXPECT_EQ(pieces, copied);
  }
}

// A temporary file holding `bytes`, open for reading.
std::shared_ptr<const wire::OpenFile> file_holding(const wire::Bytes& bytes) {
  char path[] = "/tmp/kafkalite-frame-test-XXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::unlink(path);  // read through the descriptor, as a deleted log file is
  return std::make_shared<const wire::OpenFile>(fd);
}

TEST(OutFrame, RecordsInAFileGoOutAsTheSameBytesInMemoryWould) {
  // The first partition's 40000 bytes: 100 in memory, 30000 from a file, the rest in memory.
  const FetchResponse in_memory = fetch_response();
  const wire::Bytes& all = *in_memory.responses[0].partitions[0].records.data;
  wire::Bytes file_content(5, 0xEE);  // the file's bytes start after 5 that are not sent
  file_content.insert(file_content.end(), all.begin() + 100, all.begin() + 30100);
  FetchResponse split = in_memory;
  wire::Records& records = split.responses[0].partitions[0].records;
  records.data = wire::Bytes(all.begin(), all.begin() + 100);
  records.data->insert(records.data->end(), all.begin() + 30100, all.end());
  records.files.push_back({100, {file_holding(file_content), 5, 30000}});
  EXPECT_EQ(records.size(), all.size());
  EXPECT_EQ(records.whole(), all);
  for (int16_t version : {int16_t{4}, int16_t{12}, int16_t{17}}) {
    const wire::Bytes copied = encode_response_frame<FetchApi>(in_memory, version, 42);
    // Not borrowing: the file's bytes are read into the frame.
    EXPECT_EQ(encode_response_frame<FetchApi>(split, version, 42), copied) << "v" << version;
    const wire::OutFrame borrowed = encode_response_out_frame<FetchApi>(split, version, 42, 16 * 1024);
    EXPECT_EQ(borrowed.size(), copied.size());
    EXPECT_EQ(borrowed.flatten(), copied) << "v" << version;
    wire::Bytes pieces;
    size_t files = 0;
    borrowed.for_each_piece([&](const uint8_t* data, size_t size) { pieces.insert(pieces.end(), data, data + size); },
                            [&](const wire::FileBytes& file) {
                              ++files;
                              const size_t at = pieces.size();
                              pieces.resize(at + file.length);
                              EXPECT_TRUE(file.read_into(pieces.data() + at));
                            });
    EXPECT_EQ(files, 1u);
    EXPECT_EQ(pieces, copied) << "v" << version;
  }
  // A file cut short is an error, not a frame with a hole.
  records.files[0].bytes.length = 40000;
  EXPECT_EQ(records.whole(), std::nullopt);
  EXPECT_THROW(encode_response_frame<FetchApi>(split, 12, 42), std::runtime_error);
}

TEST(OutFrame, NothingBelowTheThresholdIsBorrowed) {
  const FetchResponse response = fetch_response();
  const wire::OutFrame frame = encode_response_out_frame<FetchApi>(response, 12, 7, 1 << 20);
  EXPECT_TRUE(frame.borrowed.empty());
  EXPECT_EQ(frame.bytes, encode_response_frame<FetchApi>(response, 12, 7));
}

}  // namespace
}  // namespace kafkalite::protocol
