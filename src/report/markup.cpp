#include "report/markup.hpp"

#include <algorithm>

#include "report/format.hpp"

namespace emotriage::report {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string html_text(std::string_view value) {
  return html_escape(one_line(value));
}

std::string md_text(std::string_view value) {
  std::string line = one_line(value);
  std::string out;
  out.reserve(line.size() + line.size() / 4);
  for (char c : line) {
    auto u = static_cast<unsigned char>(c);
    bool punctuation = (u >= 0x21 && u <= 0x2F) || (u >= 0x3A && u <= 0x40) ||
                       (u >= 0x5B && u <= 0x60) || (u >= 0x7B && u <= 0x7E);
    if (punctuation) out.push_back('\\');
    out.push_back(c);
    // GFM turns user@host into a mailto: link even when every character is escaped; an
    // invisible WORD JOINER after the @ keeps the address text and breaks the pattern.
    if (c == '@') out += "\u2060";
  }
  return out;
}

std::string md_code(std::string_view value) {
  std::string line = one_line(value);
  std::size_t longest = 0, run = 0;
  for (char c : line) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  // The spaces keep a leading or trailing backtick of the value from joining the fence; a
  // renderer strips one on each side.
  return fence + " " + line + " " + fence;
}

}  // namespace emotriage::report
