#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "notice/date.hpp"

namespace emotriage::notice {
namespace {

// Sets TZ for one test and restores it.
class LocalZone {
 public:
  explicit LocalZone(const char* zone) {
    if (const char* old = std::getenv("TZ")) saved_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~LocalZone() {
    if (saved_)
      setenv("TZ", saved_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

TEST(NoticeDate, ParsesRfc3339IntoAnInstant) {
  auto utc = parse_rfc3339("2026-01-05T20:00:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(utc->instant(), 1767643200);
  auto tokyo = parse_rfc3339("2026-01-06T05:00:00.25+09:00");
  ASSERT_TRUE(tokyo);
  EXPECT_EQ(tokyo->offset_minutes, 540);
  EXPECT_EQ(tokyo->instant(), utc->instant());
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00-05:30")->instant(), 5 * 3600 + 30 * 60);
  for (const char* bad :
       {"", "yesterday", "2026-01-05", "2026-01-05T20:00:00", "2026-13-05T20:00:00Z",
        "2026-01-05T20:00:00+0900", "2026-01-05T20:00:00+24:00"})
    EXPECT_FALSE(parse_rfc3339(bad)) << bad;
}

TEST(NoticeDate, LocalTimeCarriesTheZoneAndItsDay) {
  const std::time_t evening_utc = parse_rfc3339("2026-01-05T20:00:00Z")->instant();
  {
    LocalZone zone("Asia/Tokyo");
    EXPECT_EQ(local_rfc3339(evening_utc), "2026-01-06T05:00:00+09:00");
  }
  {
    LocalZone zone("UTC");
    EXPECT_EQ(local_rfc3339(evening_utc), "2026-01-05T20:00:00+00:00");
  }
  {
    LocalZone zone("America/New_York");
    EXPECT_EQ(local_rfc3339(evening_utc), "2026-01-05T15:00:00-05:00");
  }
}

}  // namespace
}  // namespace emotriage::notice
