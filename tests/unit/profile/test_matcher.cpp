// Employee and company names: display names, long texts, honorifics, family-name hits.
#include <gtest/gtest.h>

#include <string>

#include "profile/matcher.hpp"

namespace emotriage::profile {
namespace {

Profile people() {
  Profile profile;
  profile.company.name = "株式会社サンプル商事";
  profile.company.name_en = "Sample Shoji Co., Ltd.";
  profile.company.domains = {"sample-shoji.example"};
  profile.employees = {
      {{"山田 太郎", "ヤマダ タロウ", "Taro Yamada"}, {"t.yamada@sample-shoji.example"}, ""},
      {{"鈴木 花子", "スズキ ハナコ", "Hanako Suzuki"}, {"h.suzuki@sample-shoji.example"}, ""},
      {{"髙橋 一郎", "タカハシ イチロウ", "Ichiro Takahashi"},
       {"i.takahashi@sample-shoji.example"},
       ""},
      {{"林 健", "Ken Hayashi"}, {"k.hayashi@sample-shoji.example"}, ""},
      {{"Li Na"}, {"li.na@sample-shoji.example"}, ""},
  };
  return profile;
}

const Matcher& matcher() {
  static const Matcher instance(people());
  return instance;
}

TEST(EmployeeByAddress, CaseInsensitive) {
  EXPECT_EQ(matcher().employee_by_address("T.Yamada@Sample-Shoji.Example"), 0);
  EXPECT_EQ(matcher().employee_by_address("<h.suzuki@sample-shoji.example>"), 1);
  EXPECT_FALSE(matcher().employee_by_address("t.yamada@other.example").has_value());
}

struct DisplayCase {
  std::string_view display_name;
  int employee;  // -1: nobody
};

class DisplayName : public ::testing::TestWithParam<DisplayCase> {};

TEST_P(DisplayName, FindsTheEmployee) {
  std::vector<int> found = matcher().employees_by_display_name(GetParam().display_name);
  if (GetParam().employee < 0) {
    EXPECT_TRUE(found.empty()) << GetParam().display_name;
  } else {
    EXPECT_EQ(found, std::vector<int>{GetParam().employee}) << GetParam().display_name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Decorations, DisplayName,
    ::testing::Values(
        DisplayCase{"山田 太郎", 0}, DisplayCase{"山田太郎", 0}, DisplayCase{"山田　太郎", 0},
        DisplayCase{"太郎 山田", 0}, DisplayCase{"Yamada Taro", 0}, DisplayCase{"YAMADA Taro", 0},
        DisplayCase{"taro yamada", 0}, DisplayCase{"Yamada, Taro", 0}, DisplayCase{"ﾔﾏﾀﾞ ﾀﾛｳ", 0},
        DisplayCase{"やまだ たろう", 0}, DisplayCase{"\"山田 太郎\"", 0},
        DisplayCase{"山田 太郎 <x@evil.example>", 0}, DisplayCase{"山田太郎 (営業部)", 0},
        DisplayCase{"山田太郎（営業部）", 0}, DisplayCase{"【サンプル商事】山田 太郎", 0},
        DisplayCase{"山田 太郎 / サンプル商事", 0}, DisplayCase{"サンプル商事 山田 太郎", 0},
        DisplayCase{"山田太郎様", 0}, DisplayCase{"高橋 一郎", 2}, DisplayCase{"髙橋一郎", 2},
        DisplayCase{"山田 花子", -1}, DisplayCase{"山田", -1}, DisplayCase{"", -1},
        DisplayCase{"<t.yamada@sample-shoji.example>", -1}));

TEST(FindEmployeeNames, FullNamesWithOffsetsAndOriginalText) {
  std::string text = "お世話になっております。\n山田　太郎です。\nTaro Yamada\n";
  std::vector<NameHit> hits = matcher().find_employee_names(text);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].employee, 0);
  EXPECT_EQ(hits[0].matched, "山田　太郎");
  EXPECT_EQ(text.substr(hits[0].offset, hits[0].matched.size()), "山田　太郎");
  EXPECT_FALSE(hits[0].family_only);
  EXPECT_EQ(hits[1].matched, "Taro Yamada");
}

TEST(FindEmployeeNames, HonorificMarksTheAddressee) {
  std::vector<NameHit> hits =
      matcher().find_employee_names("鈴木様\nいつもお世話になっております。");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].employee, 1);
  EXPECT_TRUE(hits[0].honorific);
  EXPECT_TRUE(hits[0].family_only);
  EXPECT_EQ(hits[0].matched, "鈴木");

  hits = matcher().find_employee_names("Dear Suzuki Hanako-san,");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0].honorific);
  EXPECT_FALSE(hits[0].family_only);
}

