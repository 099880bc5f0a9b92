// RFC 5322 drafts of the notices: header values built from data can carry neither a line break
// nor a control character (no header injection), non-ASCII text is RFC 2047 encoded, the body is
// ISO-2022-JP when every line can be (the charset Japanese mail clients expect), else UTF-8 in
// base64; no line exceeds 998 octets.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::notice {

struct Mailbox {
  std::string display_name;
  std::string address;  // must pass is_plain_address() to be written
};

struct Draft {
  Mailbox from;
  std::vector<Mailbox> to, cc;
  std::string subject;
  std::string date;        // RFC 5322 date-time ("Thu, 03 Sep 2020 10:15:42 +0900")
  std::string message_id;  // with angle brackets
  std::string body;        // UTF-8, '\n' line ends
};

// The draft as bytes (CRLF line ends). Mailboxes whose address is not plain are left out.
std::string compose_eml(const Draft& draft);

// A header value built from data: control characters (CR, LF, NUL, C0, DEL, C1) removed, runs
// of white space collapsed, so it stays on one header line whatever the data was.
std::string header_safe(std::string_view utf8);

// RFC 2047 "B" encoded words (UTF-8), each at most 75 characters, never splitting a character;
// joined by CRLF SP so the header folds between them. ASCII text without "=?" is returned as is.
std::string encode_header_words(std::string_view utf8);

// local@domain with only the characters an unquoted addr-spec allows (ASCII).
bool is_plain_address(std::string_view address);

// "2020-09-03T10:15:42+09:00" (RFC 3339) -> "Thu, 03 Sep 2020 10:15:42 +0900"; nullopt when the
// text is not such a time stamp.
std::optional<std::string> rfc5322_date(std::string_view rfc3339);

}  // namespace emotriage::notice
