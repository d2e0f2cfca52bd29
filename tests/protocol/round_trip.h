// The round trip every generated message goes through at every version.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/protocol/generated/samples.h"

namespace kafkalite::protocol {

struct RoundTripCase {
  std::string message;
  int16_t version;
  void (*run)(int16_t version);
};

std::vector<RoundTripCase> all_round_trip_cases();

template <typename T>
wire::Bytes encode_message(const T& message, int16_t version) {
  wire::Writer w;
  message.encode(w, version);
  return w.take();
}

// A message with every field of the version set: encode, decode, compare,
// re-encode byte for byte; then the all-defaults message; then every strict
// prefix of the encoding must be rejected, not misread.
template <typename T>
void round_trip(int16_t version) {
  T sample;
  fill_sample(sample, version);
  const wire::Bytes bytes = encode_message(sample, version);

  T decoded;
  wire::Reader reader(bytes);
  ASSERT_TRUE(decoded.decode(reader, version)) << reader.error();
  EXPECT_TRUE(reader.at_end()) << reader.remaining() << " bytes left over";
  EXPECT_TRUE(decoded == sample);
  EXPECT_EQ(encode_message(decoded, version), bytes);

  const T defaults{};
  const wire::Bytes default_bytes = encode_message(defaults, version);
  T decoded_defaults;
  wire::Reader default_reader(default_bytes);
  ASSERT_TRUE(decoded_defaults.decode(default_reader, version)) << default_reader.error();
  EXPECT_EQ(encode_message(decoded_defaults, version), default_bytes);

  for (size_t length = 0; length < bytes.size(); ++length) {
    T truncated;
    wire::Reader prefix_reader(std::span<const uint8_t>(bytes.data(), length));
    EXPECT_FALSE(truncated.decode(prefix_reader, version)) << "prefix of " << length << " bytes";
  }
}

}  // namespace kafkalite::protocol
