#include "logs/timestamp.hpp"

#include <cstdio>
#include <ctime>

namespace emotriage::logs {

namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

bool valid(int month, int day, int hour, int minute, int second) {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 &&
         second <= 60;
}

std::int64_t wall_of(int year, int month, int day, int hour, int minute, int second) {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
         hour * 3600 + minute * 60 + second;
}

// "HH:MM:SS" at pos.
bool clock(std::string_view text, std::size_t pos, int& hour, int& minute, int& second) {
  return digits(text, pos, 2, hour) && pos + 2 < text.size() && text[pos + 2] == ':' &&
         digits(text, pos + 3, 2, minute) && pos + 5 < text.size() && text[pos + 5] == ':' &&
         digits(text, pos + 6, 2, second);
}

// "Z", "+09:00", "+0900" at pos; returns minutes or kNoZone and advances pos.
int zone(std::string_view text, std::size_t& pos) {
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
    return 0;
  }
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return kNoZone;
  const int sign = text[pos] == '-' ? -1 : 1;
  int hours = 0, minutes = 0;
  if (!digits(text, pos + 1, 2, hours)) return kNoZone;
  std::size_t next = pos + 3;
  if (next < text.size() && text[next] == ':') ++next;
  if (!digits(text, next, 2, minutes) || hours > 14 || minutes > 59) return kNoZone;
  pos = next + 2;
  return sign * (hours * 60 + minutes);
}

struct Civil {
  std::int64_t year, month, day, seconds;  // seconds into the day
};

// Howard Hinnant's civil_from_days, on wall-clock seconds.
Civil civil_from_wall(std::int64_t wall) {
  const std::int64_t days = wall / 86400 - (wall % 86400 < 0 ? 1 : 0);
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return Civil{yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - (153 * mp + 2) / 5 + 1,
               wall - days * 86400};
}

}  // namespace

std::int64_t days_from_civil(int year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil: proleptic Gregorian calendar.
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

std::int64_t local_wall(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return unix_seconds;
  return wall_of(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min,
                 local.tm_sec);
}

std::optional<Stamp> parse_rfc3339(std::string_view text, std::size_t& used) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != ' ') || !clock(text, 11, hour, minute, second) ||
      !valid(month, day, hour, minute, second)) {
    return std::nullopt;
  }
  return parse_rfc3339_after_clock(text, wall_of(year, month, day, hour, minute, second), used);
}

std::optional<Stamp> parse_rfc3339_after_clock(std::string_view text, std::int64_t wall,
                                               std::size_t& used) {
  std::size_t pos = skip_fraction(text, 19);
  const Stamp stamp{wall, zone(text, pos)};
  used = pos;
  return stamp;
}

std::optional<Stamp> parse_classic_syslog(std::string_view text, std::int64_t reference_wall,
                                          std::size_t& used) {
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (text.size() < 15 || text[3] != ' ') return std::nullopt;
  const std::size_t found = kMonths.find(text.substr(0, 3));
  if (found == std::string_view::npos || found % 3 != 0) return std::nullopt;
  const int month = static_cast<int>(found / 3) + 1;
  int day = 0, hour = 0, minute = 0, second = 0;
  // "Mar  7", "Mar 07", and the unpadded "Mar 7" some relays write.
  std::size_t clock_at = 7;
  if (text[4] == ' ') {
    if (!digits(text, 5, 1, day)) return std::nullopt;
  } else if (text[5] == ' ') {
    if (!digits(text, 4, 1, day)) return std::nullopt;
    clock_at = 6;
  } else if (!digits(text, 4, 2, day)) {
    return std::nullopt;
  }
  if (text[clock_at - 1] != ' ' || !clock(text, clock_at, hour, minute, second) ||
      !valid(month, day, hour, minute, second)) {
    return std::nullopt;
  }
  // The reference is the file's last write: a line is never more than a day after it, so a
  // December line in a file written in January belongs to the year before.
  const int reference_year = static_cast<int>(civil_from_wall(reference_wall).year);
  std::int64_t wall = wall_of(reference_year, month, day, hour, minute, second);
  if (wall > reference_wall + 86400)
    wall = wall_of(reference_year - 1, month, day, hour, minute, second);
  used = skip_fraction(text, clock_at + 8);
  return Stamp{wall, kNoZone};
}

