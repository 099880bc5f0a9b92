// Small transfer decoders used inside headers and parameters (bodies go through GMime).
#pragma once
#include <string>
#include <string_view>

namespace emotriage::mime {

// Base64 that tolerates missing padding, padding in the middle and stray characters; returns
// false when anything had to be skipped.
bool decode_base64_lenient(std::string_view text, std::string& out);
// RFC 2047 "Q": '_' is space, =XX a byte; returns false on a broken escape.
bool decode_q_word(std::string_view text, std::string& out);
// RFC 2231 %XX; returns false on a broken escape.
bool decode_percent(std::string_view text, std::string& out);

}  // namespace emotriage::mime
