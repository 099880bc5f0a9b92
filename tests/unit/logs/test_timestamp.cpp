#include <gtest/gtest.h>

#include "logs/timestamp.hpp"

namespace emotriage::logs {
namespace {

std::int64_t wall(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

TEST(LogTime, ClassicSyslogTakesTheYearOfTheReference) {
  std::size_t used = 0;
  auto stamp =
      parse_classic_syslog("Oct 13 20:41:03 custhost1 postfix", wall(2014, 10, 14, 8, 0, 0), used);
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->wall, wall(2014, 10, 13, 20, 41, 3));
  EXPECT_EQ(used, 15u);
  EXPECT_EQ(stamp->offset, kNoZone);
}

TEST(LogTime, DecemberLineInAFileWrittenInJanuaryIsLastYear) {
  std::size_t used = 0;
  auto stamp = parse_classic_syslog("Dec 31 23:59:58 host x", wall(2026, 1, 2, 0, 0, 0), used);
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->wall, wall(2025, 12, 31, 23, 59, 58));
}

TEST(LogTime, ClassicSyslogDayPadding) {
  std::size_t used = 0;
  const std::int64_t reference = wall(2026, 3, 10, 0, 0, 0);
  auto padded = parse_classic_syslog("Mar  7 02:09:33 server", reference, used);
  ASSERT_TRUE(padded);
  EXPECT_EQ(used, 15u);
  auto unpadded = parse_classic_syslog("Mar 7 02:09:33 server", reference, used);
  ASSERT_TRUE(unpadded);
  EXPECT_EQ(used, 14u);
  EXPECT_EQ(padded->wall, unpadded->wall);
  EXPECT_FALSE(parse_classic_syslog("Foo  7 02:09:33 server", reference, used));
  EXPECT_FALSE(parse_classic_syslog("Mar 7 25:09:33 server", reference, used));
}

TEST(LogTime, Rfc3339KeepsTheOffset) {
  std::size_t used = 0;
  auto stamp = parse_rfc3339("2023-03-14T00:31:06.621091+01:00 helga", used);
  ASSERT_TRUE(stamp);
  EXPECT_EQ(stamp->wall, wall(2023, 3, 14, 0, 31, 6));
  EXPECT_EQ(stamp->offset, 60);
  EXPECT_EQ(format_iso(*stamp), "2023-03-14T00:31:06+01:00");
  // Shown at +09:00 (Japan) it is the same instant.
  EXPECT_EQ(format_iso(shift_to(*stamp, 540)), "2023-03-14T08:31:06+09:00");
}

TEST(LogTime, EximAndCsvForms) {
  std::size_t used = 0;
  auto exim = parse_exim_time("2016-03-25 15:06:04 +0100 1ajLoq", used);
  ASSERT_TRUE(exim);
  EXPECT_EQ(exim->offset, 60);
  EXPECT_EQ(used, 25u);
  auto us = parse_csv_time("1/5/2026 9:12:00 PM");
  ASSERT_TRUE(us);
  EXPECT_EQ(us->wall, wall(2026, 1, 5, 21, 12, 0));
  auto iso = parse_csv_time("2016-04-05T00:00:02.052Z");
  ASSERT_TRUE(iso);
  EXPECT_EQ(iso->offset, 0);
  EXPECT_FALSE(parse_csv_time("yesterday"));
}

}  // namespace
}  // namespace emotriage::logs
