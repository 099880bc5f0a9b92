// The web UI's security model as pure functions (docs/web.md): where the server listens, the
// access token, the CSRF token, the Host check against DNS rebinding, and the response headers.
#pragma once
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emotriage::web {

struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1" (brackets removed), "localhost", "0.0.0.0"
  int port = 0;
};

// "HOST:PORT", "[V6]:PORT" or ":PORT" (loopback). The error is ja/en.
struct ListenError {
  std::string message_ja, message_en;
};
std::expected<ListenAddress, ListenError> parse_listen(std::string_view text);

// 127.0.0.0/8, ::1 and "localhost": only processes of this machine can connect.
bool is_loopback_host(std::string_view host);

// 32 bytes from the OS's CSPRNG (OpenSSL), as 64 hex digits.
std::string random_token();

// Constant-time comparison; an empty `given` never matches.
bool token_matches(std::string_view given, std::string_view expected);

// The value of cookie `name` in a Cookie header ("" when absent).
std::string cookie_value(std::string_view cookie_header, std::string_view name);

// The token of an "Authorization: Bearer TOKEN" header ("" when it is not one).
std::string bearer_token(std::string_view authorization);

// On a loopback server, a browser must have reached it by a loopback name: a page of another
// site that rebinds its own DNS name to 127.0.0.1 sends its own name as Host and is refused.
bool host_header_allowed(std::string_view host_header, int port);

// An Origin header, when a browser sends one, must be this server's own origin.
bool origin_allowed(std::string_view origin, std::string_view host_header);

// Headers of every response: strict CSP (no inline script, no other origin), no sniffing, no
// referrer, no framing.
const std::vector<std::pair<std::string, std::string>>& security_headers();

}  // namespace emotriage::web
