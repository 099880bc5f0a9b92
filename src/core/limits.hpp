// Every bound on attacker-controlled input lives here, with its reason. Each is overridable from
// the command line (--limit NAME=VALUE); a bound that is hit becomes a parse.limit-exceeded finding
// and the rest of the message is still reported.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::core {

struct Limits {
  // Larger than any mail a real server accepts (Exchange Online: 150 MB); beyond it the message
  // is cut and reported, and the rest of an mbox still read.
  std::uint64_t message_bytes = 160ull << 20;
  // Real mail carries < 200 headers; 10,000-header bombs are a known parser DoS.
  std::uint32_t header_count = 2000;
  // One header's raw value; folded Received or DKIM lines stay far below 64 KiB.
  std::uint32_t header_bytes = 64u << 10;
  // Real mail nests < 10 deep; recursion on nesting is the classic stack-overflow DoS.
  std::uint32_t mime_depth = 40;
  // Digest mails reach a few hundred parts; 100,000-part mails are a DoS.
  std::uint32_t part_count = 5000;
  // Sum of transfer-decoded part sizes kept in memory for one message.
  std::uint64_t decoded_bytes = 256ull << 20;
  // Text decoded to UTF-8 per part (what later stages search); the rest is still hashed.
  std::uint64_t text_bytes = 4ull << 20;
  // Wall-clock budget per message; checked between parts.
  std::uint32_t message_millis = 20000;

  // Attachment inspection (src/inspect). Containers nested in containers (zip in zip, a document
  // embedded in a document, a mail attached in a zip): real Emotet mail nests 3 deep (zip → doc →
  // embedded object); 42.zip-style bombs nest 6 and more.
  std::uint32_t archive_depth = 6;
  // Archive members (and embedded objects) inspected per message; real archives in mail hold a
  // handful, bombs hold millions of tiny entries.
  std::uint32_t archive_entries = 10000;
  // Bytes decompressed per message, streamed members included: the 2023 padded documents were
  // 500–600 MB; more than 1 GiB is a bomb and only costs time.
  std::uint64_t expanded_bytes = 1ull << 30;
  // Decompressed bytes of one attachment ÷ its size. Deflate of zeros stops near 1,032 and LZMA
  // near 7,000, so only nested or bzip2 bombs pass 10,000.
  std::uint32_t expansion_ratio = 10000;
  // A member up to this size is held in memory and inspected whole; larger ones are streamed
  // (hashed, measured) and only their head is inspected. Real attachments stay below 25 MB.
  std::uint64_t member_bytes = 64ull << 20;
  // Head of a streamed member kept for inspection: OLE/ZIP structure and macros of a padded
  // document sit before the filler.
  std::uint64_t head_bytes = 8ull << 20;
  // attachment.padded-large-file when a member expands past padding_bytes and padding_ratio
  // times its compressed size: the 2023 trick is a < 1 MB zip holding a > 500 MB .doc, sized to
  // exceed what antivirus and sandboxes scan; ordinary documents are far below both.
  std::uint64_t padding_bytes = 100ull << 20;
  std::uint32_t padding_ratio = 100;
  // Candidate passwords tried per encrypted archive (each try re-opens the archive).
  std::uint32_t password_tries = 20;

  // Sets one limit by name ("message_bytes=1048576"). Returns an error text or nullopt.
  std::optional<std::string> set(std::string_view assignment);
  static std::string_view names();
};

}  // namespace emotriage::core
