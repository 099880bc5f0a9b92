#include "notice/date.hpp"

#include <charconv>

namespace emotriage::notice {

namespace {

int parse_int(std::string_view text) {
  int value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() ? value : -1;
}

}  // namespace

// H. Hinnant's days_from_civil.
long TimeStamp::days_since_epoch() const {
  const int y = year - (month <= 2);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::time_t TimeStamp::instant() const {
  return static_cast<std::time_t>(days_since_epoch()) * 86400 + hour * 3600 + minute * 60 + second -
         offset_minutes * 60;
}

std::optional<TimeStamp> parse_rfc3339(std::string_view text) {
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':')
    return std::nullopt;
  TimeStamp stamp{parse_int(text.substr(0, 4)),  parse_int(text.substr(5, 2)),
                  parse_int(text.substr(8, 2)),  parse_int(text.substr(11, 2)),
                  parse_int(text.substr(14, 2)), parse_int(text.substr(17, 2))};
  std::string_view zone = text.substr(19);
  if (!zone.empty() && zone.front() == '.') {
    zone.remove_prefix(1);
    while (!zone.empty() && zone.front() >= '0' && zone.front() <= '9') zone.remove_prefix(1);
  }
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int hours = parse_int(zone.substr(1, 2)), minutes = parse_int(zone.substr(4, 2));
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
    stamp.offset_minutes = (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
  } else if (zone != "Z" && zone != "z") {
    return std::nullopt;
  }
  if (stamp.year < 1900 || stamp.month < 1 || stamp.month > 12 || stamp.day < 1 || stamp.day > 31 ||
      stamp.hour < 0 || stamp.hour > 23 || stamp.minute < 0 || stamp.minute > 59 ||
      stamp.second < 0 || stamp.second > 60)
    return std::nullopt;
  return stamp;
}

std::string local_rfc3339(std::time_t instant) {
  std::tm local{};
  localtime_r(&instant, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &local);
  char zone[8];
  std::strftime(zone, sizeof zone, "%z", &local);  // +0900
  std::string offset(zone);
  if (offset.size() == 5) offset.insert(3, ":");
  return std::string(stamp) + offset;
}

}  // namespace emotriage::notice
