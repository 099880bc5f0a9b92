// A finding is evidence about one message: a stable id (API: see docs/report-schema.md), a
// severity, a human message in Japanese and English, and where it was seen.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::core {

enum class Severity { info, low, medium, high };

std::string_view to_string(Severity severity);

struct Finding {
  std::string id;  // e.g. "parse.malformed"
  Severity severity = Severity::info;
  std::string message_ja;
  std::string message_en;
  std::string evidence;  // header line, decoded text excerpt, limit name ...
  std::string part;      // MIME part path ("2.1"), empty for the whole message
};

// Stable ids used by the parsing stages.
inline constexpr std::string_view kParseMalformed = "parse.malformed";
inline constexpr std::string_view kParseLimitExceeded = "parse.limit-exceeded";
inline constexpr std::string_view kParseCrashed = "parse.crashed";
// The input carries a mail's body and files without its headers (a winmail.dat on its own).
inline constexpr std::string_view kParseHeadersMissing = "parse.headers-missing";

inline bool has_finding(const std::vector<Finding>& findings, std::string_view id) {
  for (const Finding& finding : findings) {
    if (finding.id == id) return true;
  }
  return false;
}

}  // namespace emotriage::core

namespace emotriage::core {

// A parse.malformed finding (severity low): malformed mail is evidence, not an error.
Finding malformed_finding(std::string ja, std::string en, std::string_view evidence,
                          std::string part = {});
// A parse.limit-exceeded finding naming the limit and its value.
Finding limit_finding(std::string_view limit_name, std::uint64_t limit_value,
                      std::string part = {});

}  // namespace emotriage::core
