// Charset conversion to UTF-8, owned by the project because generic decoders get Japanese mail
// wrong: ISO-2022-JP is decoded as CP50220/CP50221 (NEC row 13, NEC-selected IBM extensions),
// Shift_JIS as CP932, EUC-JP with the same extensions, and labels that lie are caught.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace emotriage::mime {

struct DecodedText {
  std::string text;             // valid UTF-8
  std::string charset;          // canonical name of what was actually used ("iso-2022-jp", "cp932")
  std::size_t invalid = 0;      // bytes or sequences that became U+FFFD
  bool label_mismatch = false;  // the declared label did not fit the bytes; another was used
  bool guessed = false;         // no usable label; the charset was detected
};

// Canonical lower-case name for a label ("Shift_JIS" -> "cp932", "x-sjis" -> "cp932",
// "ISO-2022-JP-1" -> "iso-2022-jp"); unknown labels come back lower-cased and trimmed.
std::string canonical_charset(std::string_view label);

// Decodes `bytes` declared as `label` (may be empty). Never fails: undecodable input becomes
// U+FFFD and is counted in `invalid`.
DecodedText decode_to_utf8(std::string_view bytes, std::string_view label);

// Detects the charset of unlabelled 8-bit text (ISO-2022-JP by escapes, UTF-8 by validity,
// CP932 / EUC-JP by structure, then uchardet). Returns a canonical name.
std::string detect_charset(std::string_view bytes);

}  // namespace emotriage::mime
