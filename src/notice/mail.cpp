#include "notice/mail.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "notice/date.hpp"

namespace emotriage::notice {

namespace {

constexpr std::size_t kMaxLineOctets = 998;  // RFC 5322 2.1.1
constexpr std::size_t kEncodedWordMax = 75;  // RFC 2047 2

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out.push_back(kAlphabet[(chunk >> 18) & 63]);
    out.push_back(kAlphabet[(chunk >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=');
  }
  return out;
}

std::size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  return 4;
}

// One line in ISO-2022-JP (JIS X 0208 only: ① ㈱ 髙 and other CP932 extensions fail), ending in
// ASCII; nullopt when a character has no ISO-2022-JP form.
std::optional<std::string> to_iso2022jp(iconv_t cd, std::string_view line) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  std::string out(line.size() * 4 + 8, '\0');
  char* in_ptr = const_cast<char*>(line.data());
  std::size_t in_left = line.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1) ||
      iconv(cd, nullptr, nullptr, &out_ptr, &out_left) == static_cast<std::size_t>(-1)) {
    return std::nullopt;
  }
  out.resize(out.size() - out_left);
  return out;
}

struct EncodedBody {
  std::string charset, transfer_encoding, bytes;
};

EncodedBody encode_body(std::string_view utf8) {
  std::string text;
  core::repair_utf8(utf8, text);
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  if (!text.empty() && text.back() != '\n') text.push_back('\n');
  iconv_t cd = iconv_open("ISO-2022-JP", "UTF-8");
  if (cd != reinterpret_cast<iconv_t>(-1)) {
    std::string jis;
    bool ok = true;
    for (std::size_t start = 0; ok && start < text.size();) {
      std::size_t end = text.find('\n', start);
      auto line = to_iso2022jp(cd, std::string_view(text).substr(start, end - start));
      ok = line && line->size() <= kMaxLineOctets &&
           std::none_of(line->begin(), line->end(), [](char c) { return c == '\0'; });
      if (ok) jis += *line + "\r\n";
      start = end + 1;
    }
    iconv_close(cd);
    if (ok) return {"ISO-2022-JP", "7bit", jis};
  }
  std::string encoded = base64(text), wrapped;
  for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
  return {"UTF-8", "base64", wrapped};
}

bool is_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// A display name: an encoded word when non-ASCII, else a quoted string.
std::string display_name_text(std::string_view name) {
  std::string safe = header_safe(name);
  if (safe.empty()) return {};
  if (!core::is_ascii(safe) || safe.find("=?") != std::string::npos) {
    return encode_header_words(safe);
  }
  std::string quoted = "\"";
  for (char c : safe) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return quoted + "\"";
}

std::string address_list(const std::vector<Mailbox>& mailboxes) {
  std::string out;
  for (const auto& mailbox : mailboxes) {
    if (!is_plain_address(mailbox.address)) continue;
    if (!out.empty()) out += ",\r\n ";
    std::string name = display_name_text(mailbox.display_name);
    out += name.empty() ? mailbox.address : name + " <" + mailbox.address + ">";
  }
  return out;
}

}  // namespace

std::string header_safe(std::string_view utf8) {
  std::string repaired;
  core::repair_utf8(utf8, repaired);
  std::string out;
  out.reserve(repaired.size());
  for (std::size_t i = 0; i < repaired.size(); ++i) {
    auto c = static_cast<unsigned char>(repaired[i]);
    bool c1 = c == 0xC2 && i + 1 < repaired.size() &&
              static_cast<unsigned char>(repaired[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(repaired[i + 1]) <= 0x9F;
    if (c1) {
      ++i;
      continue;
    }
    if (c < 0x20 || c == 0x7F || c == ' ') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string encode_header_words(std::string_view utf8) {
  std::string text = header_safe(utf8);
  if (core::is_ascii(text) && text.find("=?") == std::string::npos &&
      text.size() <= kEncodedWordMax) {
    return text;
  }
  static constexpr std::string_view kPrefix = "=?UTF-8?B?", kSuffix = "?=";
  // 75 - 12 characters of base64 carry 45 bytes.
  constexpr std::size_t kChunkBytes = (kEncodedWordMax - kPrefix.size() - kSuffix.size()) / 4 * 3;
  std::string out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = start;
    while (end < text.size()) {
      std::size_t next = end + utf8_length(static_cast<unsigned char>(text[end]));
      if (next - start > kChunkBytes) break;
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    out += std::string(kPrefix) + base64(std::string_view(text).substr(start, end - start)) +
           std::string(kSuffix);
    start = end;
  }
  return out;
}

bool is_plain_address(std::string_view address) {
  auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= address.size() || address.size() > 254)
    return false;
  auto local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos)
    return false;
  if (!std::all_of(local.begin(), local.end(), [](char c) { return is_atext(c) || c == '.'; }))
    return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.front() == '-' ||
      domain.find("..") != std::string_view::npos)
    return false;
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

std::optional<std::string> rfc5322_date(std::string_view rfc3339) {
  auto stamp = parse_rfc3339(rfc3339);
  if (!stamp) return std::nullopt;
  static constexpr std::array<std::string_view, 7> kWeekdays{"Thu", "Fri", "Sat", "Sun",
                                                             "Mon", "Tue", "Wed"};
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  long days = stamp->days_since_epoch();
  auto two = [](int value) { return std::string(value < 10 ? "0" : "") + std::to_string(value); };
  const int offset = stamp->offset_minutes < 0 ? -stamp->offset_minutes : stamp->offset_minutes;
  return std::string(kWeekdays[((days % 7) + 7) % 7]) + ", " + two(stamp->day) + " " +
         std::string(kMonths[stamp->month - 1]) + " " + std::to_string(stamp->year) + " " +
         two(stamp->hour) + ":" + two(stamp->minute) + ":" + two(stamp->second) + " " +
         (stamp->offset_minutes < 0 ? "-" : "+") + two(offset / 60) + two(offset % 60);
}

std::string compose_eml(const Draft& draft) {
  EncodedBody body = encode_body(draft.body);
  std::string out;
  auto header = [&](std::string_view name, const std::string& value) {
    if (!value.empty()) out += std::string(name) + ": " + value + "\r\n";
  };
  header("From", address_list({draft.from}));
  header("To", address_list(draft.to));
  header("Cc", address_list(draft.cc));
  header("Subject", encode_header_words(draft.subject));
  header("Date", header_safe(draft.date));
  header("Message-ID", header_safe(draft.message_id));
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=" + body.charset);
  header("Content-Transfer-Encoding", body.transfer_encoding);
  header("X-Mailer", "emotriage notice (draft)");
  out += "\r\n" + body.bytes;
  return out;
}

}  // namespace emotriage::notice
