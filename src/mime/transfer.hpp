// Small transfer decoders used inside headers and parameters (bodies go through GMime).
#pragma once
#include <string>
#include <string_view>

namespace emotriage::mime {

// Base64 that tolerates missing padding and stray characters; returns false when anything had to
// be skipped. Padding in the middle continues the decoding (gmime#133: encoded words glued
// together) unless `stop_at_padding`, as for bodies: data after a padded end is what readers and
// scanners ignore, so it is not decoded (and reported through the return value).
bool decode_base64_lenient(std::string_view text, std::string& out, bool stop_at_padding = false);
// RFC 2047 "Q": '_' is space, =XX a byte; returns false on a broken escape.
bool decode_q_word(std::string_view text, std::string& out);
// RFC 2231 %XX; returns false on a broken escape.
bool decode_percent(std::string_view text, std::string& out);

}  // namespace emotriage::mime
