// The progress line: what it shows for a total in bytes, in PST items and both, in ja and en, the
// 200 ms throttle and the erase at the end, with an injected clock and a memory stream.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cli/output.hpp"

namespace emotriage::cli {
namespace {

using report::Lang;

// What a Progress wrote, read back after it is gone.
class Capture {
 public:
  Capture() : file_(open_memstream(&buffer_, &size_)) {}
  ~Capture() {
    std::fclose(file_);
    std::free(buffer_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

// A terminal and a clock the test moves.
class ProgressTest : public ::testing::Test {
 protected:
  std::unique_ptr<Progress> terminal(Lang lang, Progress::Noun noun = Progress::Noun::messages,
                                     bool enabled = true) {
    return std::make_unique<Progress>(lang, noun, out.file(), enabled, [this] { return now; });
  }

  Capture out;
  std::int64_t now = 5'000;
};

constexpr std::uint64_t kGB = 1'000'000'000;

TEST_F(ProgressTest, BarWithBytesCountAndTimeLeft) {
  {
    auto progress = terminal(Lang::en);
    now += 60'000;  // a minute for 42%: 1:23 left
    progress->update(12345, {.bytes = 1'218'000'000}, {.bytes = 2'900'000'000});
    EXPECT_EQ(out.text(),
              "\r[########------------]  42%  12,345 messages  1.2 GB / 2.9 GB  ETA 1:23\033[K");
  }
  EXPECT_TRUE(out.text().ends_with("ETA 1:23\033[K\r\033[K"));
}

TEST_F(ProgressTest, JapaneseWordsAndHours) {
  auto progress = terminal(Lang::ja);
  now += 3'600'000;  // an hour for 25%: three hours left
  progress->update(7, {.bytes = kGB / 4}, {.bytes = kGB});
  EXPECT_EQ(out.text(),
            "\r[#####---------------]  25%  7 通  250.0 MB / 1.0 GB  残り 3:00:00\033[K");
}

TEST_F(ProgressTest, PstItemsAndNoTimeLeftInTheFirstSecond) {
  auto progress = terminal(Lang::en);
  now += 999;
  progress->update(3, {.items = 4}, {.items = 14, .item_file_bytes = 525'312});
  EXPECT_EQ(out.text(), "\r[#####---------------]  28%  3 messages  4 / 14 items\033[K");
}

TEST_F(ProgressTest, PstItemsInJapaneseAndNoTimeLeftWhenDone) {
  auto progress = terminal(Lang::ja);
  now += 60'000;
  progress->update(14, {.items = 14}, {.items = 14, .item_file_bytes = 525'312});
  EXPECT_EQ(out.text(), "\r[####################] 100%  14 通  14 / 14 件\033[K");
}

TEST_F(ProgressTest, BytesAndItemsWeighByFileSize) {
  auto progress = terminal(Lang::en);
  // An mbox of 300 bytes read whole, and a PST of 100 bytes half walked: 350 of 400.
  progress->update(9, {.bytes = 300, .items = 5},
                   {.bytes = 300, .items = 10, .item_file_bytes = 100});
  EXPECT_EQ(out.text(),
            "\r[#################---]  87%  9 messages  300 B / 300 B  5 / 10 items\033[K");
}

TEST_F(ProgressTest, UnitsAndOverrunsStayInBounds) {
  auto progress = terminal(Lang::en, Progress::Noun::lines);
  // A file that grew while being read: never over 100%, never more done than the total.
  progress->update(1'000'000, {.bytes = 999'960}, {.bytes = 999'950});
  EXPECT_EQ(out.text(), "\r[####################] 100%  1,000,000 lines  1.0 MB / 1.0 MB\033[K");
}

TEST_F(ProgressTest, CountLineWithoutTotal) {
  auto progress = terminal(Lang::en);
  progress->update(12345, 4'500'000);
  EXPECT_EQ(out.text(), "\r12345 messages, 4.5 MB");
}

TEST_F(ProgressTest, CountLineForAnEmptyTotal) {
  auto progress = terminal(Lang::ja, Progress::Noun::lines);
  progress->update(10, {}, {});  // only empty files: nothing to measure against
  EXPECT_EQ(out.text(), "\r10 行, 0.0 MB");
}

TEST_F(ProgressTest, RedrawsAtMostEvery200Milliseconds) {
  auto progress = terminal(Lang::en);
  progress->update(1, 100);
  now += 199;
  progress->update(2, 200);
  EXPECT_EQ(out.text(), "\r1 messages, 0.0 MB");
  now += 1;
  progress->update(3, 300);
  EXPECT_EQ(out.text(), "\r1 messages, 0.0 MB\r3 messages, 0.0 MB");
}

TEST_F(ProgressTest, ClearedForOtherOutputThenDrawnAgain) {
  {
    auto progress = terminal(Lang::en);
    progress->clear();  // nothing shown yet: nothing to erase
    progress->update(1, 100);
    progress->clear();
    progress->clear();  // one erase per drawing, however many lines are printed
    EXPECT_EQ(out.text(), "\r1 messages, 0.0 MB\r\033[K");
    now += 200;
    progress->update(2, 100);
  }
  EXPECT_EQ(out.text(), "\r1 messages, 0.0 MB\r\033[K\r2 messages, 0.0 MB\r\033[K");
}

TEST_F(ProgressTest, DisabledWritesNothingNotEvenTheErase) {
  {
    auto progress = terminal(Lang::en, Progress::Noun::messages, /*enabled=*/false);
    progress->update(1, {.bytes = 1}, {.bytes = 2});
    progress->update(1, 1);
    EXPECT_FALSE(progress->enabled());
    EXPECT_FALSE(batch_progress(*progress));  // the batch then does not measure its inputs
  }
  EXPECT_EQ(out.text(), "");
}

TEST_F(ProgressTest, BatchEventsDrawTheBarOrTheCount) {
  auto progress = terminal(Lang::en);
  const auto event = batch_progress(*progress);
  ASSERT_TRUE(event);
  event(app::BatchProgress{.messages = 2, .bytes = 10, .total = std::nullopt, .done = {}});
  now += 200;
  event(app::BatchProgress{
      .messages = 3, .bytes = 10, .total = ingest::Amount{.bytes = 4000}, .done = {.bytes = 2000}});
  EXPECT_EQ(out.text(),
            "\r2 messages, 0.0 MB\r[##########----------]  50%  3 messages  2.0 kB / 4.0 kB\033[K");
}

}  // namespace
}  // namespace emotriage::cli
