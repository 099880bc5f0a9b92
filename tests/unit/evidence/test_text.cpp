// Width folding and the lure keyword table.
#include <gtest/gtest.h>

#include "evidence/text.hpp"

namespace emotriage::evidence {
namespace {

using Words = std::vector<std::string>;

TEST(FoldWidth, AsciiInvalidBytesAndMixedText) {
  EXPECT_EQ(fold_width("Invoice No. 12 (pdf)"), "Invoice No. 12 (pdf)");
  EXPECT_EQ(fold_width("a\xff\xfe b"), "a\xEF\xBF\xBD\xEF\xBF\xBD b");
  EXPECT_EQ(fold_width("請求書\xffＮｏ．１㈱"), "請求書\xEF\xBF\xBDNo.1(株)");
  EXPECT_EQ(fold_width(""), "");
}

TEST(FoldWidth, FullWidthAsciiAndHalfWidthKana) {
  EXPECT_EQ(fold_width("ＲＥ：ﾃｽﾄ　Ａ１"), "RE:テスト A1");
}

TEST(FoldWidth, InvalidUtf8IsRepaired) {
  EXPECT_EQ(fold_width("a\xff"
                       "b"),
            "a\uFFFD"
            "b");
}

TEST(LureKeywords, JapaneseInvoiceMail) {
  EXPECT_EQ(lure_keywords("御請求書を添付しました。ご確認ください。"),
            (Words{"請求書", "御請求書", "ご確認ください", "添付"}));
}

TEST(LureKeywords, EnglishOnWordBoundariesOnly) {
  EXPECT_EQ(lure_keywords("Please see attached INVOICE for payment."),
            (Words{"invoice", "payment", "please see attached"}));
  // "border" holds "order"; "passwords" is not "password".
  EXPECT_TRUE(lure_keywords("The border of the table, passwords policy").empty());
}

TEST(LureKeywords, FullWidthAndNothingInOrdinaryText) {
  EXPECT_EQ(lure_keywords("ＵＲＧＥＮＴ"), Words{"urgent"});
  EXPECT_TRUE(lure_keywords("来週の会議の議事録です。よろしくお願いします。").empty());
}

}  // namespace
}  // namespace emotriage::evidence
