#include "inspect/names.hpp"

#include <unicode/ucnv.h>

#include <array>
#include <memory>

#include "core/text.hpp"

namespace emotriage::inspect {

namespace {

// LNK is not here: it runs only its target, and has its own finding (attachment.lnk).
constexpr std::array<std::string_view, 11> kExecutableTypes = {
    "pe", "elf", "msi", "js", "jse", "vbs", "vbe", "wsf", "hta", "ps1", "bat"};

constexpr std::array<std::string_view, 24> kExecutableExtensions = {
    "exe", "scr", "com", "pif", "cpl", "dll",  "msi", "msp", "jar", "js",  "jse", "vbs",
    "vbe", "wsf", "wsh", "hta", "ps1", "psm1", "bat", "cmd", "lnk", "reg", "scf", "url"};

// Extensions a recipient reads as harmless content.
constexpr std::array<std::string_view, 30> kLureExtensions = {
    "doc", "docx", "docm", "xls", "xlsx", "xlsm", "xlsb", "ppt", "pptx", "pptm",
    "pdf", "rtf",  "txt",  "csv", "jpg",  "jpeg", "png",  "gif", "bmp",  "tif",
    "htm", "html", "zip",  "rar", "7z",   "lzh",  "one",  "xml", "odt",  "mp4"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view value) {
  for (auto item : set) {
    if (item == value) return true;
  }
  return false;
}

bool is_name_padding(unsigned char c) {
  return c == ' ' || c == '\t' || c == '_';
}

// Bidi controls that reorder how a name is displayed: "請求書\u202Efdp.exe" shows as
// "請求書exe.pdf". U+200E/U+200F, U+202A–U+202E, U+2066–U+2069 in UTF-8.
bool has_bidi_control(std::string_view name) {
  for (std::size_t i = 0; i + 2 < name.size(); ++i) {
    auto b0 = static_cast<unsigned char>(name[i]);
    auto b1 = static_cast<unsigned char>(name[i + 1]);
    auto b2 = static_cast<unsigned char>(name[i + 2]);
    if (b0 != 0xe2) continue;
    if (b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f || (b2 >= 0xaa && b2 <= 0xae))) return true;
    if (b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9) return true;
  }
  return false;
}

// The name with full-width dots (U+FF0E) as ASCII dots and any folder part removed.
std::string base_name(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name.compare(i, 3, "\xef\xbc\x8e") == 0) {
      out += '.';
      i += 2;
    } else {
      out += name[i];
    }
  }
  return out;
}

std::string_view strip_trailing(std::string_view text) {
  while (!text.empty() && (is_name_padding(text.back()) || text.back() == '.')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string decode_member_name(std::string_view raw) {
  std::string out;
  if (core::is_valid_utf8(raw)) return std::string(raw);
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open("windows-31j", &status),
                                                               &ucnv_close);
  if (U_SUCCESS(status)) {
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);
  }
  if (U_SUCCESS(status)) {
    std::u16string utf16(raw.size() + 1, u'\0');
    int32_t length =
        ucnv_toUChars(converter.get(), utf16.data(), static_cast<int32_t>(utf16.size()), raw.data(),
                      static_cast<int32_t>(raw.size()), &status);
    if (U_SUCCESS(status)) {
      for (int32_t i = 0; i < length; ++i) {
        char32_t code_point = utf16[i];
        if (code_point >= 0xd800 && code_point < 0xdc00 && i + 1 < length) {
          code_point = 0x10000 + ((code_point - 0xd800) << 10) + (utf16[i + 1] - 0xdc00);
          ++i;
        }
        core::append_utf8(out, code_point);
      }
      return out;
    }
  }
  core::repair_utf8(raw, out);
  return out;
}

std::string extension_of(std::string_view name) {
  std::string base = base_name(name);
  std::string_view trimmed = strip_trailing(base);
  auto dot = trimmed.rfind('.');
  if (dot == std::string_view::npos) return {};
  return core::ascii_lower(trimmed.substr(dot + 1));
}

bool is_executable_type(std::string_view detected_type) {
  return contains(kExecutableTypes, detected_type);
}

bool is_executable_extension(std::string_view extension) {
  return contains(kExecutableExtensions, extension);
}

std::optional<NameTrick> find_name_trick(std::string_view name, std::string_view detected_type) {
  if (has_bidi_control(name)) {
    return NameTrick{"文字の表示順を反転させる制御文字（U+202E など）で拡張子を偽装",
                     "a bidirectional control character (such as U+202E) reverses the displayed "
                     "extension"};
  }
  std::string base = base_name(name);
  std::string_view trimmed = strip_trailing(base);
  auto last_dot = trimmed.rfind('.');
  if (last_dot != std::string_view::npos && last_dot > 0) {
    std::string last = core::ascii_lower(trimmed.substr(last_dot + 1));
    std::string_view stem = trimmed.substr(0, last_dot);
    std::size_t padding = 0;
    while (padding < stem.size() && is_name_padding(stem[stem.size() - 1 - padding])) ++padding;
    std::string_view visible = stem.substr(0, stem.size() - padding);
    auto inner_dot = visible.rfind('.');
    std::string inner =
        inner_dot == std::string_view::npos ? "" : core::ascii_lower(visible.substr(inner_dot + 1));
    bool dangerous_last = is_executable_extension(last);
    if (dangerous_last && contains(kLureExtensions, inner)) {
      return NameTrick{"文書の拡張子「." + inner + "」の後ろに実行形式の拡張子「." + last + "」",
                       "the document extension \"." + inner +
                           "\" is followed by the executable "
                           "extension \"." +
                           last + "\""};
    }
    if (dangerous_last && padding >= 3) {
      return NameTrick{"空白で拡張子「." + last + "」を見えにくくしている",
                       "white space pushes the extension \"." + last + "\" out of view"};
    }
    if (contains(kLureExtensions, last) &&
        (is_executable_type(detected_type) || detected_type == "lnk")) {
      return NameTrick{"名前は「." + last + "」だが中身は " + std::string(detected_type),
                       "named \"." + last + "\" but the content is " + std::string(detected_type)};
    }
  }
  return std::nullopt;
}

}  // namespace emotriage::inspect
