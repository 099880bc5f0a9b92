#include "evidence/routing.hpp"

#include <arpa/inet.h>

#include <array>
#include <chrono>
#include <cstring>

#include "core/text.hpp"

namespace emotriage::evidence {

bool is_authenticated_protocol(std::string_view with) {
  std::string protocol = core::ascii_lower(core::trim(with));
  for (std::string_view base :
       {"esmtps", "esmtp", "lmtps", "lmtp", "utf8smtps", "utf8smtp", "utf8lmtps", "utf8lmtp"}) {
    if (protocol.size() == base.size() + 1 && protocol.starts_with(base) &&
        protocol.back() == 'a') {
      return true;
    }
  }
  return false;
}

namespace {

std::string_view host_of(std::string_view value) {
  value = core::trim(value);
  if (value.starts_with('[') && value.ends_with(']')) value = value.substr(1, value.size() - 2);
  if (core::istarts_with(value, "ipv6:")) value.remove_prefix(5);
  return value;
}

bool handled_by(const core::ReceivedHop& hop,
                const std::function<bool(std::string_view)>& is_own_server) {
  return !hop.by.empty() && is_own_server(host_of(hop.by));
}

bool received_from(const core::ReceivedHop& hop,
                   const std::function<bool(std::string_view)>& is_own_server) {
  if (!hop.from_ip.empty() && is_own_server(host_of(hop.from_ip))) return true;
  if (!hop.from_rdns.empty() && is_own_server(host_of(hop.from_rdns))) return true;
  // The HELO name is the client's claim; use it only when the receiver logged nothing better.
  return hop.from_ip.empty() && hop.from_rdns.empty() && !hop.from_helo.empty() &&
         is_own_server(host_of(hop.from_helo));
}

bool is_public_ip(std::string_view text) {
  std::string ip(host_of(text));
  unsigned char bytes[16];
  if (inet_pton(AF_INET, ip.c_str(), bytes) == 1) {
    return !(bytes[0] == 10 || bytes[0] == 127 || bytes[0] == 0 ||
             (bytes[0] == 172 && (bytes[1] & 0xf0) == 16) || (bytes[0] == 192 && bytes[1] == 168) ||
             (bytes[0] == 169 && bytes[1] == 254) || (bytes[0] == 100 && (bytes[1] & 0xc0) == 64));
  }
  if (inet_pton(AF_INET6, ip.c_str(), bytes) == 1) {
    static constexpr unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return std::memcmp(bytes, kLoopback, 16) != 0 && (bytes[0] & 0xfe) != 0xfc &&
           !(bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80);
  }
  return false;
}

}  // namespace

Routing walk_received(const std::vector<core::ReceivedHop>& hops,
                      const std::function<bool(std::string_view)>& is_own_server) {
  Routing routing;
  if (hops.empty()) return routing;

  // From the top (the receiver's own, trusted lines) down: hop i is ours when its `by` is our
  // server and it is connected to the hop above — that hop received from us, or was ours and
  // took the mail from a loopback/private client (content filters, internal relays).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t newest_ours = kNone, oldest_ours = kNone;
  for (std::size_t i = 0; i < hops.size(); ++i) {
    bool connected = i == 0 || received_from(hops[i - 1], is_own_server) ||
                     (oldest_ours == i - 1 && !is_public_ip(hops[i - 1].from_ip));
    if (handled_by(hops[i], is_own_server) && connected) {
      if (newest_ours == kNone) newest_ours = i;
      oldest_ours = i;
    } else if (newest_ours != kNone) {
      break;  // below our oldest hop the lines are the client's
    } else if (routing.unconnected_own_hop.empty() && handled_by(hops[i], is_own_server)) {
      routing.unconnected_own_hop = hops[i].raw;
    }
  }

  if (newest_ours != kNone) {
    for (std::size_t i = oldest_ours + 1; i-- > newest_ours;) {
      const core::ReceivedHop& hop = hops[i];
      if (!hop.auth_sender.empty() || is_authenticated_protocol(hop.with)) {
        routing.origin = Origin::own_server_authenticated;
        routing.authenticated_account = hop.auth_sender;
        routing.evidence = hop.raw;
        return routing;
      }
    }
    const core::ReceivedHop& entry = hops[oldest_ours];
    bool left_through_us = newest_ours > 0;  // a later hop received it from us
    bool internal_client = !is_public_ip(entry.from_ip) || received_from(entry, is_own_server);
    routing.origin = left_through_us || internal_client ? Origin::own_server : Origin::external;
    routing.evidence = entry.raw;
    return routing;
  }

  // No line of ours kept, but the receiver may have logged our server as its client.
  for (const core::ReceivedHop& hop : hops) {
    if (received_from(hop, is_own_server)) {
      routing.origin = Origin::own_server;
      routing.evidence = hop.raw;
      return routing;
    }
  }
  routing.origin = Origin::external;
  // The entry into the receiving side: the newest hop whose client is a public address.
  routing.evidence = hops.back().raw;
  for (const core::ReceivedHop& hop : hops) {
    if (is_public_ip(hop.from_ip)) {
      routing.evidence = hop.raw;
      break;
    }
  }
  return routing;
}

AuthSummary read_authentication_results(const std::vector<core::AuthResult>& results) {
  AuthSummary summary;
  if (results.empty()) return summary;
  summary.authserv_id = results.front().authserv_id;
  bool dkim_pass = false;
  for (const core::AuthResult& result : results) {
    if (!core::iequals(result.authserv_id, summary.authserv_id)) continue;
    std::string method = core::ascii_lower(result.method);
    std::string value = core::ascii_lower(result.result);
    std::string text = method + "=" + value;
    for (const auto& [name, property] : result.properties) text += " " + name + "=" + property;
    if (method == "spf") {
      summary.spf = text;
      summary.spf_fail = value == "fail";
      summary.spf_softfail = value == "softfail";
    } else if (method == "dkim") {
      if (value == "pass") {
        dkim_pass = true;
      } else if (value == "fail" && summary.dkim.empty()) {
        summary.dkim = text;
      }
    } else if (method == "dmarc") {
      summary.dmarc = text;
      summary.dmarc_fail = value == "fail";
    }
  }
  // One valid signature is enough for DKIM; a second broken one (a list footer) is no failure.
  summary.dkim_fail = !dkim_pass && !summary.dkim.empty();
  if (!summary.dkim_fail) summary.dkim.clear();
  return summary;
}

std::optional<std::int64_t> iso_to_epoch(std::string_view iso) {
  // "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"/"-HH:MM".
  auto number = [&](std::size_t at, std::size_t digits) -> std::optional<int> {
    if (at + digits > iso.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
      value = value * 10 + (iso[i] - '0');
    }
    return value;
  };
  auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
  auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (!year || !month || !day || !hour || !minute || !second || iso.size() < 20) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  std::int64_t seconds = std::chrono::sys_days(date).time_since_epoch() / std::chrono::seconds(1) +
                         *hour * 3600LL + *minute * 60LL + *second;
  std::string_view zone = iso.substr(19);
  if (zone == "Z") return seconds;
  auto zone_hours = number(20, 2), zone_minutes = number(23, 2);
  if ((zone[0] != '+' && zone[0] != '-') || !zone_hours || !zone_minutes) return std::nullopt;
  std::int64_t offset = *zone_hours * 3600LL + *zone_minutes * 60LL;
  return zone[0] == '+' ? seconds - offset : seconds + offset;
}

std::optional<std::int64_t> date_lead_seconds(const core::Envelope& envelope) {
  std::optional<std::int64_t> date = iso_to_epoch(envelope.date);
  if (!date) return std::nullopt;
  for (const core::ReceivedHop& hop : envelope.received) {
    if (auto received = iso_to_epoch(hop.timestamp)) return *date - *received;
  }
  return std::nullopt;
}

}  // namespace emotriage::evidence
