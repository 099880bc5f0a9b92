// Directory exports (Microsoft 365, Google Workspace, Active Directory, Japanese Excel CSV),
// merging into a profile, and writing the profile back as TOML.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "profile/user_import.hpp"

namespace emotriage::profile {
namespace {

std::string fixture(std::string_view name) {
  std::ifstream file(std::string(EMOTRIAGE_SOURCE_DIR "/tests/data/profile/") + std::string(name),
                     std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

Profile base_profile() {
  auto profile = load_profile(EMOTRIAGE_SOURCE_DIR "/examples/profile.toml");
  EXPECT_TRUE(profile.has_value());
  return *profile;
}

TEST(ReadDirectoryExport, Microsoft365) {
  auto users = read_directory_export(fixture("m365.csv"), base_profile().company);
  ASSERT_TRUE(users.has_value()) << users.error().message_en;
  EXPECT_EQ(users->format, "Microsoft 365");
  EXPECT_EQ(users->encoding, "utf-8");
  ASSERT_EQ(users->users.size(), 3u);
  EXPECT_EQ(users->users[0].names, (std::vector<std::string>{"Taro Yamada"}));
  EXPECT_EQ(users->users[1].emails.front(), "h.suzuki@sample-shoji.example");
  EXPECT_EQ(users->users[1].names.front(), "Suzuki, Hanako");
  EXPECT_EQ(users->users[2].department, "Sales, East");
  ASSERT_EQ(users->skipped.size(), 2u);
  EXPECT_EQ(users->skipped[0].line, 5);  // the guest: not one of our domains
  EXPECT_NE(users->skipped[0].reason_en.find("not one of our domains"), std::string::npos);
  EXPECT_EQ(users->skipped[1].reason_en, "no mail address");
}

TEST(ReadDirectoryExport, GoogleWorkspace) {
  auto users = read_directory_export(fixture("google-workspace.csv"), base_profile().company);
  ASSERT_TRUE(users.has_value());
  EXPECT_EQ(users->format, "Google Workspace");
  ASSERT_EQ(users->users.size(), 2u);
  EXPECT_EQ(users->users[0].names, (std::vector<std::string>{"Ken Sato"}));
  ASSERT_EQ(users->skipped.size(), 1u);
  EXPECT_EQ(users->skipped[0].line, 4);
  EXPECT_EQ(users->skipped[0].reason_en, "not a valid mail address");
}

TEST(ReadDirectoryExport, ActiveDirectoryUtf16WithTypeLine) {
  auto users = read_directory_export(fixture("active-directory-utf16.csv"), base_profile().company);
  ASSERT_TRUE(users.has_value()) << users.error().message_en;
  EXPECT_EQ(users->format, "Active Directory");
  EXPECT_EQ(users->encoding, "utf-16le");
  ASSERT_EQ(users->users.size(), 2u);
  EXPECT_EQ(users->users[0].line, 3);
  // givenName + sn give the same name as displayName; the furigana is added.
  EXPECT_EQ(users->users[0].names, (std::vector<std::string>{"山田 太郎", "ヤマダ タロウ"}));
  // The UPN is kept when it is in one of our domains (a subdomain here), dropped otherwise.
  EXPECT_EQ(users->users[0].emails,
            (std::vector<std::string>{"t.yamada@sample-shoji.example",
                                      "t.yamada@corp.sample-shoji.example"}));
  EXPECT_EQ(users->users[1].emails.size(), 1u);
}

TEST(ReadDirectoryExport, JapaneseCp932AndUtf8Bom) {
  auto cp932 = read_directory_export(fixture("japanese-cp932.csv"), base_profile().company);
  ASSERT_TRUE(cp932.has_value()) << cp932.error().message_en;
  EXPECT_EQ(cp932->encoding, "cp932");
  ASSERT_EQ(cp932->users.size(), 3u);
  EXPECT_EQ(cp932->users[0].names, (std::vector<std::string>{"佐藤 健", "サトウ ケン"}));
  EXPECT_EQ(cp932->users[1].department, "総務部\r\n(兼 経理部)");  // quoted newline kept
  EXPECT_EQ(cp932->users[2].names.front(), "髙島 ①");              // CP932 extensions (IBM, NEC)
  EXPECT_EQ(cp932->users[2].line, 5);

  auto bom = read_directory_export(fixture("japanese-utf8-bom.csv"), base_profile().company);
  ASSERT_TRUE(bom.has_value());
  EXPECT_EQ(bom->format, "日本語 / Japanese");
  EXPECT_EQ(bom->users.size(), 3u);
}

TEST(ReadDirectoryExport, NeedsAnAddressColumn) {
  auto users = read_directory_export("Name,Phone\nA,1\n", base_profile().company);
  ASSERT_FALSE(users.has_value());
  EXPECT_FALSE(users.error().message_ja.empty());
  EXPECT_FALSE(read_directory_export("", base_profile().company).has_value());
}

// Found by fuzz_web_inputs: an address with bytes that are not UTF-8 was imported, written back
// with TOML escapes as other characters, and the saved profile then failed `profile check`.
TEST(ReadDirectoryExport, AddressThatIsNotUtf8IsSkipped) {
  auto users = read_directory_export(
      "\xEF\xBB\xBFName,Mail\nA,a\xFF\xFF@sample-shoji.example\nB,b@sample-shoji.example\n",
      base_profile().company);
  ASSERT_TRUE(users.has_value());
  ASSERT_EQ(users->users.size(), 1u);
  EXPECT_EQ(users->users[0].emails.front(), "b@sample-shoji.example");
  ASSERT_EQ(users->skipped.size(), 1u);
  EXPECT_EQ(users->skipped[0].reason_en, "not a valid mail address");
}

TEST(ReadDirectoryExport, TabSeparatedAndUnterminatedQuote) {
  auto users = read_directory_export("mail\tdisplayName\na@sample-shoji.example\t\"A B\n",
                                     base_profile().company);
  ASSERT_TRUE(users.has_value());
  ASSERT_EQ(users->users.size(), 1u);
  EXPECT_EQ(users->users[0].names.front(), "A B");
}

TEST(MergeUsers, AddsNamesToKnownAddressesAndAppendsNewPeople) {
  Profile profile = base_profile();
  auto ad = read_directory_export(fixture("active-directory-utf16.csv"), profile.company);
  auto m365 = read_directory_export(fixture("m365.csv"), profile.company);
  ASSERT_TRUE(ad.has_value() && m365.has_value());

  MergeReport first = merge_users(profile, ad->users);
  EXPECT_EQ(first.added, 0);
  EXPECT_EQ(first.updated, 1);    // 山田: the corp UPN is new
  EXPECT_EQ(first.unchanged, 1);  // 髙橋: every name known
  EXPECT_EQ(profile.employees[0].emails.size(), 2u);

  MergeReport second = merge_users(profile, m365->users);
  EXPECT_EQ(second.added, 1);
  EXPECT_EQ(second.updated, 2);  // 山田 gets a department; "Suzuki, Hanako" is a new spelling
  EXPECT_EQ(profile.employees.back().emails.front(), "n.person@sample-shoji.example");
  EXPECT_EQ(profile.employees[0].department, "Sales");
  EXPECT_EQ(profile.employees[0].names.size(), 3u);  // "Taro Yamada" was already known
}

TEST(ProfileToToml, RoundTrips) {
  Profile profile = base_profile();
  profile.employees[0].names.push_back("O'Brien \"Tom\" \\ 山田");
  std::string text = profile_to_toml(profile);
  auto again = parse_profile(text, "written");
  ASSERT_TRUE(again.has_value()) << again.error().front().message_en << "\n" << text;
  EXPECT_EQ(again->company.name, profile.company.name);
  EXPECT_EQ(again->company.contact.email, profile.company.contact.email);
  EXPECT_EQ(again->company.mail_servers, profile.company.mail_servers);
  ASSERT_EQ(again->employees.size(), profile.employees.size());
  EXPECT_EQ(again->employees[0].names, profile.employees[0].names);
  EXPECT_EQ(again->employees[3].department, "経理部");
  EXPECT_EQ(again->partners[1].contact, "support@minato-logi.example");
  EXPECT_NE(text.find("株式会社サンプル商事"), std::string::npos);  // not \u-escaped
}

}  // namespace
}  // namespace emotriage::profile
