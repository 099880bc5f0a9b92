// The name normalisation behind normalize_name, in a form that remembers where each output byte
// came from, so that a match in normalised text can be reported at its place in the original.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::profile {

struct NormalizedText {
  std::string text;  // NFKC-casefolded, kana folded to hiragana, variant kanji folded, no spaces
  // For every byte of `text`: the byte range of the original it came from.
  std::vector<std::uint32_t> source_begin, source_end;
};

// Normalises without stripping honorifics. Texts longer than 4 GiB are cut (offsets are 32-bit;
// the per-message text limit is far below that).
NormalizedText normalize_mapped(std::string_view text);
// The same, without the offset map (names, display names).
std::string normalize_plain(std::string_view text);

// Length in bytes of the honorific (様, さん, 殿, 御中, san, -san ...) that starts at `pos` of a
// normalised text, or 0. A romaji honorific must not run on into a longer word ("sandra").
std::size_t honorific_length_at(std::string_view normalized, std::size_t pos);
// Removes honorifics at the end ("山田様" -> "山田"), never the whole text.
std::string strip_trailing_honorifics(std::string normalized);

// Code point classes used for word boundaries after normalisation.
bool is_latin_or_digit(char32_t code_point);
bool is_kana(char32_t code_point);
bool is_han(char32_t code_point);

// Decodes one UTF-8 code point at `pos` (which must start one); U+FFFD for a bad sequence.
char32_t decode_utf8_at(std::string_view text, std::size_t pos, std::size_t* length);

}  // namespace emotriage::profile
