// Real frames captured between real clients (kafka-python, librdkafka, the
// Java client) and a real Kafka 4.1.1 broker (see tests/protocol/golden/).
// Every request and response must decode and re-encode to the very same
// bytes, and every record batch inside must validate.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/protocol/frame.h"
#include "common/protocol/generated/visit_api.h"
#include "common/records/record_batch.h"

namespace kafkalite::protocol {
namespace {

namespace fs = std::filesystem;

struct GoldenFrame {
  std::string name;  // client/NNN_Api_vV_direction
  fs::path path;
  fs::path request_path;  // the request of this exchange (itself for requests)
  bool is_request = false;
};

// Splits "NNN_Api_vV_direction.bin" into its parts; false for other names.
bool parse_name(const std::string& filename, std::string& number, std::string& api,
                std::string& version, std::string& direction) {
  const std::string suffix = ".bin";
  if (!filename.ends_with(suffix)) return false;
  const std::string stem = filename.substr(0, filename.size() - suffix.size());
  const size_t first = stem.find('_');
  const size_t last = stem.rfind('_');
  const size_t version_at = stem.rfind("_v", last - 1);
  if (first == std::string::npos || version_at == std::string::npos || version_at <= first) {
    return false;
  }
  number = stem.substr(0, first);
  api = stem.substr(first + 1, version_at - first - 1);
  version = stem.substr(version_at + 2, last - version_at - 2);
  direction = stem.substr(last + 1);
  return direction == "request" || direction == "response";
}

std::vector<GoldenFrame> all_golden_frames() {
  std::vector<GoldenFrame> frames;
  for (const auto& client : fs::directory_iterator(KAFKALITE_GOLDEN_DIR)) {
    if (!client.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(client.path())) {
      std::string number, api, version, direction;
      if (!parse_name(file.path().filename().string(), number, api, version, direction)) continue;
      GoldenFrame frame;
      frame.name = client.path().filename().string() + "_" + number + "_" + api + "_v" + version +
                   "_" + direction;
      std::replace(frame.name.begin(), frame.name.end(), '-', '_');
      frame.path = file.path();
      frame.is_request = direction == "request";
      frame.request_path = client.path() / (number + "_" + api + "_v" + version + "_request.bin");
      frames.push_back(frame);
    }
  }
  std::sort(frames.begin(), frames.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return frames;
}

wire::Bytes read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return wire::Bytes(std::istreambuf_iterator<char>(in), {});
}

// The frame without its size prefix, after checking the prefix.
std::span<const uint8_t> unframe(const wire::Bytes& file) {
  EXPECT_GE(file.size(), kFrameSizeBytes);
  const int32_t size = read_frame_size(std::span<const uint8_t, 4>(file.data(), 4));
  EXPECT_EQ(static_cast<size_t>(size), file.size() - kFrameSizeBytes);
  return std::span<const uint8_t>(file).subspan(kFrameSizeBytes);
}

int expect_valid_batches(const wire::Records& records) {
  if (!records.data || records.data->empty()) return 0;
  records::RecordsError error;
  auto batches = records::split_batches(*records.data, error);
  EXPECT_FALSE(error) << error.message;
  int count = 0;
  for (const auto& batch : batches) {
    auto decoded = records::decode_records(batch, error);
    EXPECT_TRUE(decoded) << error.message;
    if (decoded) count += static_cast<int>(decoded->size());
  }
  return count;
}

void check_records(const ProduceRequest& request) {
  for (const auto& topic : request.topic_data) {
    for (const auto& partition : topic.partition_data) {
      EXPECT_EQ(expect_valid_batches(partition.records), 3) << "each client produced 3 records";
    }
  }
}
void check_records(const FetchResponse& response) {
  for (const auto& topic : response.responses) {
    for (const auto& partition : topic.partitions) expect_valid_batches(partition.records);
  }
}
template <typename T>
void check_records(const T&) {}

class GoldenFrames : public ::testing::TestWithParam<GoldenFrame> {};

TEST_P(GoldenFrames, DecodeAndReencodeToTheSameBytes) {
  const GoldenFrame& golden = GetParam();
  const wire::Bytes request_file = read_file(golden.request_path);
  const auto request_frame = unframe(request_file);
  auto header = parse_request_header(request_frame);
  ASSERT_TRUE(header.parsed) << header.error;
  const ParsedRequestHeader& parsed = *header.parsed;
  ASSERT_NE(parsed.api, nullptr);
  ASSERT_TRUE(parsed.version_supported);
  const int16_t version = parsed.header.request_api_version;

  const bool known = visit_api(parsed.header.request_api_key, [&]<typename Api>() {
    wire::Writer w;
    const size_t start = begin_frame(w);
    if (golden.is_request) {
      typename Api::Request request;
      std::string error;
      ASSERT_TRUE(decode_request_body<Api>(request_frame, parsed, request, error)) << error;
      parsed.header.encode(w, parsed.header_version);
      request.encode(w, version);
      check_records(request);
    } else {
      const wire::Bytes file = read_file(golden.path);
      ResponseHeader response_header;
      typename Api::Response response;
      std::string error;
      ASSERT_TRUE(
          decode_response_frame<Api>(unframe(file), version, response_header, response, error))
          << error;
      EXPECT_EQ(response_header.correlation_id, parsed.header.correlation_id);
      response_header.encode(w, Api::response_header_version(version));
      response.encode(w, version);
      check_records(response);
    }
    finish_frame(w, start);
    EXPECT_EQ(w.bytes(), read_file(golden.path)) << "re-encoding differs from the real bytes";
  });
  EXPECT_TRUE(known);
}

INSTANTIATE_TEST_SUITE_P(RealClients, GoldenFrames, ::testing::ValuesIn(all_golden_frames()),
                         [](const ::testing::TestParamInfo<GoldenFrame>& frame) {
                           return frame.param.name;
                         });

TEST(GoldenFrames, EveryClientIsCaptured) {
  std::map<std::string, int> per_client;
  for (const auto& frame : all_golden_frames()) {
    ++per_client[frame.path.parent_path().filename().string()];
  }
  EXPECT_GE(per_client["java"], 20);
  EXPECT_GE(per_client["kafka-python"], 20);
  EXPECT_GE(per_client["librdkafka"], 20);
}

}  // namespace
}  // namespace kafkalite::protocol
