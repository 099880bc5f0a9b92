#include "cli/output.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace emotriage::cli {

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

report::Lang language_from(std::string_view option) {
  if (option == "ja") return report::Lang::ja;
  if (option == "en") return report::Lang::en;
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      return std::string_view(value).starts_with("ja") ? report::Lang::ja : report::Lang::en;
    }
  }
  return report::Lang::en;
}

Progress::Progress(report::Lang lang) : enabled_(isatty(STDERR_FILENO) == 1), lang_(lang) {}

Progress::~Progress() {
  if (shown_) std::fputs("\r\033[K", stderr);
}

void Progress::update(std::uint64_t messages, std::uint64_t bytes) {
  if (!enabled_) return;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
                 .count();
  if (now - last_ms_ < 200) return;
  last_ms_ = now;
  shown_ = true;
  const char* format = lang_ == report::Lang::ja ? "\r%llu 通, %.1f MB" : "\r%llu messages, %.1f MB";
  std::fprintf(stderr, format, static_cast<unsigned long long>(messages),
               static_cast<double>(bytes) / 1e6);
  std::fflush(stderr);
}

}  // namespace emotriage::cli
