#include "web/security.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <stdexcept>

namespace emotriage::web {

namespace {

bool parse_port(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && port >= 0 && port <= 65535;
}

// Splits "host:port" / "[v6]:port" / "host"; returns false on a malformed bracket.
bool split_host_port(std::string_view text, std::string_view& host, std::string_view& port) {
  port = {};
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return false;
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (rest.empty()) return true;
    if (!rest.starts_with(':')) return false;
    port = rest.substr(1);
    return true;
  }
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    host = text;
    return true;
  }
  // A bare IPv6 address has several colons and no port.
  if (text.find(':') != colon) {
    host = text;
    return true;
  }
  host = text.substr(0, colon);
  port = text.substr(colon + 1);
  return true;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::expected<ListenAddress, ListenError> parse_listen(std::string_view text) {
  std::string_view host, port;
  ListenAddress address;
  if (!split_host_port(text, host, port) || !parse_port(port, address.port)) {
    return std::unexpected(
        ListenError{"--listen は ホスト:ポート の形で指定してください (例 127.0.0.1:8080): " +
                        std::string(text),
                    "--listen must be HOST:PORT (e.g. 127.0.0.1:8080): " + std::string(text)});
  }
  address.host = host.empty() ? "127.0.0.1" : std::string(host);
  return address;
}

bool is_loopback_host(std::string_view host) {
  if (equals_ignoring_case(host, "localhost")) return true;
  std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

std::string random_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no random bytes for the access token");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    token += kHex[byte >> 4];
    token += kHex[byte & 0xf];
  }
  return token;
}

bool token_matches(std::string_view given, std::string_view expected) {
  if (given.empty() || given.size() != expected.size()) return false;
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

std::string cookie_value(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    auto end = cookie_header.find(';');
    auto pair = cookie_header.substr(0, end);
    cookie_header =
        end == std::string_view::npos ? std::string_view{} : cookie_header.substr(end + 1);
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      auto value = pair.substr(equals + 1);
      while (value.ends_with(' ')) value.remove_suffix(1);
      return std::string(value);
    }
  }
  return {};
}

std::string bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      !equals_ignoring_case(authorization.substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  return std::string(authorization.substr(kScheme.size()));
}

bool host_header_allowed(std::string_view host_header, int port) {
  std::string_view host, port_text;
  if (!split_host_port(host_header, host, port_text)) return false;
  int given_port = 80;
  if (!port_text.empty() && !parse_port(port_text, given_port)) return false;
  return given_port == port && is_loopback_host(host);
}

bool origin_allowed(std::string_view origin, std::string_view host_header) {
  if (origin.empty()) return true;  // not a browser, or a same-origin GET
  constexpr std::string_view kHttp = "http://";
  return origin.starts_with(kHttp) && origin.substr(kHttp.size()) == host_header;
}

const std::vector<std::pair<std::string, std::string>>& security_headers() {
  static const std::vector<std::pair<std::string, std::string>> kHeaders = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
  };
  return kHeaders;
}

}  // namespace emotriage::web
