// Digests of attachment and message bytes (OpenSSL libcrypto), as lower-case hex.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace emotriage::core {

std::string sha256_hex(std::string_view bytes);
std::string md5_hex(std::string_view bytes);
// Lower-case hex of raw digest bytes.
std::string to_hex(const unsigned char* bytes, std::size_t length);

}  // namespace emotriage::core
