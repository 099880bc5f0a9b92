#include "profile/net.hpp"

#include <arpa/inet.h>
#include <idn2.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/text.hpp"

namespace emotriage::profile {

namespace {

// RFC 1035 limits; longer names cannot be resolved and only appear in attacks.
constexpr std::size_t kMaxDomainBytes = 253;
constexpr std::size_t kMaxLabelBytes = 63;
// RFC 5321: 64-byte local part; longer input is refused before any conversion work.
constexpr std::size_t kMaxLocalPartBytes = 64;

bool is_ascii_host_syntax(std::string_view domain) {
  if (domain.empty() || domain.size() > kMaxDomainBytes) return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i < domain.size() && domain[i] != '.') {
      char c = domain[i];
      bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!allowed) return false;
      continue;
    }
    std::string_view label = domain.substr(label_start, i - label_start);
    if (label.empty() || label.size() > kMaxLabelBytes) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    label_start = i + 1;
  }
  return true;
}

std::string to_ascii_idn(const std::string& unicode) {
  char* converted = nullptr;
  // Non-transitional IDNA2008 first (what browsers and registries use); UTS #46 transitional
  // processing as a fallback for names that only it accepts (e.g. with "ß" mapped).
  int rc = idn2_to_ascii_8z(unicode.c_str(), &converted, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    rc = idn2_to_ascii_8z(unicode.c_str(), &converted, IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
  }
  if (rc != IDN2_OK || converted == nullptr) return {};
  std::string result(converted);
  idn2_free(converted);
  return result;
}

}  // namespace

std::optional<std::string> domain_to_ascii(std::string_view domain) {
  domain = core::trim(domain);
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty() || domain.size() > kMaxDomainBytes * 4) return std::nullopt;
  std::string ascii;
  if (core::is_ascii(domain)) {
    ascii = core::ascii_lower(domain);
  } else {
    if (!core::is_valid_utf8(domain)) return std::nullopt;
    ascii = to_ascii_idn(std::string(domain));
    if (ascii.empty()) return std::nullopt;
    ascii = core::ascii_lower(ascii);
  }
  if (!is_ascii_host_syntax(ascii)) return std::nullopt;
  return ascii;
}

std::string domain_to_unicode(std::string_view ascii_domain) {
  if (ascii_domain.find("xn--") == std::string_view::npos) return std::string(ascii_domain);
  std::string input(ascii_domain);
  char* converted = nullptr;
  if (idn2_to_unicode_8z8z(input.c_str(), &converted, 0) != IDN2_OK || converted == nullptr) {
    return input;
  }
  std::string result(converted);
  idn2_free(converted);
  return result;
}

std::optional<std::string> normalize_email(std::string_view address) {
  address = core::trim(address);
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > kMaxLocalPartBytes) return std::nullopt;
  std::string_view local = address.substr(0, at);
  // Invalid UTF-8 would be written back as other characters (TOML escapes), and the address read
  // back would not be this one.
  if (!core::is_valid_utf8(local)) return std::nullopt;
  for (char c : local) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '@' || c == '<' || c == '>' || c == ',' || c == ';' ||
        c == '"' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\\') {
      return std::nullopt;
    }
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  auto domain = domain_to_ascii(address.substr(at + 1));
  if (!domain || domain->find('.') == std::string::npos) return std::nullopt;
  std::string result = core::ascii_lower(local);
  result += '@';
  result += *domain;
  return result;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  text = core::trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (core::istarts_with(text, "ipv6:")) text.remove_prefix(5);
  // The longest textual IPv6 address (with an embedded IPv4 part) is 45 characters.
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string buffer(text);
  IpAddress address;
  if (inet_pton(AF_INET, buffer.c_str(), address.bytes.data()) == 1) return address;
  if (inet_pton(AF_INET6, buffer.c_str(), address.bytes.data()) != 1) return std::nullopt;
  static constexpr std::array<std::uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0,    0,
                                                                 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), address.bytes.begin())) {
    std::copy_n(address.bytes.begin() + 12, 4, address.bytes.begin());
    std::fill(address.bytes.begin() + 4, address.bytes.end(), 0);
    return address;
  }
  address.v6 = true;
  return address;
}

std::optional<IpNetwork> parse_cidr(std::string_view text) {
  text = core::trim(text);
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view address_text = text.substr(0, slash);
  std::string_view bits_text = text.substr(slash + 1);
  if (address_text.find('[') != std::string_view::npos) return std::nullopt;
  auto base = parse_ip(address_text);
  if (!base) return std::nullopt;
  int bits = -1;
  auto [end, error] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
  if (error != std::errc{} || end != bits_text.data() + bits_text.size() || bits_text.empty()) {
    return std::nullopt;
  }
  const int max_bits = base->v6 ? 128 : 32;
  if (bits < 0 || bits > max_bits) return std::nullopt;
  IpNetwork network{*base, bits};
  // A range whose host bits are set is a typo (192.0.2.25/24 meant 192.0.2.0/24 or one host).
  IpAddress masked = *base;
  for (int i = 0; i < 16; ++i) {
    int keep = std::clamp(bits - i * 8, 0, 8);
    masked.bytes[i] &= static_cast<std::uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
  }
  if (masked.bytes != base->bytes) return std::nullopt;
  return network;
}

bool network_contains(const IpNetwork& network, const IpAddress& address) {
  if (network.base.v6 != address.v6) return false;
  int bits = network.prefix_bits;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    int keep = std::min(bits, 8);
    auto mask = static_cast<std::uint8_t>(0xff << (8 - keep));
    if ((network.base.bytes[i] & mask) != (address.bytes[i] & mask)) return false;
  }
  return true;
}

}  // namespace emotriage::profile
