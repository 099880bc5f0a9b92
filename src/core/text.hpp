// Small byte/UTF-8 helpers shared by every module.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace emotriage::core {

char ascii_lower(char c);
std::string ascii_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view text, std::string_view prefix);
std::string_view trim(std::string_view text);  // ASCII white space

// Appends the UTF-8 encoding of a code point (invalid ones become U+FFFD).
void append_utf8(std::string& out, char32_t code_point);

// Copies `bytes` replacing every invalid UTF-8 sequence with U+FFFD; returns how many it replaced.
std::size_t repair_utf8(std::string_view bytes, std::string& out);
bool is_valid_utf8(std::string_view bytes);
bool is_ascii(std::string_view bytes);
std::size_t count_replacement_chars(std::string_view utf8);

// Position of `needle` in `haystack` at or after `from`, or npos. Much faster than
// std::string_view::find when the needle's first byte is common ('\n', 'o').
std::size_t find_bytes(std::string_view haystack, std::string_view needle, std::size_t from = 0);

// Cuts UTF-8 text to at most `max_bytes` without splitting a character.
std::string_view utf8_prefix(std::string_view utf8, std::size_t max_bytes);

// 12345678 -> "12,345,678" (counts in reports and on the progress line).
std::string grouped_digits(std::uint64_t value);

}  // namespace emotriage::core
