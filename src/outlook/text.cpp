// MAPI property values to UTF-8 and the small MIME writer the .msg rebuild uses.
#include <array>
#include <cstdio>
#include <ctime>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "outlook/detail.hpp"

namespace emotriage::outlook::detail {

std::string codepage_label(std::uint32_t codepage) {
  switch (codepage) {
    case 0:
      return {};
    case 932:
      return "cp932";
    case 936:
      return "gbk";
    case 949:
      return "euc-kr";
    case 950:
      return "big5";
    case 20127:
      return "us-ascii";
    case 20866:
      return "koi8-r";
    case 21866:
      return "koi8-u";
    case 50220:
    case 50221:
    case 50222:
      return "iso-2022-jp";
    case 51932:
      return "euc-jp";
    case 54936:
      return "gb18030";
    case 65000:
      return "utf-7";
    case 65001:
      return "utf-8";
    case 1200:
      return "utf-16le";
    default:
      break;
  }
  if (codepage >= 28591 && codepage <= 28605) return "iso-8859-" + std::to_string(codepage - 28590);
  if (codepage >= 1250 && codepage <= 1258) return "windows-" + std::to_string(codepage);
  return "cp" + std::to_string(codepage);
}

std::string decode_string8(std::string_view bytes, std::uint32_t codepage) {
  if (const auto nul = bytes.find('\0'); nul != std::string_view::npos)
    bytes = bytes.substr(0, nul);
  if (core::is_ascii(bytes)) return std::string(bytes);
  mime::DecodedText labelled = mime::decode_to_utf8(bytes, codepage_label(codepage));
  if (labelled.invalid == 0) return std::move(labelled.text);
  // The code page property can lie (PR_INTERNET_CPID says UTF-8 over CP1252 bytes): detection
  // wins when it decodes more of the bytes.
  mime::DecodedText detected = mime::decode_to_utf8(bytes, "");
  return detected.invalid < labelled.invalid ? std::move(detected.text) : std::move(labelled.text);
}

std::string decode_utf16le(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    char32_t unit =
        static_cast<unsigned char>(bytes[i]) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    if (unit == 0) break;
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size()) {
      const char32_t low = static_cast<unsigned char>(bytes[i + 2]) |
                           (static_cast<unsigned char>(bytes[i + 3]) << 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    core::append_utf8(out, unit);  // a lone surrogate becomes U+FFFD here
  }
  return out;
}

std::string filetime_to_rfc5322(std::uint64_t filetime) {
  constexpr std::int64_t kUnixEpochInFiletimeSeconds = 11644473600;
  const std::int64_t seconds =
      static_cast<std::int64_t>(filetime / 10000000) - kUnixEpochInFiletimeSeconds;
  // Years 1970..9999: earlier or later stamps are damage, not dates.
  if (filetime == 0 || seconds < 0 || seconds > 253402300799) return {};
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  if (gmtime_r(&time, &parts) == nullptr) return {};
  // Names written out: strftime's %a/%b follow the process locale.
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[static_cast<std::size_t>(parts.tm_wday) % 7], parts.tm_mday,
                kMonths[static_cast<std::size_t>(parts.tm_mon) % 12], parts.tm_year + 1900,
                parts.tm_hour, parts.tm_min, parts.tm_sec);
  return buffer;
}

std::string base64_lines(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(bytes.size() / 57 * 78 + 80);
  for (std::size_t i = 0; i < bytes.size(); i += 57) {
    const std::size_t end = std::min(bytes.size(), i + 57);
    for (std::size_t j = i; j < end; j += 3) {
      const std::size_t n = std::min<std::size_t>(3, end - j);
      std::uint32_t group = 0;
      for (std::size_t k = 0; k < 3; ++k) {
        group = (group << 8) | (k < n ? static_cast<unsigned char>(bytes[j + k]) : 0u);
      }
      out += kAlphabet[(group >> 18) & 63];
      out += kAlphabet[(group >> 12) & 63];
      out += n > 1 ? kAlphabet[(group >> 6) & 63] : '=';
      out += n > 2 ? kAlphabet[group & 63] : '=';
    }
    out += "\r\n";
  }
  return out;
}

namespace {

// Property text may hold CR, LF or other controls; in a rebuilt header they would end it.
std::string without_controls(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

bool is_plain_header_text(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  }
  return text.find("=?") == std::string_view::npos;
}

}  // namespace

std::string encode_header_text(std::string_view utf8) {
  const std::string clean = without_controls(utf8);
  if (is_plain_header_text(clean)) return clean;
  // Encoded words of at most 45 bytes (60 base64 characters), cut on character boundaries, so
  // that every word stays under RFC 2047's 75 characters.
  std::string out;
  std::string_view rest = clean;
  while (!rest.empty()) {
    std::string_view chunk = core::utf8_prefix(rest, 45);
    if (chunk.empty()) chunk = rest.substr(0, 1);
    std::string encoded = base64_lines(chunk);
    encoded.resize(encoded.size() - 2);  // the line's CRLF
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + encoded + "?=";
    rest.remove_prefix(chunk.size());
  }
  return out;
}

std::string format_mailbox(std::string_view name, std::string_view address) {
  std::string clean_address = without_controls(core::trim(address));
  const std::string clean_name = without_controls(core::trim(name));
  // Outlook fills the address field with the name when it had no address ("alec milton");
  // "Name <>" keeps the name without inventing an address.
  if (clean_address.find('@') == std::string::npos) clean_address.clear();
  if (clean_name.empty() || clean_name == clean_address) return clean_address;
  std::string display;
  if (is_plain_header_text(clean_name)) {
    display = "\"";
    for (const char c : clean_name) {
      if (c == '"' || c == '\\') display += '\\';
      display += c;
    }
    display += '"';
  } else {
    display = encode_header_text(clean_name);
  }
  return display + " <" + clean_address + ">";
}

std::string filename_parameter(std::string_view attribute, std::string_view utf8_name) {
  const std::string clean = without_controls(utf8_name);
  bool plain = is_plain_header_text(clean);
  for (const char c : clean) plain = plain && c != '"' && c != '\\';
  if (plain) return std::string(attribute) + "=\"" + clean + "\"";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = std::string(attribute) + "*=utf-8''";
  for (const char c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    const bool attribute_char = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                                (byte >= '0' && byte <= '9') || c == '.' || c == '-' || c == '_';
    if (attribute_char) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

}  // namespace emotriage::outlook::detail
