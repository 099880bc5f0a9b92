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

  // Sets one limit by name ("message_bytes=1048576"). Returns an error text or nullopt.
  std::optional<std::string> set(std::string_view assignment);
  static std::string_view names();
};

}  // namespace emotriage::core
