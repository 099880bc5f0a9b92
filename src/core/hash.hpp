// Digests of attachment and message bytes (OpenSSL libcrypto), as lower-case hex.
#pragma once
#include <string>
#include <string_view>

namespace emotriage::core {

std::string sha256_hex(std::string_view bytes);
std::string md5_hex(std::string_view bytes);

}  // namespace emotriage::core
