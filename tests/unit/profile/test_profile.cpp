// Profile loading: the schema, normalisation of what it lists, and located ja/en errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "profile/profile.hpp"

namespace emotriage::profile {
namespace {

constexpr std::string_view kMinimal = R"([company]
name = "株式会社サンプル商事"
domains = ["Sample-Shoji.Example", "例え.jp"]
mail_servers = ["Mail.Sample-Shoji.Example.", "192.0.2.25", "198.51.100.0/28", "2001:db8::/32"]

[[employees]]
names = ["山田 太郎", "Taro Yamada"]
emails = ["T.Yamada@Sample-Shoji.Example"]
department = "営業部"

[[partners]]
name = "取引先株式会社"
domains = ["partner.example"]
contact = "IT@partner.example"
)";

TEST(ParseProfile, ReadsAndNormalises) {
  auto profile = parse_profile(kMinimal, "p.toml");
  ASSERT_TRUE(profile.has_value()) << profile.error().front().message_en;
  EXPECT_EQ(profile->company.domains,
            (std::vector<std::string>{"sample-shoji.example", "xn--r8jz45g.jp"}));
  EXPECT_EQ(profile->company.mail_servers.front(), "mail.sample-shoji.example");
  ASSERT_EQ(profile->employees.size(), 1u);
  EXPECT_EQ(profile->employees[0].emails.front(), "t.yamada@sample-shoji.example");
  EXPECT_EQ(profile->employees[0].department, "営業部");
  EXPECT_EQ(profile->partners[0].contact, "it@partner.example");
}

struct ErrorCase {
  std::string_view name;
  std::string toml;
  int line;
  std::string_view english_part;
};

class ProfileErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ProfileErrors, LocatedInBothLanguages) {
  auto profile = parse_profile(GetParam().toml, "bad.toml");
  ASSERT_FALSE(profile.has_value()) << GetParam().name;
  const auto& errors = profile.error();
  auto it = std::find_if(errors.begin(), errors.end(), [&](const ProfileError& error) {
    return error.message_en.find(GetParam().english_part) != std::string::npos;
  });
  ASSERT_NE(it, errors.end()) << GetParam().name << ": " << errors.front().message_en;
  EXPECT_EQ(it->line, GetParam().line) << GetParam().name;
  EXPECT_GT(it->column, 0);
  EXPECT_EQ(it->source, "bad.toml");
  EXPECT_FALSE(it->message_ja.empty());
}

const std::string kHead = "[company]\nname = \"X\"\ndomains = [\"x.example\"]\n";

INSTANTIATE_TEST_SUITE_P(
    Schema, ProfileErrors,
    ::testing::Values(
        ErrorCase{"syntax", kHead + "employees = [\n", 4, "TOML syntax error"},
        ErrorCase{"unknown-key", kHead + "nmae = \"typo\"\n", 4, "unknown key \"nmae\""},
        ErrorCase{"unknown-company-key", "[company]\nname = \"X\"\ndomain = [\"x.example\"]\n", 3,
                  "unknown key \"domain\""},
        ErrorCase{"missing-name", "[company]\ndomains = [\"x.example\"]\n", 1, "has no name"},
        ErrorCase{"missing-domains", "[company]\nname = \"X\"\n", 1, "has no domains"},
        ErrorCase{"missing-company", "[[employees]]\nnames = [\"A\"]\n", 1, "no [company]"},
        ErrorCase{"wrong-type", "[company]\nname = 5\ndomains = [\"x.example\"]\n", 2,
                  "must be a string"},
        ErrorCase{"domains-not-array", "[company]\nname = \"X\"\ndomains = \"x.example\"\n", 3,
                  "array of strings"},
        ErrorCase{"bad-domain",
                  "[company]\nname = \"X\"\ndomains = [\"x.example\",\n \"bad_..\"]\n", 4,
                  "not a valid domain"},
        ErrorCase{"bad-server", kHead + "mail_servers = [\"198.51.100.1/28\"]\n", 4,
                  "not a host name"},
        ErrorCase{"bad-email", kHead + "[[employees]]\nnames = [\"A\"]\nemails = [\"a@@x\"]\n", 6,
                  "not a valid mail address"},
        ErrorCase{"duplicate-email",
                  kHead + "[[employees]]\nnames = [\"A\"]\nemails = [\"a@x.example\"]\n"
                          "[[employees]]\nnames = [\"B\"]\nemails = [\"A@x.example\"]\n",
                  9, "also listed for [[employees]] #1"},
        ErrorCase{"employee-without-names", kHead + "[[employees]]\nemails = [\"a@x.example\"]\n",
                  4, "has no names"},
        ErrorCase{"employee-unknown-key", kHead + "[[employees]]\nnames = [\"A\"]\nmail = \"a\"\n",
                  6, "unknown key \"mail\""},
        ErrorCase{"partner-own-domain",
                  kHead + "[[partners]]\nname = \"P\"\ndomains = [\"x.example\"]\n", 6,
                  "also listed as one of our own"},
        ErrorCase{"website", kHead + "website = \"www.x.example\"\n", 4, "https://"}));

TEST(ParseProfile, ReportsEveryProblemNotOnlyTheFirst) {
  auto profile = parse_profile("[company]\nname = 1\ndomains = [\"bad..\"]\nextra = 2\n", "p");
  ASSERT_FALSE(profile.has_value());
  EXPECT_EQ(profile.error().size(), 3u);
}

TEST(LoadProfile, MissingFile) {
  auto profile = load_profile("/nonexistent/profile.toml");
  ASSERT_FALSE(profile.has_value());
  EXPECT_EQ(profile.error().front().line, 0);
}

TEST(ExampleProfile, BothLanguagesParseCleanly) {
  for (bool japanese : {true, false}) {
    std::string text = example_profile_toml(japanese);
    auto profile = parse_profile(text, "example");
    ASSERT_TRUE(profile.has_value()) << profile.error().front().message_en;
    EXPECT_EQ(profile->company.name, "株式会社サンプル商事");
    EXPECT_EQ(profile->employees.size(), 2u);
    EXPECT_EQ(text.find("# emotriage") == 0, true);
  }
  EXPECT_NE(example_profile_toml(true).find("社員"), std::string::npos);
  EXPECT_EQ(example_profile_toml(false).find("社員"), std::string::npos);
}

TEST(ExampleProfile, RepositoryExampleLoads) {
  auto profile = load_profile(EMOTRIAGE_SOURCE_DIR "/examples/profile.toml");
  ASSERT_TRUE(profile.has_value()) << profile.error().front().message_en;
  EXPECT_EQ(profile->employees.size(), 5u);
  EXPECT_EQ(profile->partners.size(), 2u);
  EXPECT_EQ(profile->employees[3].department, "経理部");
}

}  // namespace
}  // namespace emotriage::profile
