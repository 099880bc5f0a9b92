// Text helpers of the evidence module: width folding, line walking, lure keywords. The scanners
// here work on NFKC-folded UTF-8, so "ＰＷ：Ａｂ１２" and "PW:Ab12" read the same.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::evidence {

// Bound on the text one scanner reads. Lure words and passwords sit in the first screens of a
// mail; 1 MiB is thousands of lines, and it keeps a 4 MiB text part from costing 4 MiB of ICU
// work per scanner.
inline constexpr std::size_t kMaxScanBytes = 1u << 20;

// NFKC (ICU): full-width ASCII and spaces to ASCII, half-width kana to full width. Input is cut
// to kMaxScanBytes first; invalid UTF-8 is repaired.
std::string fold_width(std::string_view text);

// Lines of a text (LF or CRLF), without their line ends. Views into `text`.
std::vector<std::string_view> split_lines(std::string_view text);

// Trims ASCII white space and U+3000 (ideographic space) on both ends.
std::string_view trim_spaces(std::string_view text);

// Whether `text` (already ASCII-lower-cased) has `word` at `pos` with no ASCII letter or digit
// touching it on either side.
bool is_word_at(std::string_view text, std::size_t pos, std::size_t length);

// Lure wording (ja/en) found in a text, in table order, each once.
std::vector<std::string> lure_keywords(std::string_view text);

}  // namespace emotriage::evidence
