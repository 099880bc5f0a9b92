// The facts a notice is written from: what a saved `analyze --format json` (the DESIGN.md
// contract plus the campaign extension of docs/report-schema.md) and the company profile say about
// the case, in the shape the templates see (docs/notices.md lists every field).
//
// The analysis is untrusted input (a file the user may have edited, or mail-derived text in it):
// every field is type-checked, every string is valid UTF-8, on one line, without control or bidi
// characters, and bounded; lists are bounded too.
#pragma once
#include <nlohmann/json.hpp>

#include "profile/profile.hpp"
#include "report/lang.hpp"

namespace emotriage::notice {

// Caps on what one notice may carry; a long case is summarised, not pasted.
inline constexpr std::size_t kMaxValueBytes = 300;       // one mail-derived value
inline constexpr std::size_t kMaxListEntries = 100;      // addresses, senders, techniques ...
inline constexpr std::size_t kMaxEvidenceMessages = 10;  // sample mails quoted per sender group

// Builds the template context for one language. Never fails: missing or mistyped fields yield
// empty values; lists the campaign object does not carry are derived from the messages.
nlohmann::ordered_json build_facts(const nlohmann::ordered_json& analysis,
                                   const profile::Profile& profile, report::Lang lang);

// A mail-derived value made safe to place anywhere in a notice: UTF-8 repaired, cut to
// `max_bytes`, line breaks, control and bidi characters shown as visible escapes.
std::string clean_value(std::string_view value, std::size_t max_bytes = kMaxValueBytes);

}  // namespace emotriage::notice
