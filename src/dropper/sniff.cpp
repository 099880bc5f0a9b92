#include "dropper/sniff.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "dropper/dropper.hpp"

namespace emotriage::dropper {

namespace {

// Enough of a payload to tell a script from a document; scripts declare themselves early.
constexpr std::size_t kSniffHeadBytes = 8192;

bool starts_with_bytes(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

// UTF-16LE text (BOM or every second byte zero) becomes its ASCII projection, so scripts saved
// as "Unicode" sniff like the ANSI ones.
std::string text_projection(std::string_view head) {
  bool utf16 = starts_with_bytes(head, "\xFF\xFE");
  if (!utf16 && head.size() >= 8) {
    std::size_t zero_odd = 0;
    for (std::size_t i = 1; i < head.size(); i += 2) zero_odd += head[i] == '\0';
    utf16 = zero_odd * 4 >= head.size() / 2 * 3;
  }
  std::string out;
  if (utf16) {
    for (std::size_t i = starts_with_bytes(head, "\xFF\xFE") ? 2 : 0; i + 1 < head.size(); i += 2) {
      out += head[i + 1] == '\0' ? core::ascii_lower(head[i]) : '?';
    }
  } else {
    out = core::ascii_lower(head);
  }
  return out;
}

bool looks_like_text(std::string_view lowered) {
  if (lowered.empty()) return false;
  std::size_t control = 0;
  for (unsigned char c : lowered) {
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f') ++control;
  }
  return control * 100 < lowered.size();
}

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
  return std::ranges::any_of(needles, [&](std::string_view n) {
    return core::find_bytes(text, n) != std::string_view::npos;
  });
}

std::string sniff_text(std::string_view t) {
  if (contains_any(t, {"<job", "<package"})) return "wsf";
  if (contains_any(t, {"<hta:application"})) return "hta";
  if (contains_any(t, {"<html", "<script", "<body"})) return "html";
  if (contains_any(t, {"activexobject", "function(", "=>"}) &&
      contains_any(t, {"var ", "let ", "new ", ";"}))
    return "js";
  if (contains_any(t, {"createobject(", "wscript.", "end sub", "dim "})) return "vbs";
  if (contains_any(t, {"$env:", "invoke-", "new-object", "-encodedcommand", "iex "})) return "ps1";
  std::string_view start = core::trim(t);
  if (start.starts_with("@echo") || start.starts_with("echo ") || start.starts_with("rem ") ||
      start.starts_with("::") || contains_any(t, {"%~dp0", "cmd /c", "cmd.exe /c", "start /b"}))
    return "bat";
  return "text";
}

}  // namespace

std::string sniff_payload_type(std::string_view bytes) {
  if (starts_with_bytes(bytes, "MZ")) return "exe";
  if (starts_with_bytes(bytes, std::string_view("\x4C\0\0\0\x01\x14\x02\0", 8))) return "lnk";
  if (starts_with_bytes(bytes, "PK\x03\x04")) return "zip";
  if (starts_with_bytes(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return "ole";
  if (starts_with_bytes(bytes, "%PDF")) return "pdf";
  if (starts_with_bytes(bytes, "\x89PNG") || starts_with_bytes(bytes, "GIF8") ||
      starts_with_bytes(bytes, "\xFF\xD8\xFF"))
    return "image";
  std::string lowered = text_projection(bytes.substr(0, std::min(bytes.size(), kSniffHeadBytes)));
  if (!looks_like_text(lowered)) return "data";
  return sniff_text(lowered);
}

bool is_executable_type(std::string_view type) {
  static constexpr std::string_view kTypes[] = {"exe", "lnk", "hta", "wsf",
                                                "bat", "vbs", "js",  "ps1"};
  return std::ranges::find(kTypes, type) != std::end(kTypes);
}

std::vector<std::string> find_keywords(std::string_view bytes,
                                       const std::vector<std::string_view>& needles) {
  std::string lowered = core::ascii_lower(bytes);
  std::vector<std::string> found;
  for (std::string_view needle : needles) {
    std::string wide;
    for (char c : needle) {
      wide += c;
      wide += '\0';
    }
    if (core::find_bytes(lowered, needle) != std::string_view::npos ||
        core::find_bytes(lowered, wide) != std::string_view::npos)
      found.emplace_back(needle);
  }
  return found;
}

std::vector<std::string> find_urls(std::string_view text, std::size_t max_urls) {
  std::vector<std::string> urls;
  std::string lowered = core::ascii_lower(text);
  std::size_t pos = 0;
  while (urls.size() < max_urls) {
    std::size_t at = std::string_view::npos;
    for (std::string_view scheme : {"http://", "https://", "ftp://"}) {
      at = std::min(at, core::find_bytes(lowered, scheme, pos));
    }
    if (at == std::string_view::npos) break;
    std::size_t end = at;
    // A URL in a command line ends at white space, a quote or a shell metacharacter.
    while (end < text.size() && static_cast<unsigned char>(text[end]) > 0x20 &&
           std::string_view("\"'`<>|^;,)").find(text[end]) == std::string_view::npos)
      ++end;
    std::size_t scheme_end = text.find("://", at) + 3;
    if (end > scheme_end) urls.emplace_back(text.substr(at, end - at));
    pos = std::max(end, at + 1);
  }
  return urls;
}

}  // namespace emotriage::dropper
