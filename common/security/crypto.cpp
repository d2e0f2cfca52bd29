#include "common/security/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace kafkalite::security::crypto {
namespace {

const EVP_MD* md_of(Hash hash) { return hash == Hash::kSha256 ? EVP_sha256() : EVP_sha512(); }

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

size_t digest_size(Hash hash) { return static_cast<size_t>(EVP_MD_get_size(md_of(hash))); }

std::string digest(Hash hash, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &size, md_of(hash),
                 nullptr) != 1) {
    throw std::runtime_error("EVP_Digest failed");
  }
  out.resize(size);
  return out;
}

std::string hmac(Hash hash, std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int size = 0;
  if (!HMAC(md_of(hash), key.data(), static_cast<int>(key.size()), bytes_of(data), data.size(),
            reinterpret_cast<unsigned char*>(out.data()), &size)) {
    throw std::runtime_error("HMAC failed");
  }
  out.resize(size);
  return out;
}

std::string pbkdf2(Hash hash, std::string_view password, std::string_view salt, int iterations) {
  std::string out(digest_size(hash), '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), bytes_of(salt),
                        static_cast<int>(salt.size()), iterations, md_of(hash), static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  }
  return out;
}

std::string random_bytes(size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // EVP_DecodeBlock takes whitespace and returns the padding as zero bytes:
  // check the form first, then drop what the padding stood for.
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                          c == '/';
    if (c == '=') {
      if (i + 2 < text.size()) return std::nullopt;
      ++padding;
    } else if (!alphabet || padding > 0) {
      return std::nullopt;
    }
  }
  if (text.empty()) return std::string();
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(text),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace kafkalite::security::crypto
