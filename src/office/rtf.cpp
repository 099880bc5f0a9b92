// RTF: embedded OLE objects (\objdata hex, tolerant of the whitespace, \bin and nested-group
// obfuscations that rtfobj handles), \objclass names, and URLs in HYPERLINK / INCLUDEPICTURE /
// INCLUDETEXT fields. Plain text runs are decoded for lure phrases.
#include <cstring>

#include "core/text.hpp"
#include "office/analysis.hpp"
#include "office/bytes.hpp"
#include "office/cfb.hpp"

namespace emotriage::office::detail {
namespace {

// Real documents carry a handful of objects; droppers a few dozen at most.
constexpr std::size_t kMaxRtfObjects = 64;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Decodes the hex payload after "\objdata" up to the end of its group.
std::string decode_objdata(std::string_view rtf, std::size_t pos, std::uint64_t max_bytes) {
  std::string out;
  int depth = 0;
  int high = -1;
  while (pos < rtf.size() && out.size() < max_bytes) {
    const char c = rtf[pos];
    if (c == '}') {
      if (depth == 0) break;
      --depth;
      ++pos;
    } else if (c == '{') {
      ++depth;
      ++pos;
    } else if (c == '\\') {
      ++pos;
      const std::size_t word_start = pos;
      while (pos < rtf.size() && is_alpha(rtf[pos])) ++pos;
      const std::string_view word = rtf.substr(word_start, pos - word_start);
      const bool negative = pos < rtf.size() && rtf[pos] == '-';
      if (negative) ++pos;
      std::uint64_t parameter = 0;
      while (pos < rtf.size() && rtf[pos] >= '0' && rtf[pos] <= '9' && parameter < (1ull << 40)) {
        parameter = parameter * 10 + static_cast<unsigned>(rtf[pos++] - '0');
      }
      if (pos < rtf.size() && rtf[pos] == ' ') ++pos;
      if (word.empty()) {
        ++pos;  // control symbol
      } else if (word == "bin" && !negative && depth == 0) {
        const std::size_t n = std::min<std::uint64_t>(parameter, rtf.size() - pos);
        out.append(rtf.substr(pos, std::min<std::uint64_t>(n, max_bytes - out.size())));
        pos += n;
      }
    } else if (depth == 0) {
      const int value = hex_value(c);
      if (value >= 0) {
        if (high < 0) {
          high = value;
        } else {
          out.push_back(static_cast<char>(high * 16 + value));
          high = -1;
        }
      }
      ++pos;
    } else {
      ++pos;
    }
  }
  return out;
}

// OLE1 ObjectHeader + EmbeddedObject (MS-OLEDS 2.2.4): class name, then the native data.
void analyze_ole1(std::string_view object, Context& context, std::size_t number) {
  std::size_t pos = 8;  // OLEVersion, FormatID
  const std::uint32_t format = le32(object, 4);
  auto prefixed = [&](std::string& out) {
    const std::uint32_t length = le32(object, pos);
    pos += 4;
    if (pos > object.size() || length > object.size() - pos) return false;
    out.assign(object.substr(pos, length));
    pos += length;
    while (!out.empty() && out.back() == '\0') out.pop_back();
    return true;
  };
  std::string class_name, topic, item;
  if (!prefixed(class_name)) {
    // Not OLE1-wrapped: some droppers put a bare compound file or payload in \objdata.
    context.add_embedded("rtf-object-" + std::to_string(number) + ".bin", std::string(object));
    return;
  }
  context.property("rtf.object-class", class_name);
  if (format != 2 || !prefixed(topic) || !prefixed(item)) return;  // linked or static object
  const std::uint32_t native_size = le32(object, pos);
  pos += 4;
  if (pos > object.size()) return;
  const std::string_view native =
      object.substr(pos, std::min<std::size_t>(native_size, object.size() - pos));
  if (core::iequals(class_name, "Package") && extract_ole_package(native, false, context)) return;
  context.add_embedded("rtf-object-" + std::to_string(number) + (is_cfb(native) ? ".ole" : ".bin"),
                       std::string(native));
}

// The argument of a field instruction: "HYPERLINK \l "x" "http://..."" -> the first quoted or
// bare token that is not a switch.
std::string field_argument(std::string_view rtf, std::size_t pos) {
  const std::size_t end = std::min(rtf.size(), pos + 4096);
  while (pos < end) {
    while (pos < end &&
           (rtf[pos] == ' ' || rtf[pos] == '\t' || rtf[pos] == '\r' || rtf[pos] == '\n'))
      ++pos;
    if (pos >= end) break;
    if (rtf[pos] == '"') {
      const std::size_t close = rtf.find('"', pos + 1);
      if (close == std::string_view::npos || close > end) return {};
      std::string value;
      for (std::size_t i = pos + 1; i < close; ++i) {
        if (rtf[i] == '\\' && i + 1 < close && rtf[i + 1] == '\\') ++i;
        value.push_back(rtf[i]);
      }
      return value;
    }
    if (rtf[pos] == '\\') {  // a field switch (\l, \d, \* MERGEFORMAT) or an RTF control word
      ++pos;
      while (pos < end && rtf[pos] != ' ' && rtf[pos] != '"' && rtf[pos] != '}') ++pos;
      continue;
    }
    if (rtf[pos] == '}' || rtf[pos] == '{') return {};
    const std::size_t start = pos;
    while (pos < end && rtf[pos] != ' ' && rtf[pos] != '}' && rtf[pos] != '"') ++pos;
    return std::string(rtf.substr(start, pos - start));
  }
  return {};
}

// Text of the document for lure phrases: \'hh bytes in the \ansicpg code page, \uN code points.
std::string rtf_text(std::string_view rtf, std::uint64_t max_bytes) {
  std::uint32_t code_page = 1252;
  if (const std::size_t at = rtf.find("\\ansicpg"); at != std::string_view::npos) {
    code_page = 0;
    for (std::size_t i = at + 8; i < rtf.size() && i < at + 14 && rtf[i] >= '0' && rtf[i] <= '9';
         ++i) {
      code_page = code_page * 10 + static_cast<unsigned>(rtf[i] - '0');
    }
  }
  std::string text, pending;
  auto flush = [&] {
    if (!pending.empty()) text += decode_code_page(pending, code_page);
    pending.clear();
  };
  std::size_t skip_after_unicode = 0;
  for (std::size_t pos = 0; pos < rtf.size() && text.size() < max_bytes;) {
    const char c = rtf[pos];
    if (c == '\\' && pos + 1 < rtf.size()) {
      if (rtf[pos + 1] == '\'' && pos + 3 < rtf.size() && hex_value(rtf[pos + 2]) >= 0 &&
          hex_value(rtf[pos + 3]) >= 0) {
        if (skip_after_unicode > 0) {
          --skip_after_unicode;
        } else {
          pending.push_back(
              static_cast<char>(hex_value(rtf[pos + 2]) * 16 + hex_value(rtf[pos + 3])));
        }
        pos += 4;
        continue;
      }
      std::size_t end = pos + 1;
      while (end < rtf.size() && is_alpha(rtf[end])) ++end;
      const std::string_view word = rtf.substr(pos + 1, end - pos - 1);
      const bool negative = end < rtf.size() && rtf[end] == '-';
      if (negative) ++end;
      long parameter = 0;
      while (end < rtf.size() && rtf[end] >= '0' && rtf[end] <= '9' && parameter < 1000000) {
        parameter = parameter * 10 + (rtf[end++] - '0');
      }
      if (end < rtf.size() && rtf[end] == ' ') ++end;
      if (word == "u") {
        flush();
        core::append_utf8(text, static_cast<char32_t>(negative ? 65536 - parameter : parameter));
        skip_after_unicode = 1;
      } else if (word.empty()) {
        end = pos + 2;
      }
      pos = end;
      continue;
    }
    if (c == '{' || c == '}' || c == '\r' || c == '\n') {
      ++pos;
      continue;
    }
    if (skip_after_unicode > 0) {
      --skip_after_unicode;
      ++pos;
      continue;
    }
    flush();
    text.push_back(c);
    ++pos;
  }
  flush();
  return text;
}

}  // namespace

void analyze_rtf(std::string_view bytes, Context& context) {
  std::size_t objects = 0;
  for (std::size_t at = core::find_bytes(bytes, "\\objdata"); at != std::string_view::npos;
       at = core::find_bytes(bytes, "\\objdata", at + 1)) {
    if (++objects > kMaxRtfObjects) {
      context.limit("office.rtf_objects", kMaxRtfObjects);
      break;
    }
    const std::uint64_t cap = std::min<std::uint64_t>(kMaxStreamBytes, context.decoded_budget);
    const std::string object = decode_objdata(bytes, at + 8, cap);
    if (!context.consume(object.size())) break;
    if (!object.empty()) analyze_ole1(object, context, objects);
  }
  std::size_t classes = 0;
  for (std::size_t at = core::find_bytes(bytes, "\\objclass");
       at != std::string_view::npos && classes < kMaxListed;
       at = core::find_bytes(bytes, "\\objclass", at + 1), ++classes) {
    std::size_t pos = at + 9;
    while (pos < bytes.size() && bytes[pos] == ' ') ++pos;
    const std::size_t end = bytes.find_first_of("}\\{", pos);
    if (end == std::string_view::npos || end - pos > 256) continue;
    context.property("rtf.object-class", core::trim(bytes.substr(pos, end - pos)));
  }
  const std::string lowered = core::ascii_lower(bytes);
  for (const char* field : {"hyperlink", "includepicture", "includetext"}) {
    std::size_t found = 0;
    for (std::size_t at = lowered.find(field); at != std::string::npos && found < kMaxListed;
         at = lowered.find(field, at + 1), ++found) {
      const std::string target = field_argument(bytes, at + std::strlen(field));
      if (target.empty()) continue;
      const std::string lower_target = core::ascii_lower(target);
      if (lower_target.find("://") != std::string::npos) context.url(target);
      if (std::strcmp(field, "hyperlink") != 0 || lower_target.starts_with("\\\\")) {
        std::string name(field);
        for (char& c : name) c = static_cast<char>(c - 'a' + 'A');
        context.property("rtf.field", name + " " + target);
      }
    }
  }
  scan_lure(rtf_text(bytes, context.limits.text_bytes), context);
}

}  // namespace emotriage::office::detail
