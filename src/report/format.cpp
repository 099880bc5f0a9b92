#include "report/format.hpp"

#include "core/text.hpp"

namespace emotriage::report {

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
    if (c0) {
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
