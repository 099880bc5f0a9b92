// password_candidates: the forms Japanese and English malspam used, and sentences that must not
// become passwords.
#include <gtest/gtest.h>

#include "evidence/evidence.hpp"

namespace emotriage::evidence {
namespace {

using Passwords = std::vector<std::string>;

TEST(Passwords, JapaneseLabelWithColon) {
  EXPECT_EQ(password_candidates("添付ファイルのパスワード：Ab12\nよろしくお願いします。"),
            Passwords{"Ab12"});
  EXPECT_EQ(password_candidates("パスワード: Xy9_kq"), Passwords{"Xy9_kq"});
}

TEST(Passwords, FullWidthColonSpacesAndAlnum) {
  EXPECT_EQ(password_candidates("パスワード　：　Ａｂ１２"), Passwords{"Ab12"});
  EXPECT_EQ(password_candidates("ﾊﾟｽﾜｰﾄﾞ：ZM8xq"), Passwords{"ZM8xq"});
}

TEST(Passwords, EnglishLabels) {
  EXPECT_EQ(password_candidates("PW: 3kd9"), Passwords{"3kd9"});
  EXPECT_EQ(password_candidates("PASS: infected"), Passwords{"infected"});
  EXPECT_EQ(password_candidates("Archive password: Q2W3"), Passwords{"Q2W3"});
  EXPECT_EQ(password_candidates("The password is 98731."), Passwords{"98731"});
  EXPECT_EQ(password_candidates("Password is secret"), Passwords{"secret"});
  EXPECT_EQ(password_candidates("the password is Zq7w for the file"), Passwords{"Zq7w"});
}

TEST(Passwords, SentenceFormWithBrackets) {
  EXPECT_EQ(password_candidates("解凍パスワードは「Ab12」です。"), Passwords{"Ab12"});
  EXPECT_EQ(password_candidates("解凍パスワードはAb12です"), Passwords{"Ab12"});
  EXPECT_EQ(password_candidates("【パスワード】Ab12"), Passwords{"Ab12"});
  EXPECT_EQ(password_candidates("パスワードは『k 9 x』です"), Passwords{"k 9 x"});
}

TEST(Passwords, AloneOnTheNextLine) {
  EXPECT_EQ(password_candidates("ご確認ください。\nパスワード\n\n  QW12er  \n以上"),
            Passwords{"QW12er"});
  EXPECT_EQ(password_candidates("Password\n\"x7 y8\"\n"), Passwords{"x7 y8"});
  EXPECT_EQ(password_candidates("パスワードは下記の通りです。\nBn45"), Passwords{"Bn45"});
}

TEST(Passwords, SentencesAreNotPasswords) {
  EXPECT_TRUE(password_candidates("パスワードは別途お送りします。").empty());
  EXPECT_TRUE(password_candidates("パスワード付きZIPファイルを送付します").empty());
  EXPECT_TRUE(password_candidates("The password will be sent separately.").empty());
  EXPECT_TRUE(password_candidates("This file is password protected").empty());
  EXPECT_TRUE(password_candidates("Your password has expired").empty());
  EXPECT_TRUE(password_candidates("Password is required for this file").empty());
  EXPECT_TRUE(password_candidates("passport: none").empty());
  EXPECT_TRUE(password_candidates("your email account password is due to expire").empty());
  EXPECT_TRUE(password_candidates("<a href=\"x?pw=abc\">link</a>").empty());
  EXPECT_TRUE(password_candidates("Password: </td>").empty());
  // A lone label followed by a sentence line.
  EXPECT_TRUE(password_candidates("パスワード\nは後ほどお送りします").empty());
  EXPECT_TRUE(password_candidates("Password\nwill follow in another mail").empty());
}

TEST(Passwords, TooLongIsRejected) {
  EXPECT_TRUE(password_candidates("PW: " + std::string(65, 'a')).empty());
  EXPECT_EQ(password_candidates("PW: " + std::string(64, 'a')).size(), 1u);
}

TEST(Passwords, QuotedComeFirstAndDuplicatesOnce) {
  Passwords found = password_candidates("PW: first1\nパスワード「second2」\nPW: first1");
  EXPECT_EQ(found, (Passwords{"second2", "first1"}));
}

}  // namespace
}  // namespace emotriage::evidence
