#include "report/format.hpp"

#include "core/text.hpp"

namespace emotriage::report {

namespace {

// Length in bytes of the bidi control at `i` (2 or 3), or 0.
std::size_t bidi_control_length(std::string_view text, std::size_t i) {
  auto at = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  if (at(0) == 0xD8 && at(1) == 0x9C) return 2;  // U+061C
  if (at(0) != 0xE2) return 0;
  if (at(1) == 0x80 && (at(2) == 0x8E || at(2) == 0x8F || (at(2) >= 0xAA && at(2) <= 0xAE)))
    return 3;
  if (at(1) == 0x81 && at(2) >= 0xA6 && at(2) <= 0xA9) return 3;
  return 0;
}

// "202e" for the three-byte control at `i`.
std::string bidi_code(std::string_view text, std::size_t i) {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned code = ((static_cast<unsigned char>(text[i]) & 0x0Fu) << 12) |
                  ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                  (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
  std::string out;
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(code >> shift) & 15]);
  return out;
}

}  // namespace

std::string neutralize_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool c0 = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
    // C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8.
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    // Bidirectional overrides and isolates reorder what a reader sees ("invoice\u202Egpj.exe"
    // shows as "invoiceexe.jpg"): U+061C, U+200E/F, U+202A..E, U+2066..9.
    std::size_t bidi = bidi_control_length(text, i);
    if (bidi != 0) {
      out += "\\u";
      out += bidi == 2 ? "061c" : bidi_code(text, i);
      i += bidi - 1;
    } else if (c0) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else if (c1) {
      auto next = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out.push_back(kHex[next >> 4]);
      out.push_back(kHex[next & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string one_line(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else
      out.push_back(c);
  }
  return neutralize_controls(out);
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out(core::utf8_prefix(text, max_bytes));
  if (out.size() < text.size()) out += "…";
  return out;
}

}  // namespace emotriage::report
