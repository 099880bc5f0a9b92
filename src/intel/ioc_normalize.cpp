#include "intel/ioc_normalize.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>

#include "core/text.hpp"
#include "profile/net.hpp"

namespace emotriage::intel {

namespace {

void replace_all_ci(std::string& text, std::string_view from, std::string_view to) {
  std::string lowered = core::ascii_lower(text);
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t at = lowered.find(from, pos);
    if (at == std::string::npos) break;
    out.append(text, pos, at - pos);
    out += to;
    pos = at + from.size();
  }
  out.append(text, pos);
  text = std::move(out);
}

bool is_hex(std::string_view text) {
  return std::ranges::all_of(text, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

// An indicator domain has at least two labels and a name, not a number, as its last label (an
// all-digit one is an IPv4 address or garbage).
bool is_indicator_domain(std::string_view name) {
  std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view last = name.substr(dot + 1);
  return !std::ranges::all_of(last, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string refang(std::string_view text) {
  std::string out(core::trim(text));
  // Quotes and angle brackets around a pasted indicator.
  while (out.size() >= 2 &&
         ((out.front() == '"' && out.back() == '"') ||
          (out.front() == '\'' && out.back() == '\'') || (out.front() == '<' && out.back() == '>')))
    out = out.substr(1, out.size() - 2);
  for (auto [from, to] : std::array<std::pair<std::string_view, std::string_view>, 10>{{
           {"[://]", "://"},
           {"[:]", ":"},
           {"[.]", "."},
           {"(.)", "."},
           {"{.}", "."},
           {"[dot]", "."},
           {"(dot)", "."},
           {"[@]", "@"},
           {"[/]", "/"},
           {"\\.", "."},
       }}) {
    replace_all_ci(out, from, to);
  }
  std::string lowered = core::ascii_lower(out);
  for (auto [from, to] : std::array<std::pair<std::string_view, std::string_view>, 3>{{
           {"hxxps://", "https://"},
           {"hxxp://", "http://"},
           {"fxp://", "ftp://"},
       }}) {
    if (lowered.starts_with(from)) {
      out = std::string(to) + out.substr(from.size());
      break;
    }
  }
  return out;
}

std::optional<std::string> normalize_ip(std::string_view text) {
  std::string_view value = core::trim(text);
  if (core::istarts_with(value, "ipv6:")) value.remove_prefix(5);
  if (value.size() >= 2 && value.front() == '[' && value.back() == ']')
    value = value.substr(1, value.size() - 2);
  if (value.empty() || value.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string copy(value);
  std::array<unsigned char, 16> address{};
  std::array<char, INET6_ADDRSTRLEN> out{};
  if (inet_pton(AF_INET, copy.c_str(), address.data()) == 1) {
    inet_ntop(AF_INET, address.data(), out.data(), out.size());
    return std::string(out.data());
  }
  if (inet_pton(AF_INET6, copy.c_str(), address.data()) == 1) {
    constexpr std::array<unsigned char, 12> kMappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), address.begin())) {
      inet_ntop(AF_INET, address.data() + 12, out.data(), out.size());
    } else {
      inet_ntop(AF_INET6, address.data(), out.data(), out.size());
    }
    return std::string(out.data());
  }
  return std::nullopt;
}

std::optional<std::string> normalize_domain(std::string_view text) {
  std::string_view name = core::trim(text);
  if (name.starts_with("*.")) name.remove_prefix(2);  // wildcard entries mean the domain and below
  // The same IDNA and syntax rules as the profile's domains, so both sides of a match agree.
  auto ascii = profile::domain_to_ascii(name);
  if (!ascii || !is_indicator_domain(*ascii)) return std::nullopt;
  return ascii;
}

std::optional<std::string> normalize_url(std::string_view text, std::string* host_out) {
  std::string url = refang(text);
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0) return std::nullopt;
  std::string scheme = core::ascii_lower(std::string_view(url).substr(0, scheme_end));
  if (!std::ranges::all_of(scheme, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      }))
    return std::nullopt;
  std::string_view rest = std::string_view(url).substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  std::size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string path(authority_end == std::string_view::npos ? "" : rest.substr(authority_end));
  if (path.empty() || path.front() == '?') path.insert(0, "/");
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);  // user:password@ does not name the resource
  std::string_view host_text = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host_text = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else if (std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host_text = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!std::ranges::all_of(port, [](char c) { return c >= '0' && c <= '9'; }) || port.size() > 5)
    return std::nullopt;
  if ((port == "80" && scheme == "http") || (port == "443" && scheme == "https") ||
      (port == "21" && scheme == "ftp"))
    port = {};
  std::string host;
  if (auto ip = normalize_ip(host_text)) {
    host = *ip;
  } else if (auto domain = normalize_domain(host_text)) {
    host = *domain;
  } else {
    return std::nullopt;
  }
  if (host_out) *host_out = host;
  bool bracket = host.find(':') != std::string::npos;
  std::string key = bracket ? "[" + host + "]" : host;
  if (!port.empty()) key += ":" + std::string(port);
  return key + path;
}

std::optional<std::string> normalize_hash(std::string_view text) {
  std::string_view value = core::trim(text);
  if ((value.size() != 64 && value.size() != 40 && value.size() != 32) || !is_hex(value))
    return std::nullopt;
  return core::ascii_lower(value);
}

std::optional<Indicator> classify_indicator(std::string_view text) {
  std::string value = refang(text);
  if (value.empty()) return std::nullopt;
  if (auto hash = normalize_hash(value)) return Indicator{IndicatorKind::hash, *hash};
  if (value.find("://") != std::string::npos) {
    if (auto url = normalize_url(value)) return Indicator{IndicatorKind::url, *url};
    return std::nullopt;
  }
  if (auto ip = normalize_ip(value)) return Indicator{IndicatorKind::ip, *ip};
  // "192.0.2.1:8080" as Feodo-style lists write C2 endpoints: the address is the indicator.
  if (std::size_t colon = value.rfind(':');
      colon != std::string::npos && value.find(':') == colon && colon + 1 < value.size() &&
      std::ranges::all_of(value.substr(colon + 1), [](char c) { return c >= '0' && c <= '9'; })) {
    if (auto ip = normalize_ip(std::string_view(value).substr(0, colon)))
      return Indicator{IndicatorKind::ip, *ip};
  }
  if (value.find('/') != std::string::npos) {
    if (auto url = normalize_url("http://" + value)) return Indicator{IndicatorKind::url, *url};
    return std::nullopt;
  }
  if (auto domain = normalize_domain(value)) return Indicator{IndicatorKind::domain, *domain};
  return std::nullopt;
}

}  // namespace emotriage::intel
