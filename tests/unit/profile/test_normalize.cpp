// Name normalisation: every equivalence DESIGN.md and issue 4 promise, and the offset map.
#include <gtest/gtest.h>

#include "profile/matcher.hpp"
#include "profile/normalize.hpp"

namespace emotriage::profile {
namespace {

struct Equivalence {
  std::string_view a, b;
};

class SameName : public ::testing::TestWithParam<Equivalence> {};

TEST_P(SameName, NormalizesEqual) {
  EXPECT_EQ(normalize_name(GetParam().a), normalize_name(GetParam().b))
      << GetParam().a << " vs " << GetParam().b;
}

INSTANTIATE_TEST_SUITE_P(
    Issue4AndDesign, SameName,
    ::testing::Values(
        Equivalence{"山田 太郎", "山田太郎"}, Equivalence{"山田　太郎", "山田太郎"},
        Equivalence{"ﾔﾏﾀﾞ", "ヤマダ"}, Equivalence{"ヤマダ", "やまだ"},
        Equivalence{"ﾔﾏﾀﾞ ﾀﾛｳ", "やまだたろう"}, Equivalence{"taro yamada", "Taro Yamada"},
        Equivalence{"ＴＡＲＯ　ＹＡＭＡＤＡ", "taro yamada"}, Equivalence{"髙橋", "高橋"},
        Equivalence{"山﨑", "山崎"}, Equivalence{"山嵜", "山崎"}, Equivalence{"渡邊", "渡辺"},
        Equivalence{"渡邉", "渡辺"}, Equivalence{"齋藤", "斎藤"}, Equivalence{"齊藤", "斎藤"},
        Equivalence{"濱田", "浜田"}, Equivalence{"澤田", "沢田"}, Equivalence{"德永", "徳永"},
        Equivalence{"廣田", "広田"}, Equivalence{"櫻井", "桜井"}, Equivalence{"國分", "国分"},
        Equivalence{"小嶋", "小島"}, Equivalence{"鈴木様", "鈴木"}, Equivalence{"鈴木さま", "鈴木"},
        Equivalence{"鈴木さん", "鈴木"}, Equivalence{"鈴木殿", "鈴木"},
        Equivalence{"サンプル商事御中", "サンプル商事"}, Equivalence{"Yamada-san", "yamada"},
        Equivalence{"Yamada sama", "yamada"}, Equivalence{"ヤマダ・タロウ", "やまだたろう"}));

TEST(NormalizeName, KeepsDifferentCharactersApart) {
  EXPECT_NE(normalize_name("藤田"), normalize_name("籐田"));  // 籐 is not a variant of 藤
  EXPECT_NE(normalize_name("斉藤"), normalize_name("斎藤"));
  EXPECT_NE(normalize_name("山田"), normalize_name("山本"));
}

TEST(NormalizeName, NeverStripsTheWholeName) {
  EXPECT_EQ(normalize_name("様"), "様");
  EXPECT_EQ(normalize_name("san"), "san");
}

TEST(NormalizeMapped, MapsEveryOutputByteToItsSource) {
  std::string_view text = "ﾔﾏﾀﾞ　Taro";
  NormalizedText normalized = normalize_mapped(text);
  EXPECT_EQ(normalized.text, "やまだtaro");
  ASSERT_EQ(normalized.source_begin.size(), normalized.text.size());
  // だ came from ﾀﾞ: both half-width characters (bytes 6..12).
  EXPECT_EQ(normalized.source_begin[6], 6u);
  EXPECT_EQ(normalized.source_end[8], 12u);
  // "t" after the ideographic space (bytes 12..15).
  EXPECT_EQ(normalized.source_begin[9], 15u);
}

TEST(NormalizeMapped, DropsInvalidBytesWithoutLosingTheMap) {
  std::string text =
      "ab\xff\xfe"
      "cd";
  NormalizedText normalized = normalize_mapped(text);
  EXPECT_EQ(normalized.text, "abcd");
  EXPECT_EQ(normalized.source_begin[2], 4u);
}

TEST(Honorific, RecognisedAfterANameOnly) {
  EXPECT_EQ(honorific_length_at("すずき様へ", 9), std::string_view("様").size());
  EXPECT_EQ(honorific_length_at("yamadasan", 6), 3u);
  EXPECT_EQ(honorific_length_at("yamadasandra", 6), 0u);
  EXPECT_EQ(honorific_length_at("yamada-sama", 6), 5u);
}

}  // namespace
}  // namespace emotriage::profile
