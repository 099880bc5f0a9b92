// The web server's request guard on arbitrary header values (Host, Cookie, Authorization, Origin)
// and --listen text: never a crash, and what it extracts or allows stays within its contract.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "web/security.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  while (fields.size() < 4) {
    auto end = input.find('\n');
    fields.push_back(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
  }
  const std::string_view host = fields[0], cookie = fields[1], authorization = fields[2],
                         origin = fields[3];
  using namespace emotriage::web;
  if (host_header_allowed(host, 8080) && host.find("8080") == std::string_view::npos) {
    __builtin_trap();  // the port must be the server's own
  }
  if (auto value = cookie_value(cookie, "emotriage_session_8080");
      !value.empty() && cookie.find(value) == std::string_view::npos) {
    __builtin_trap();
  }
  if (auto token = bearer_token(authorization); !token.empty() && !authorization.ends_with(token)) {
    __builtin_trap();
  }
  if (!origin.empty() && origin_allowed(origin, host) && !origin.ends_with(host)) __builtin_trap();
  if (auto listen = parse_listen(host); listen && (listen->port < 0 || listen->port > 65535)) {
    __builtin_trap();
  }
  is_loopback_host(cookie);
  token_matches(authorization, origin);
  return 0;
}
