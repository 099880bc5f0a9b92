// Log timestamps: classic syslog (no year), RFC 3339, Exim's "YYYY-MM-DD HH:MM:SS [+ZZZZ]" and
// the US-style dates of Microsoft CSV exports. Times are kept as the wall clock they show.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::logs {

inline constexpr int kNoZone = -100000;

struct Stamp {
  std::int64_t wall = 0;  // seconds since 1970-01-01 00:00 of the shown wall clock
  int offset = kNoZone;   // minutes east of UTC, or kNoZone when the log does not say
};

std::int64_t days_from_civil(int year, unsigned month, unsigned day);
// Wall-clock seconds of a Unix time in the local time zone of this machine.
std::int64_t local_wall(std::int64_t unix_seconds);

// Past a fraction of seconds (".123456" or ",123") at pos, if any. Inline: it runs on every line.
inline std::size_t skip_fraction(std::string_view text, std::size_t pos) {
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  }
  return pos;
}
// Each parser reads a prefix of text and sets `used` to its length.
std::optional<Stamp> parse_rfc3339(std::string_view text, std::size_t& used);
// The rest of an RFC 3339 stamp (fraction, zone) whose first 19 bytes are known to show `wall`.
std::optional<Stamp> parse_rfc3339_after_clock(std::string_view text, std::int64_t wall,
                                               std::size_t& used);
// "Oct 13 20:41:03": the year is the one that puts the line at most a day after reference_wall.
std::optional<Stamp> parse_classic_syslog(std::string_view text, std::int64_t reference_wall,
                                          std::size_t& used);
// Exim: "2016-03-25 15:06:04" with optional ".mmm" and " +0100".
std::optional<Stamp> parse_exim_time(std::string_view text, std::size_t& used);
// A whole CSV cell: RFC 3339 / ISO ("2026-01-05 09:12:00"), or "1/5/2026 9:12:00 AM".
std::optional<Stamp> parse_csv_time(std::string_view cell);

// Re-expresses a zoned stamp at offset_minutes; unzoned stamps are unchanged.
Stamp shift_to(Stamp stamp, std::optional<int> offset_minutes);
std::string format_iso(Stamp stamp);

}  // namespace emotriage::logs