std::optional<Stamp> parse_exim_time(std::string_view text, std::size_t& used) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 19 || !digits(text, 0, 4, year) || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) || text[10] != ' ' ||
      !clock(text, 11, hour, minute, second) || !valid(month, day, hour, minute, second)) {
    return std::nullopt;
  }
  std::size_t pos = skip_fraction(text, 19);
  Stamp stamp{wall_of(year, month, day, hour, minute, second), kNoZone};
  if (pos + 1 < text.size() && text[pos] == ' ' && (text[pos + 1] == '+' || text[pos + 1] == '-')) {
    std::size_t zone_pos = pos + 1;
    const int offset = zone(text, zone_pos);
    if (offset != kNoZone) {
      stamp.offset = offset;
      pos = zone_pos;
    }
  }
  used = pos;
  return stamp;
}

std::optional<Stamp> parse_csv_time(std::string_view cell) {
  std::size_t used = 0;
  if (auto iso = parse_rfc3339(cell, used)) return iso;
  // "1/5/2026 9:12:00 AM" (PowerShell in an en-US session), "2026/01/05 9:12:00" (ja-JP).
  int numbers[6] = {0, 0, 0, 0, 0, 0};
  std::size_t index = 0, pos = 0;
  while (pos < cell.size() && index < 6) {
    if (cell[pos] < '0' || cell[pos] > '9') return std::nullopt;
    int value = 0, count = 0;
    while (pos < cell.size() && cell[pos] >= '0' && cell[pos] <= '9' && count < 5) {
      value = value * 10 + (cell[pos++] - '0');
      ++count;
    }
    numbers[index++] = value;
    if (pos < cell.size() && (cell[pos] == '/' || cell[pos] == ':' || cell[pos] == ' ')) ++pos;
  }
  if (index < 5) return std::nullopt;
  // "2026/01/05 1:10:00" (a ja-JP session): the year comes first.
  const bool year_first = numbers[0] >= 1970;
  const int year = year_first ? numbers[0] : numbers[2];
  const int month = year_first ? numbers[1] : numbers[0];
  const int day = year_first ? numbers[2] : numbers[1];
  int hour = numbers[3];
  const std::string_view rest = pos < cell.size() ? cell.substr(pos) : std::string_view{};
  if (rest.starts_with("PM") && hour < 12) hour += 12;
  if (rest.starts_with("AM") && hour == 12) hour = 0;
  if (!valid(month, day, hour, numbers[4], numbers[5]) || year < 1970) return std::nullopt;
  return Stamp{wall_of(year, month, day, hour, numbers[4], numbers[5]), kNoZone};
}

Stamp shift_to(Stamp stamp, std::optional<int> offset_minutes) {
  if (!offset_minutes || stamp.offset == kNoZone) return stamp;
  return Stamp{stamp.wall + (*offset_minutes - stamp.offset) * 60, *offset_minutes};
}

std::string format_iso(Stamp stamp) {
  const auto [year, month, day, seconds] = civil_from_wall(stamp.wall);
  char buffer[48];
  int length = std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld",
                             static_cast<long long>(year), static_cast<long long>(month),
                             static_cast<long long>(day), static_cast<long long>(seconds / 3600),
                             static_cast<long long>(seconds / 60 % 60),
                             static_cast<long long>(seconds % 60));
  std::string out(buffer, static_cast<std::size_t>(length));
  if (stamp.offset != kNoZone) {
    const int magnitude = stamp.offset < 0 ? -stamp.offset : stamp.offset;
    length = std::snprintf(buffer, sizeof buffer, "%c%02d:%02d", stamp.offset < 0 ? '-' : '+',
                           magnitude / 60, magnitude % 60);
    out.append(buffer, static_cast<std::size_t>(length));
  }
  return out;
}

}  // namespace emotriage::logs
