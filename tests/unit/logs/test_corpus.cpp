// The real sample logs of ../shared/corpus: every line is classified (used, ignored) or counted
// unknown, and nothing breaks.
#include <gtest/gtest.h>

#include <filesystem>

#include "logs/logs.hpp"

namespace emotriage::logs {
namespace {

const std::filesystem::path kCorpus = EMOTRIAGE_CORPUS_DIR;

LogReport read(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return {};
  auto report = analyze_logs({path.string()}, LogOptions{});
  EXPECT_TRUE(report) << path;
  return report ? std::move(*report) : LogReport{};
}

TEST(LogCorpus, EveryFail2banSampleIsClassified) {
  const auto folder = kCorpus / "fail2ban_logs";
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "no corpus";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const LogReport report = read(entry.path());
    ASSERT_EQ(report.files.size(), 1u) << entry.path();
    const FileSummary& file = report.files.front();
    EXPECT_GT(file.lines, 0u) << entry.path();
    EXPECT_EQ(file.used + file.ignored + file.unknown, file.lines) << entry.path();
    ++files;
  }
  EXPECT_EQ(files, 22u);
}

TEST(LogCorpus, AuthFailuresOfTheMailServersAreRead) {
  // Lines naming a failed SMTP/IMAP login, counted by grep on the samples:
  // postfix "authentication failed" 14; sendmail-auth "AUTH failure" + "command=AUTH" 13;
  // exim "authenticator failed" (with a main-log timestamp) 11.
  const auto folder = kCorpus / "fail2ban_logs";
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "no corpus";
  EXPECT_EQ(read(folder / "postfix").files.front().used, 14u);
  EXPECT_EQ(read(folder / "sendmail-auth").files.front().used, 13u);
  EXPECT_EQ(read(folder / "exim").files.front().used, 11u);
  const FileSummary dovecot = read(folder / "dovecot").files.front();
  EXPECT_GE(dovecot.used, 20u);
  EXPECT_EQ(dovecot.format, "syslog");
}

TEST(LogCorpus, RealPostfixAmavisLogHasNoUnknownLineAndNoFalseFlag) {
  const auto path = kCorpus / "postfix_logsums" / "mail.log.gz";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no corpus";
  const LogReport report = read(path);
  ASSERT_EQ(report.files.size(), 1u);
  const FileSummary& file = report.files.front();
  EXPECT_EQ(file.lines, 69'861u);  // MANIFEST.md
  EXPECT_EQ(file.unknown, 0u);
  EXPECT_EQ(file.used + file.ignored, file.lines);
  EXPECT_TRUE(file.error.empty());
  EXPECT_GT(report.messages, 100u);
  // A small private server: its one SASL account relays cron mail for its hosts from day one.
  EXPECT_EQ(report.flagged_count(), 0u);
  auto vmail = std::ranges::find(report.accounts, "vmail@uhu-banane.net", &AccountSummary::account);
  ASSERT_NE(vmail, report.accounts.end());
  EXPECT_TRUE(vmail->authenticated);
  EXPECT_EQ(vmail->messages, 16u);  // 16 sasl_username lines
}

}  // namespace
}  // namespace emotriage::logs