TEST(FindEmployeeNames, FamilyNameOnlyForTwoOrMoreCjkCharacters) {
  // 林 is one character: never searched alone. Romaji family names are never searched alone.
  EXPECT_TRUE(matcher().find_employee_names("林さんへ、森林の件").empty());
  EXPECT_TRUE(matcher().find_employee_names("Dear Yamada-san").empty());
  std::vector<NameHit> hits = matcher().find_employee_names("高橋部長によろしく");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].employee, 2);
  EXPECT_TRUE(hits[0].family_only);
  EXPECT_FALSE(hits[0].honorific);
}

TEST(FindEmployeeNames, RomajiNeedsWordBoundaries) {
  EXPECT_TRUE(matcher().find_employee_names("xtaro yamada").empty());
  EXPECT_TRUE(matcher().find_employee_names("Taro Yamadas").empty());
  EXPECT_TRUE(matcher().find_employee_names("Malina Nakamura").empty());  // "li na" inside
  EXPECT_EQ(matcher().find_employee_names("(Taro Yamada)").size(), 1u);
  EXPECT_EQ(matcher().find_employee_names("from: Li Na.").size(), 1u);
}

TEST(FindEmployeeNames, KanaNameNotInsideALongerKanaWord) {
  EXPECT_TRUE(matcher().find_employee_names("スズキハナコーヒー").empty());
  EXPECT_EQ(matcher().find_employee_names("ｽｽﾞｷ ﾊﾅｺ").size(), 1u);
  std::vector<NameHit> hits = matcher().find_employee_names("スズキハナコさん");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_TRUE(hits[0].honorific);
}

TEST(FindEmployeeNames, LongTextManyEmployees) {
  Profile profile = people();
  for (int i = 0; i < 1000; ++i) {
    std::string number = std::to_string(i);
    profile.employees.push_back({{"社員" + number + " 太郎", "Employee" + number + " Test"},
                                 {"e" + number + "@sample-shoji.example"},
                                 ""});
  }
  Matcher big(std::move(profile));
  std::string text;
  while (text.size() < (1u << 20)) text += "本文の行です。The quick brown fox. ";
  text += "社員999 太郎";
  std::vector<NameHit> hits = big.find_employee_names(text);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].employee, 5 + 999);
}

TEST(FindEmployeeNames, BoundedOnFloods) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "山田太郎 ";
  EXPECT_EQ(matcher().find_employee_names(text).size(), 10000u);
}

TEST(CompanyName, WithOrWithoutLegalForm) {
  EXPECT_EQ(matcher().find_company_name("株式会社サンプル商事 営業部"), "株式会社サンプル商事");
  EXPECT_EQ(matcher().find_company_name("サンプル商事(株)の山田です"), "サンプル商事(株)");
  EXPECT_EQ(matcher().find_company_name("㈱ｻﾝﾌﾟﾙ商事"), "㈱ｻﾝﾌﾟﾙ商事");
  EXPECT_EQ(matcher().find_company_name("Regards, SAMPLE SHOJI CO., LTD."),
            "SAMPLE SHOJI CO., LTD.");
  EXPECT_EQ(matcher().find_company_name("from Sample Shoji Inc"), "Sample Shoji Inc");
  EXPECT_FALSE(matcher().find_company_name("ExampleSample Shojix").has_value());
  EXPECT_FALSE(matcher().find_company_name("株式会社サンプル").has_value());
}

TEST(CompanyName, DisplayName) {
  EXPECT_TRUE(matcher().is_company_name("株式会社サンプル商事"));
  EXPECT_TRUE(matcher().is_company_name("サンプル商事"));
  EXPECT_TRUE(matcher().is_company_name("\"Sample Shoji Co., Ltd.\" <info@x.example>"));
  EXPECT_TRUE(matcher().is_company_name("ｻﾝﾌﾟﾙ商事 御中"));
  EXPECT_FALSE(matcher().is_company_name("サンプル商事 山田"));
  EXPECT_FALSE(matcher().is_company_name("株式会社"));
}

}  // namespace
}  // namespace emotriage::profile
