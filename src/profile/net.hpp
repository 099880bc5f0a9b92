// Syntax of the things a profile lists: domains, mail addresses, IP addresses and CIDR ranges.
// Shared by profile validation and the matcher so that both agree on what an entry means.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::profile {

// Lower-cased ASCII form of a domain or host name (IDNA2008 A-labels via libidn2, trailing dot
// removed); nullopt when it is not a syntactically valid host name.
std::optional<std::string> domain_to_ascii(std::string_view domain);

// Unicode form of an ASCII domain (A-labels decoded); the input when decoding fails.
std::string domain_to_unicode(std::string_view ascii_domain);

// "local@domain" with the domain in ASCII form and everything lower-cased; nullopt when malformed.
std::optional<std::string> normalize_email(std::string_view address);

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
};

struct IpNetwork {
  IpAddress base;
  int prefix_bits = 0;
};

// IPv4 or IPv6 literal; also "[192.0.2.1]" and "[IPv6:2001:db8::1]" as Received headers write
// them. An IPv4-mapped IPv6 address (::ffff:192.0.2.1) becomes the IPv4 address.
std::optional<IpAddress> parse_ip(std::string_view text);
// "198.51.100.0/28", "2001:db8::/32"; host bits must be zero.
std::optional<IpNetwork> parse_cidr(std::string_view text);
bool network_contains(const IpNetwork& network, const IpAddress& address);

}  // namespace emotriage::profile
