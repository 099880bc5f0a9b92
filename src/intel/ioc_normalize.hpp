// Indicator normalisation shared by loading and matching (internal to the intel module): both
// sides go through the same functions, so "hxxp://Example[.]com:80/a#x" in a feed matches
// "http://example.com/a" in a mail.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::intel {

enum class IndicatorKind { hash, url, ip, domain };

struct Indicator {
  IndicatorKind kind;
  std::string value;  // the normalised key
};

// Undoes the usual defanging: hxxp/hxxps/fxp schemes, [.] (.) {.} [dot], [:], [://], [@].
std::string refang(std::string_view text);

// Canonical IP text (IPv4 dotted quad, RFC 5952 IPv6; IPv4-mapped IPv6 becomes IPv4), accepting
// "[v6]" and "IPv6:v6"; nullopt when not an IP address.
std::optional<std::string> normalize_ip(std::string_view text);

// Lower-case, IDNA (libidn2) ASCII form of a host name without a trailing dot; nullopt when it is
// not a plausible DNS name with at least two labels.
std::optional<std::string> normalize_domain(std::string_view text);

// URL key: host[:port]/path[?query], scheme and default port dropped, host normalised, fragment
// dropped, empty path as "/". Also returns the host (IP or domain form) through `host`.
std::optional<std::string> normalize_url(std::string_view text, std::string* host = nullptr);

// Lower-case hex of a sha256 (64), sha1 (40) or md5 (32) digest; nullopt otherwise.
std::optional<std::string> normalize_hash(std::string_view text);

// One plain-list line (already stripped of comments) classified by its shape.
std::optional<Indicator> classify_indicator(std::string_view text);

}  // namespace emotriage::intel
