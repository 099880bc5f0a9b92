// Header text decoding: RFC 2047 encoded words (also inside quoted strings and without the
// surrounding white space, as Japanese mailers write them), adjacent words joined on the byte
// level before charset conversion (a character or an ISO-2022-JP escape may be split across
// words), raw 8-bit and raw ISO-2022-JP header bytes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace emotriage::mime {

struct DecodedHeader {
  std::string text;         // UTF-8
  std::size_t invalid = 0;  // U+FFFD produced
  bool malformed = false;   // a broken encoded word or undecodable bytes were seen
};

DecodedHeader decode_header_text(std::string_view raw);

// Removes CRLF/LF folding (RFC 5322 2.2.3).
std::string unfold(std::string_view raw);

}  // namespace emotriage::mime
