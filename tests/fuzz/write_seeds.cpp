// Writes seed inputs for the fuzzers: a record batch per codec, and one
// request frame per API at its newest version (defaults plus a topic name).
#include <cstdio>
#include <fstream>
#include <string>

#include "common/protocol/frame.h"
#include "common/protocol/generated/visit_api.h"
#include "common/records/record_batch.h"

using namespace kafkalite;

namespace {
void write(const std::string& path, const wire::Bytes& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s RECORD_BATCH_DIR REQUEST_FRAME_DIR\n", argv[0]);
    return 2;
  }
  for (auto codec : {records::Compression::kNone, records::Compression::kGzip,
                     records::Compression::kSnappy, records::Compression::kLz4,
                     records::Compression::kZstd}) {
    records::BatchBuilder builder;
    builder.compression = codec;
    builder.add(1, wire::Bytes{'k'}, wire::Bytes{'v', '1'}, {{"h", wire::Bytes{'x'}}});
    builder.add(2, std::nullopt, wire::Bytes{'v', '2'});
    write(std::string(argv[1]) + "/" + std::string(records::compression_name(codec)),
          builder.build());
  }
  for (const auto& api : protocol::all_apis()) {
    protocol::visit_api(static_cast<int16_t>(api.key), [&]<typename Api>() {
      for (int16_t v = Api::min_version; v <= Api::max_version; ++v) {
        auto frame = protocol::encode_request_frame<Api>(typename Api::Request{}, v, 1, "seed");
        frame.erase(frame.begin(), frame.begin() + 4);  // fuzzers take the frame without its size
        write(std::string(argv[2]) + "/" + std::string(Api::name) + "_v" + std::to_string(v), frame);
      }
    });
  }
  return 0;
}
