// The project's own model of one mail, independent of GMime. Every string is UTF-8; raw header
// bytes are kept beside their decoded form so forensic output can show both.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/finding.hpp"

namespace emotriage::core {

struct Header {
  std::string name;
  std::string raw;    // as in the message, unfolded, not decoded (invalid UTF-8 repaired)
  std::string value;  // RFC 2047 decoded, charset converted
};

struct Mailbox {
  std::string display_name;
  std::string address;  // local@domain as written (may be empty or malformed)
  bool operator==(const Mailbox&) const = default;
};

// One Received: header, newest first as in the message.
struct ReceivedHop {
  std::string from_helo;    // name the client gave ("from X")
  std::string from_rdns;    // reverse DNS the receiver logged, if any
  std::string from_ip;      // client IP the receiver logged
  std::string by;           // receiving host
  std::string with;         // protocol: SMTP, ESMTPS, ESMTPSA, LMTP ...
  std::string id;           // receiver's queue id
  std::string for_address;  // envelope recipient when logged
  std::string auth_sender;  // authenticated user when the receiver logged one
  std::string timestamp;    // ISO 8601 with the hop's own offset; empty if unparsable
  std::string raw;
};

// One method result of an Authentication-Results header (RFC 8601).
struct AuthResult {
  std::string authserv_id;
  std::string method;  // spf, dkim, dmarc, arc, auth, iprev ...
  std::string result;  // pass, fail, softfail, neutral, none, temperror, permerror ...
  std::string reason;
  std::vector<std::pair<std::string, std::string>> properties;  // "header.d" -> "example.jp"
};

struct DkimSignature {
  std::string domain;                       // d=
  std::string selector;                     // s=
  std::string algorithm;                    // a=
  std::string canonicalization;             // c=
  std::vector<std::string> signed_headers;  // h=
  std::string identity;                     // i=
};

// Headers of a message, top-level or attached (message/rfc822).
struct Envelope {
  std::vector<Header> headers;
  std::vector<Mailbox> from, sender, reply_to, to, cc, bcc, return_path;
  std::string subject;
  std::string date;  // ISO 8601 with the sender's offset; empty if absent or unparsable
  std::string date_raw;
  std::string message_id, in_reply_to;
  std::vector<std::string> references;
  std::vector<ReceivedHop> received;
  std::vector<AuthResult> auth_results;
  std::vector<DkimSignature> dkim_signatures;

  // First header of that name (case-insensitive), or nullptr.
  const Header* find(std::string_view name) const;
};

// One MIME entity. Parts form a tree stored flat in pre-order; `path` is its IMAP-style
// address ("1", "2.1"); the entities inside an attached message continue its path.
struct Part {
  std::string path;
  int parent = -1;  // index in Message::parts, -1 for the root
  int depth = 0;
  std::string content_type;     // lower case "type/subtype"
  std::string charset;          // declared, lower case; may lie
  std::string decoded_charset;  // charset actually used to decode the text
  std::string disposition;      // lower case, empty if absent
  std::string filename;         // decoded (RFC 2231 / RFC 2047 / quoted encoded word)
  std::string transfer_encoding;
  std::string content_id;
  std::string description;
  bool is_multipart = false;
  bool is_attachment = false;  // a leaf that is not an inline text body
  std::uint64_t decoded_size = 0;
  std::string sha256;   // of the decoded content, leaves only
  std::string content;  // transfer-decoded bytes (leaves; bounded by Limits)
  bool content_truncated = false;
  std::string text;                   // text/* leaves as UTF-8 (bounded by Limits::text_bytes)
  std::string html_text;              // text/html rendered to plain text (never to a screen)
  std::vector<std::string> links;     // href/src targets of an HTML part
  std::unique_ptr<Envelope> message;  // message/rfc822: the attached message's headers
};

struct Message {
  std::string locator;     // "mail/1.eml", "box.mbox#1234", "Maildir/cur/x"
  std::uint64_t size = 0;  // raw bytes (before any cut)
  std::string sha256;      // of the raw bytes read
  std::string raw;         // the raw bytes read, only when asked for (app::BatchOptions::keep_raw)
  Envelope envelope;
  std::vector<Part> parts;
  std::vector<Finding> findings;

  // Bounded: a hostile message cannot multiply findings (2,000 broken headers in each of 5,000
  // attached messages); past the cap one parse.limit-exceeded finding says so.
  static constexpr std::size_t kMaxFindings = 500;
  void add_finding(Finding finding);
  // Children of part `index` in order.
  std::vector<int> children(int index) const;
};

}  // namespace emotriage::core
