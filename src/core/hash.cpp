#include "core/hash.hpp"

#include <openssl/evp.h>

#include <array>

namespace emotriage::core {

namespace {
std::string digest_hex(const EVP_MD* md, std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // EVP_Digest is one-shot and thread-safe; failure only on allocation, which we treat as fatal.
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, md, nullptr) != 1) {
    throw std::bad_alloc();
  }
  return to_hex(digest.data(), length);
}
}  // namespace

std::string to_hex(const unsigned char* bytes, std::size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(length * 2, '0');
  for (std::size_t i = 0; i < length; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  return digest_hex(EVP_sha256(), bytes);
}
std::string md5_hex(std::string_view bytes) {
  return digest_hex(EVP_md5(), bytes);
}

}  // namespace emotriage::core
