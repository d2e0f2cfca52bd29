#include <string_view>

#include "common/protocol/wire/types.h"

namespace kafkalite::wire {
namespace {
// Kafka prints Uuids with the URL-safe base64 alphabet and no padding.
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

std::string Uuid::to_base64() const {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<Uuid> Uuid::from_base64(std::string_view text) {
  if (text.size() != 22) return std::nullopt;
  Uuid id;
  uint32_t acc = 0;
  int bits = 0;
  size_t out = 0;
  for (char c : text) {
    auto index = kAlphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(index);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out < 16) id.bytes[out++] = static_cast<uint8_t>(acc >> bits);
    }
  }
  // The two bits left over must be zero for a canonical encoding.
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return id;
}

}  // namespace kafkalite::wire
