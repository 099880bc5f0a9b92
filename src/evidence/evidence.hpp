// Step ②–④ facts about one parsed message, read against the company profile: who the sender
// really is, which way the mail came, what authentication said, whose information it uses, what
// the text asks for. Each fact that matters is also a Finding (stable id, ja/en text, evidence).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/message.hpp"
#include "profile/matcher.hpp"

namespace emotriage::evidence {

// Where a mail came from, judged from the Received chain and the profile's mail servers.
enum class Origin {
  own_server_authenticated,  // submitted to one of our servers by an authenticated client
  own_server,                // passed our servers, submission not visibly authenticated
  external,                  // entered the receiving side from a server that is not ours
  unknown                    // no usable Received header (e.g. a .eml saved by a client)
};

struct EmployeeReference {
  int employee = -1;               // index in Profile::employees
  std::string name;                // first name listed in the profile
  std::string email;               // first address listed in the profile, may be empty
  std::vector<std::string> where;  // "from-address", "display-name", "body", "signature",
                                   // "quoted-thread", "recipient"
};

// One person seen in the quoted part of a reply/forward (Outlook 差出人:/From: blocks, "On ...
// wrote:" lines, > quotes).
struct QuotedParticipant {
  std::string display_name;
  std::string address;
  int employee = -1;  // when it is one of ours
};

// A mail forwarded inline (a reporter's "FW:" with the suspicious mail pasted into the body):
// what the forward's header block says about the original. Its own headers (route,
// authentication) are gone; only the block's text remains.
struct InlineForward {
  core::Mailbox sender;  // 差出人 / From of the block
  std::string date;      // 送信日時 / Sent / Date, as written
  std::string subject;   // 件名 / Subject
  std::string marker;    // the line that opened the block
  std::string part;      // MIME part path of the body
  // The sender read against the profile like a From address.
  std::string domain;
  profile::DomainMatch domain_match;
  std::optional<int> employee;        // the address is this employee's
  std::optional<int> named_employee;  // the display name names this employee, the address is
                                      // not theirs
  // 宛先/To and Cc of the block: who received the original (often the reporter), not people
  // of a quoted thread.
  std::vector<core::Mailbox> recipients;
  // Byte offsets in the folded body text: where the block opens, where the original's own
  // body starts after it.
  std::size_t block_start = 0;
  std::size_t body_start = 0;
  // Our employees and company as the forwarded mail itself uses them (its sender, recipients,
  // text and quoted thread), without the reporter's own note: the verdict judges these.
  std::vector<EmployeeReference> references;
  std::string company_reference;
};

struct Url {
  std::string url;
  std::string where;           // "text", "html", or the attachment path
  bool download_link = false;  // archive/document/executable path or a file-sharing host
};

struct Evidence {
  std::vector<core::Finding> findings;

  core::Mailbox from;       // first From mailbox (empty when absent)
  std::string from_domain;  // address_domain(from.address)
  profile::DomainMatch from_domain_match;
  std::optional<int> from_employee;    // the From address is this employee's
  bool display_name_mismatch = false;  // names a known person/company or holds another address

  Origin origin = Origin::unknown;
  std::string origin_evidence;        // the Received line the origin was judged from
  std::string authenticated_account;  // SASL user a Received line of ours logged, if any

  bool spf_fail = false, dkim_fail = false, dmarc_fail = false;
  // Date header minus the newest Received time, in seconds (victims' notices: "the date is the
  // next day"); empty when either is missing.
  std::optional<std::int64_t> date_lead_seconds;

  bool reply_subject = false;         // Re:/RE:/Fw:/返信:/転送: ...
  bool reply_without_thread = false;  // such a subject but no In-Reply-To/References
  bool has_quoted_thread = false;
  std::vector<QuotedParticipant> quoted_participants;
  std::vector<std::string> quote_markers;  // the lines that marked the quote, for the evidence

  // The top message's body carries an inline forward (forward.inline).
  std::optional<InlineForward> inline_forward;

  std::vector<EmployeeReference> employees_referenced;
  std::string company_reference;  // our company name as found, empty if none
  std::vector<std::string> lure_keywords;
  std::vector<std::string> password_candidates;  // from the message's own text, most likely first
  std::vector<Url> urls;

  // Evidence lines about the other identity headers: Sender, Return-Path, Reply-To, Message-ID
  // domain, DKIM-Signature d= unrelated to the From domain. Facts for the report, not verdicts.
  std::vector<std::string> identity_notes;
};

// Passwords the text offers ("パスワード：Ab12", "PW: x", "解凍パスワードは○○です", a password
// alone on the line after "パスワード", quoted in 「」【】""). Most likely first, de-duplicated.
std::vector<std::string> password_candidates(std::string_view text);

// Whether a URL points at something one downloads and opens: an archive, document or executable
// path, or a file-sharing host.
bool is_download_link(std::string_view url);

// Pure and thread-safe; bounded by the parser's text caps and the module's own scan bounds. At
// most kMaxFindings findings (then one parse.limit-exceeded).
Evidence collect(const core::Message& message, const profile::Matcher& matcher);
inline constexpr std::size_t kMaxFindings = 150;

}  // namespace emotriage::evidence
