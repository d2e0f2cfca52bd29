// The few cryptographic primitives SASL needs, on OpenSSL's libcrypto (from
// Debian; Boost.Asio's TLS streams use the same library). Nothing here is
// hand-rolled but base64's handling of padding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkalite::security::crypto {

enum class Hash { kSha256, kSha512 };

size_t digest_size(Hash hash);
std::string digest(Hash hash, std::string_view data);
std::string hmac(Hash hash, std::string_view key, std::string_view data);
// PBKDF2 with HMAC: SCRAM's Hi(password, salt, iterations).
std::string pbkdf2(Hash hash, std::string_view password, std::string_view salt, int iterations);
// Bytes from the system's cryptographically secure generator.
std::string random_bytes(size_t count);
// Compares in time that does not depend on where the inputs differ.
bool equal_constant_time(std::string_view a, std::string_view b);

std::string base64_encode(std::string_view bytes);
// Standard alphabet, with padding, as Java's Base64.getDecoder(): nothing
// else is accepted (nullopt).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace kafkalite::security::crypto
