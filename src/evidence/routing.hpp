// Which way a mail came (the Received chain against our outbound servers), what the receiving
// side's Authentication-Results said, and whether the Date header lies ahead of the route.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.hpp"
#include "evidence/evidence.hpp"

namespace emotriage::evidence {

struct Routing {
  Origin origin = Origin::unknown;
  std::string evidence;               // the deciding Received line (raw)
  std::string authenticated_account;  // SASL user one of our hops logged
  // A Received line names one of our servers, but the hop above it (added later, by a server
  // the sender does not control) did not receive the mail from us: a line forged into the
  // chain to look like our own send.
  std::string unconnected_own_hop;
};

// RFC 3848 protocol names of an authenticated submission: ESMTPA, ESMTPSA, LMTPA,
// UTF8SMTPSA ...
bool is_authenticated_protocol(std::string_view with);

// Hops are newest first (as in the message). A hop is ours when its `by` is one of our servers;
// the mail left us when a later hop logged one of our servers as its client (rdns or IP; the
// HELO name only when neither was logged). Our hops count only when connected to the top of
// the chain, so lines forged below the real ones cannot make an outside mail look like ours.
Routing walk_received(const std::vector<core::ReceivedHop>& hops,
                      const std::function<bool(std::string_view)>& is_own_server);

struct AuthSummary {
  std::string authserv_id;  // the receiving side's, from the newest Authentication-Results
  bool spf_fail = false, spf_softfail = false, dkim_fail = false, dmarc_fail = false;
  std::string spf, dkim, dmarc;  // "spf=fail smtp.mailfrom=x.example" for the evidence
};

// Reads only the results of the newest authserv-id: older Authentication-Results headers were
// added by servers on the way (or by the sender) and are not the receiver's judgement.
AuthSummary read_authentication_results(const std::vector<core::AuthResult>& results);

// Seconds since the epoch of an ISO 8601 time with offset ("2026-01-05T09:12:00+09:00").
std::optional<std::int64_t> iso_to_epoch(std::string_view iso);

// Seconds by which the Date header is later than the first (newest) Received line with a time:
// the receiver's own clock. Older lines come from the sender's side, whose clocks and zones are
// often wrong (a +0000 label on local time), and an attacker writes them. Negative: earlier;
// nullopt when either is missing.
std::optional<std::int64_t> date_lead_seconds(const core::Envelope& envelope);

}  // namespace emotriage::evidence
