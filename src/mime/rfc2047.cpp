#include "mime/rfc2047.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "mime/transfer.hpp"

namespace emotriage::mime {

namespace {

struct EncodedWord {
  std::size_t begin = 0, end = 0;  // span in the input, end exclusive
  std::string charset;             // canonical
  std::string bytes;               // transfer-decoded
  bool damaged = false;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Reads "=?charset?E?text?=" at `pos`. Lenient like real readers: no white space needed around
// it, inside quotes too, lower-case encodings, a missing "?=" at the very end. Sets `broken` when
// the start of a word is there but its text is cut by white space or a stray '?' (the bytes are
// then kept as plain text).
std::optional<EncodedWord> read_encoded_word(std::string_view s, std::size_t pos, bool& broken) {
  broken = false;
  if (s.substr(pos, 2) != "=?") return std::nullopt;
  // Bounded search: a charset is short, and scanning far for '?' from every "=?" would make a
  // hostile header quadratic.
  std::size_t q1 = s.substr(0, std::min(s.size(), pos + 82)).find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 == pos + 2) return std::nullopt;
  if (q1 + 2 >= s.size() || s[q1 + 2] != '?') return std::nullopt;
  char encoding = core::ascii_lower(s[q1 + 1]);
  if (encoding != 'b' && encoding != 'q') return std::nullopt;
  std::string_view charset = s.substr(pos + 2, q1 - pos - 2);
  for (char c : charset) {
    if (is_space(c) || c == '"' || c == '=') return std::nullopt;
  }
  std::size_t text_begin = q1 + 3;
  std::size_t text_end = text_begin;
  // Encoded text never contains '?' or white space; it ends at "?=".
  while (text_end < s.size() && s[text_end] != '?') {
    if (is_space(s[text_end])) {
      broken = true;
      return std::nullopt;
    }
    ++text_end;
  }
  EncodedWord word;
  word.begin = pos;
  if (text_end >= s.size()) {
    word.end = s.size();
    word.damaged = true;
  } else if (text_end + 1 < s.size() && s[text_end + 1] == '=') {
    word.end = text_end + 2;
  } else {
    broken = true;
    return std::nullopt;
  }
  word.charset = canonical_charset(charset);
  std::string_view text = s.substr(text_begin, text_end - text_begin);
  bool ok =
      encoding == 'b' ? decode_base64_lenient(text, word.bytes) : decode_q_word(text, word.bytes);
  word.damaged = word.damaged || !ok;
  return word;
}

void append_decoded(std::string_view bytes, std::string_view charset, DecodedHeader& out) {
  DecodedText decoded = decode_to_utf8(bytes, charset);
  out.text += decoded.text;
  out.invalid += decoded.invalid;
  if (decoded.invalid > 0) out.malformed = true;
}

}  // namespace

std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\r' || c == '\n') continue;  // folding: the white space after it stays
    out.push_back(c);
  }
  return out;
}

DecodedHeader decode_header_text(std::string_view raw_in) {
  DecodedHeader out;
  std::string raw = unfold(raw_in);
  std::string_view s = raw;
  std::size_t plain_begin = 0;
  std::size_t pos = 0;
  // Adjacent words in one charset are joined as bytes before conversion: a character, or an
  // ISO-2022-JP escape sequence, may be split across them (rspamd #1669).
  std::string pending_bytes;
  std::string pending_charset;
  bool pending = false;
  auto flush_pending = [&] {
    if (!pending) return;
    append_decoded(pending_bytes, pending_charset, out);
    pending_bytes.clear();
    pending = false;
  };
  auto emit_plain = [&](std::string_view text) {
    if (text.empty()) return;
    flush_pending();
    if (core::is_ascii(text) && text.find('\x1B') == std::string_view::npos) {
      out.text += text;
    } else {
      append_decoded(text, "", out);  // raw 8-bit or raw ISO-2022-JP header bytes
    }
  };

  while (pos < s.size()) {
    std::size_t found = s.find("=?", pos);
    if (found == std::string_view::npos) break;
    bool broken = false;
    auto word = read_encoded_word(s, found, broken);
    if (!word) {
      if (broken) out.malformed = true;
      pos = found + 2;
      continue;
    }
    std::string_view between = s.substr(plain_begin, found - plain_begin);
    bool only_space = true;
    for (char c : between) only_space = only_space && is_space(c);
    // White space between two encoded words is not part of the text (RFC 2047 6.2).
    if (!(pending && only_space)) emit_plain(between);
    if (word->damaged) out.malformed = true;
    if (pending && pending_charset != word->charset) flush_pending();
    pending_charset = word->charset;
    pending_bytes += word->bytes;
    pending = true;
    pos = plain_begin = word->end;
  }
  emit_plain(s.substr(plain_begin));
  flush_pending();
  return out;
}

}  // namespace emotriage::mime
