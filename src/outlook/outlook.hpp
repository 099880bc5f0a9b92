// Outlook formats as input: an Outlook .msg file (MS-OXMSG, a CFB compound file) is rebuilt as an
// RFC 822/MIME message so that mime::parse_message and everything after it read it unchanged, and
// a TNEF stream (winmail.dat, application/ms-tnef, MS-OXTNEF) yields the files it carries.
// Hostile input: every size, count and nesting is bounded; nothing is executed or written out.
#pragma once
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/limits.hpp"

namespace emotriage::outlook {

// Rebuilds the message as UTF-8 MIME: the transport headers (PR_TRANSPORT_MESSAGE_HEADERS) when
// present, without their Content-* lines, else headers from the properties (From, To, Cc, Subject,
// Date, Message-ID, In-Reply-To, References; RFC 2047 encoded); plain, HTML or RTF-derived bodies;
// attachments by value (base64) and embedded messages (message/rfc822, recursively).
// Fails (short English reason) only when the bytes are not a usable .msg compound file.
// `findings`, when given, receives parse.limit-exceeded (an attachment, the recipient list or the
// nesting was cut) and parse.malformed (damaged compound file) findings for the message.
std::expected<std::string, std::string> msg_to_mime(std::string_view msg_bytes,
                                                    const core::Limits& limits,
                                                    std::vector<core::Finding>* findings = nullptr);

// True when `bytes` is an Outlook message file and nothing else: a compound file whose root holds
// the message property stream, and none of the streams of a Word, Excel or PowerPoint document
// or of a VBA project (a document dressed up as a message keeps being inspected as a document).
bool is_message_file(std::string_view bytes);

// True when `bytes` starts with the TNEF signature 0x223E9F78.
bool is_tnef(std::string_view bytes);

// A TNEF stream saved on its own (winmail.dat) rebuilt as MIME, so that its body is read as the
// mail's text and its files as attachments: From and Subject when the stream carries them
// (PR_SENDER_*, PR_SUBJECT, attSubject — most streams do not, the headers travelled in the mail
// around them), the richest body, every file (`with_files` false: the body alone). Fails only when
// the signature is missing.
std::expected<std::string, std::string> tnef_to_mime(std::string_view tnef,
                                                     const core::Limits& limits,
                                                     bool with_files = true);

// A file carried in a TNEF stream, for the caller to inspect. The message body comes last, named
// body.txt, body.html or body.rtf (decompressed), as the `tnef` tool names it.
struct Embedded {
  std::string name;
  std::string bytes;
};

// Reads a TNEF stream with the project's own bounded reader (see docs/outlook.md for why not
// libytnef). Fails only when the signature is missing; a damaged stream yields what came before
// the damage.
std::expected<std::vector<Embedded>, std::string> tnef_extract(std::string_view tnef,
                                                               const core::Limits& limits);

// True when `head` starts with the PFF signature "!BDN" (PST, OST).
bool is_pst(std::string_view head);

// One item of a PST/OST walk.
struct PstItem {
  // "Top of Personal Folders/Inbox/3": the folder names from the root ('/', '#', '%' and control
  // characters percent-encoded, an unnamed folder "_"), then the item's 1-based place in its
  // folder. Empty for what concerns the whole file.
  std::string location;
  std::string mime;                     // the message rebuilt as MIME; empty when not readable
  std::vector<core::Finding> findings;  // cuts; parse.malformed for what libpff could not read
  // The folder at `location` held contacts, appointments, tasks or notes: passed over.
  bool not_mail = false;
  // Items of the file visited so far, this one included (mail or not): how far the walk is, in
  // the unit of pst_item_count.
  std::uint64_t walked = 0;
};
using PstSink = std::function<void(PstItem&&)>;

// Walks every folder of a PST/OST mailbox with libpff, depth first in libpff's order, and hands
// each mail item over rebuilt as MIME exactly like a .msg (msg_to_mime). A file libpff cannot
// open, a folder or message it cannot read, a damaged file, and the folder and message count
// caps each arrive as an item with a finding; nothing throws for bad input. Not thread-safe per
// file; the callers read one file on one thread.
void read_pst_file(const std::string& path, const core::Limits& limits, const PstSink& sink);
// The same from memory (stdin, fuzzing); `bytes` must outlive the call.
void read_pst_memory(std::string_view bytes, const core::Limits& limits, const PstSink& sink);

// The number of items read_pst_file visits (mail or not), from the folders' counts alone — no
// message is opened — under the walk's own folder, depth and message caps: the total of a
// progress bar. nullopt when libpff cannot open the file or read its root folder.
std::optional<std::uint64_t> pst_item_count(const std::string& path);

}  // namespace emotriage::outlook
