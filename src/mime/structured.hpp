// Parsers for structured trace and authentication headers. Pure functions on one unfolded header
// value; unknown or broken syntax yields the fields that could be read, never an exception.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.hpp"

namespace emotriage::mime {

// One Received: value -> hop (from/by/with/id/for, client IP in [..] or (..), authenticated
// sender from Postfix "(Authenticated sender: x)", Exim "(authenticated as x)", Sendmail
// "(authenticated bits=0)"-style comments, and the date after the last ';').
core::ReceivedHop parse_received(std::string_view value);

// Authentication-Results (RFC 8601): authserv-id, then method=result [reason=] [ptype.prop=val].
std::vector<core::AuthResult> parse_authentication_results(std::string_view value);

// DKIM-Signature tag list (RFC 6376 3.2).
core::DkimSignature parse_dkim_signature(std::string_view value);

// RFC 5322 date (with the obsolete forms real mail uses: missing weekday or seconds, two-digit
// years, named zones, "(JST)" comments) -> ISO 8601 "2026-01-05T09:12:00+09:00".
std::optional<std::string> parse_date(std::string_view value);

}  // namespace emotriage::mime
