// Time stamps of the notices: RFC 3339 read into its fields, and the clock of the drafts in
// local time (a notice is dated the day its reader lives in, not the day in UTC).
#pragma once
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::notice {

struct TimeStamp {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;  // east of UTC: +09:00 is 540

  long days_since_epoch() const;  // of the civil date, 1970-01-01 is 0
  std::time_t instant() const;    // seconds since the epoch, UTC
};

// "2026-01-05T20:00:00Z", "2026-01-06T05:00:00.5+09:00" (fractions dropped; 'T' or ' ');
// nullopt when the text is not such a time stamp.
std::optional<TimeStamp> parse_rfc3339(std::string_view text);

// `instant` in the local time zone (TZ) with its offset: "2026-01-06T05:00:00+09:00". The date of
// drafts written now, by `emotriage notice` and by the web UI alike.
std::string local_rfc3339(std::time_t instant);

}  // namespace emotriage::notice
