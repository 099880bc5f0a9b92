// The real sample logs of ../shared/corpus: every line is classified (used, ignored) or counted
// unknown, and nothing breaks.
#include <gtest/gtest.h>

#include <algorithm>
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

// Per file: the format recognised, lines, and lines not recognised (Courier, Cyrus, qmail,
// Kerio, webmail and proxy lines are other programs' logs; docs/logs.md "Known gaps"). A change
// in how lines are read shows here as a changed count.
TEST(LogCorpus, EveryFail2banSampleIsClassified) {
  const auto folder = kCorpus / "fail2ban_logs";
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "no corpus";
  struct Expected {
    const char* file;
    const char* format;
    std::uint64_t lines, used, unknown;
  };
  static constexpr Expected kFiles[] = {
      {"assp", "", 44, 0, 22},
      {"courier-auth", "syslog", 12, 0, 6},
      {"courier-smtp", "syslog", 16, 0, 8},
      {"cyrus-imap", "syslog", 21, 0, 10},
      {"domino-smtp", "exim", 21, 0, 3},
      {"dovecot", "syslog", 182, 25, 15},
      {"exim", "exim", 128, 11, 1},
      {"exim-spam", "exim", 26, 0, 0},
      {"groupoffice", "", 4, 0, 2},
      {"horde", "", 6, 0, 2},
      {"kerio", "", 44, 0, 15},
      {"openwebmail", "", 6, 0, 3},
      {"perdition", "syslog", 4, 0, 2},
      {"postfix", "syslog", 203, 18, 0},
      {"qmail", "syslog", 10, 0, 4},
      {"roundcube-auth", "syslog", 61, 0, 17},
      {"sendmail-auth", "syslog", 36, 13, 0},
      {"sendmail-reject", "syslog", 131, 2, 4},
      {"sogo-auth", "", 34, 0, 15},
      {"solid-pop3d", "syslog", 25, 0, 8},
      {"squirrelmail", "exim", 3, 0, 1},
      {"uwimap-auth", "syslog", 22, 0, 6},
  };
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    const auto expected =
        std::ranges::find_if(kFiles, [&](const Expected& e) { return name == e.file; });
    ASSERT_NE(expected, std::end(kFiles)) << "a new sample: " << name;
    const LogReport report = read(entry.path());
    ASSERT_EQ(report.files.size(), 1u) << name;
    const FileSummary& file = report.files.front();
    EXPECT_EQ(file.format, expected->format) << name;
    EXPECT_EQ(file.lines, expected->lines) << name;
    EXPECT_EQ(file.used, expected->used) << name;
    EXPECT_EQ(file.unknown, expected->unknown) << name;
    EXPECT_EQ(file.unknown_samples.size(), std::min<std::uint64_t>(file.unknown, 3)) << name;
    ++files;
  }
  EXPECT_EQ(files, std::size(kFiles));
}

TEST(LogCorpus, SendmailRejectSendersAreEnvelopeAccounts) {
  // Two accepted messages without SMTP AUTH: keyed by their envelope senders, not flagged.
  const auto path = kCorpus / "fail2ban_logs" / "sendmail-reject";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no corpus";
  const LogReport report = read(path);
  ASSERT_EQ(report.accounts.size(), 2u);
  for (const char* name : {"anton@domain.com", "davaojk25@domain.com"}) {
    auto it = std::ranges::find(report.accounts, name, &AccountSummary::account);
    ASSERT_NE(it, report.accounts.end()) << name;
    EXPECT_FALSE(it->authenticated);
    EXPECT_EQ(it->messages, 1u);
    EXPECT_FALSE(it->flagged);
  }
}

TEST(LogCorpus, AuthFailuresOfTheMailServersAreRead) {
  // Lines naming a failed SMTP/IMAP login, counted by grep on the samples:
  // postfix "authentication failed" 14 + "disconnect ... auth=0/1" 4; sendmail-auth "AUTH
  // failure" + "command=AUTH" 13;
  // exim "authenticator failed" (with a main-log timestamp) 11.
  const auto folder = kCorpus / "fail2ban_logs";
  if (!std::filesystem::exists(folder)) GTEST_SKIP() << "no corpus";
  EXPECT_EQ(read(folder / "postfix").files.front().used, 18u);
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
