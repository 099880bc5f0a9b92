// Generated Postfix logs (bench/gen_postfix_log.py) with known compromised accounts: flagged
// exactly, the steady newsletter not; the same log split into a gzip-rotated set gives the same.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "logs/logs.hpp"
#include "profile/profile.hpp"

namespace emotriage::logs {
namespace {

struct Generated {
  std::filesystem::path log;
  nlohmann::json truth;
};

Generated generate(std::size_t lines, int seed) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("emotriage_logs_" + std::to_string(::getpid()) + "_" + std::to_string(seed));
  std::filesystem::create_directories(dir);
  Generated out{dir / "mail.log", {}};
  const std::string command = "python3 " EMOTRIAGE_SOURCE_DIR "/bench/gen_postfix_log.py --lines " +
                              std::to_string(lines) + " --seed " + std::to_string(seed) +
                              " --out " + out.log.string() + " > " + (dir / "truth.json").string();
  if (std::system(command.c_str()) != 0) return out;
  std::ifstream truth(dir / "truth.json");
  out.truth = nlohmann::json::parse(truth, nullptr, false);
  return out;
}

std::set<std::string> flagged(const LogReport& report) {
  std::set<std::string> names;
  for (const auto& a : report.accounts) {
    if (a.flagged) names.insert(a.account);
  }
  return names;
}

class GeneratedLog : public ::testing::TestWithParam<int> {};

TEST_P(GeneratedLog, CompromisedAccountsFlaggedExactly) {
  const Generated generated = generate(40'000, GetParam());
  if (!generated.truth.is_object()) GTEST_SKIP() << "python3 not available";
  auto report = analyze_logs({generated.log.string()}, LogOptions{});
  ASSERT_TRUE(report);
  EXPECT_EQ(report->files.front().unknown, 0u);
  EXPECT_EQ(report->lines, generated.truth.at("lines").get<std::uint64_t>());
  const auto truth = generated.truth.at("compromised").get<std::set<std::string>>();
  EXPECT_EQ(flagged(*report), truth);
  for (const auto& bulk : generated.truth.at("legitimate_bulk")) {
    auto it =
        std::ranges::find(report->accounts, bulk.get<std::string>(), &AccountSummary::account);
    ASSERT_NE(it, report->accounts.end());
    EXPECT_FALSE(it->flagged);
    EXPECT_GT(it->peak_messages_per_10min, 0u);
  }
  const auto loud =
      std::ranges::find(report->accounts, "t.sato@sample-shoji.example", &AccountSummary::account);
  ASSERT_NE(loud, report->accounts.end());
  for (Reason reason :
       {Reason::burst, Reason::many_client_ips, Reason::envelope_sender_mismatch,
        Reason::dnsbl_rejections, Reason::suspicious_message_ids, Reason::failed_logins}) {
    EXPECT_NE(std::ranges::find(loud->reasons, reason), loud->reasons.end()) << reason_id(reason);
  }
  const auto quiet = std::ranges::find(report->accounts, "m.suzuki@sample-shoji.example",
                                       &AccountSummary::account);
  ASSERT_NE(quiet, report->accounts.end());
  EXPECT_EQ(quiet->reasons, (std::vector<Reason>{Reason::new_client_ips, Reason::night_time}));
  EXPECT_EQ(report->unattributed_deliveries, 0u);
  std::filesystem::remove_all(generated.log.parent_path());
}

INSTANTIATE_TEST_SUITE_P(Seeds, GeneratedLog, ::testing::Values(1, 2, 3));

void write_part(const std::filesystem::path& path, const std::string& text, bool gzip) {
  if (gzip) {
    gzFile file = gzopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
    gzclose(file);
  } else {
    std::ofstream(path, std::ios::binary) << text;
  }
}

TEST(GeneratedLogRotated, GzipRotatedSetGivesTheSameAnswer) {
  const Generated generated = generate(20'000, 7);
  if (!generated.truth.is_object()) GTEST_SKIP() << "python3 not available";
  auto whole = analyze_logs({generated.log.string()}, LogOptions{});
  std::ifstream in(generated.log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const auto dir = generated.log.parent_path();
  const std::size_t third = lines.size() / 3;
  auto part = [&](std::size_t from, std::size_t to) {
    std::string text;
    for (std::size_t i = from; i < to; ++i) text += lines[i] + "\n";
    return text;
  };
  write_part(dir / "mail.log.2.gz", part(0, third), true);
  write_part(dir / "mail.log.1", part(third, 2 * third), false);
  write_part(dir / "mail.log", part(2 * third, lines.size()), false);
  // Given newest first, as a shell glob sorts them.
  auto rotated = analyze_logs({(dir / "mail.log").string(), (dir / "mail.log.1").string(),
                               (dir / "mail.log.2.gz").string()},
                              LogOptions{});
  ASSERT_TRUE(whole && rotated);
  EXPECT_EQ(rotated->files.front().path, (dir / "mail.log.2.gz").string());
  EXPECT_EQ(rotated->lines, whole->lines);
  EXPECT_EQ(rotated->messages, whole->messages);
  EXPECT_EQ(flagged(*rotated), flagged(*whole));
  EXPECT_EQ(report_to_json(*rotated).at("accounts"), report_to_json(*whole).at("accounts"));
  std::filesystem::remove_all(dir);
}

TEST(GeneratedLogProfile, FlaggedAccountNamesTheEmployee) {
  const Generated generated = generate(20'000, 11);
  if (!generated.truth.is_object()) GTEST_SKIP() << "python3 not available";
  auto company = profile::parse_profile(R"(
[company]
name = "株式会社サンプル商事"
domains = ["sample-shoji.example"]
[[employees]]
names = ["佐藤 健", "Ken Sato"]
emails = ["t.sato@sample-shoji.example"]
)",
                                        "test.toml");
  ASSERT_TRUE(company);
  profile::Matcher matcher(std::move(*company));
  LogOptions options;
  options.matcher = &matcher;
  auto report = analyze_logs({generated.log.string()}, options);
  ASSERT_TRUE(report);
  const auto loud =
      std::ranges::find(report->accounts, "t.sato@sample-shoji.example", &AccountSummary::account);
  ASSERT_NE(loud, report->accounts.end());
  EXPECT_TRUE(loud->flagged);
  EXPECT_EQ(loud->employee, "佐藤 健");
  EXPECT_NE(report_to_text(*report, true).find("佐藤 健"), std::string::npos);
  std::filesystem::remove_all(generated.log.parent_path());
}

}  // namespace
}  // namespace emotriage::logs
