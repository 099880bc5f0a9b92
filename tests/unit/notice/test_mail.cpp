#include <gtest/gtest.h>

#include "mime/rfc2047.hpp"
#include "notice/mail.hpp"

namespace emotriage::notice {
namespace {

TEST(NoticeMail, HeaderSafeRemovesLineBreaksAndControls) {
  EXPECT_EQ(header_safe("RE: x\r\nBcc: a@evil.example"), "RE: x Bcc: a@evil.example");
  EXPECT_EQ(header_safe(std::string("a\0b\x1b[31m\x7f", 8)), "a b [31m");
  EXPECT_EQ(header_safe("a\xC2\x85"
                        "b"),
            "ab");  // NEL (C1)
  EXPECT_EQ(header_safe("  spaced   out \t"), "spaced out");
}

TEST(NoticeMail, EncodedWordsRoundTripAndStayShort) {
  std::string subject(200, 'x');
  subject += "【至急】ご請求書の件 ① ㈱ 髙橋";
  std::string encoded = encode_header_words(subject);
  for (std::size_t start = 0; start < encoded.size();) {
    std::size_t end = encoded.find("\r\n ", start);
    std::string word = encoded.substr(start, end == std::string::npos ? end : end - start);
    EXPECT_LE(word.size(), 75u) << word;
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_EQ(mime::decode_header_text(mime::unfold(encoded)).text, subject);
  EXPECT_EQ(encode_header_words("plain ascii"), "plain ascii");
  // Text that looks like an encoded word is encoded, so a reader cannot be fooled by it.
  EXPECT_NE(encode_header_words("=?UTF-8?B?QmNjOg==?="), "=?UTF-8?B?QmNjOg==?=");
}

TEST(NoticeMail, PlainAddresses) {
  EXPECT_TRUE(is_plain_address("t.yamada@sample-shoji.example"));
  EXPECT_TRUE(is_plain_address("a+b@x.example"));
  EXPECT_FALSE(is_plain_address("x\r\nBcc: a@evil.example"));
  EXPECT_FALSE(is_plain_address("a b@x.example"));
  EXPECT_FALSE(is_plain_address("<a@x.example>"));
  EXPECT_FALSE(is_plain_address("https://support.google.com/mail"));
  EXPECT_FALSE(is_plain_address("a@@x"));
  EXPECT_FALSE(is_plain_address("a..b@x.example"));
  EXPECT_FALSE(is_plain_address("山田@x.example"));
}

TEST(NoticeMail, Rfc5322Date) {
  EXPECT_EQ(rfc5322_date("2020-09-03T10:15:42+09:00"), "Thu, 03 Sep 2020 10:15:42 +0900");
  EXPECT_EQ(rfc5322_date("2024-02-29T23:59:59Z"), "Thu, 29 Feb 2024 23:59:59 +0000");
  EXPECT_EQ(rfc5322_date("1970-01-01T00:00:00.123-05:30"), "Thu, 01 Jan 1970 00:00:00 -0530");
  EXPECT_FALSE(rfc5322_date("yesterday"));
  EXPECT_FALSE(rfc5322_date("2020-13-03T10:15:42+09:00"));
  EXPECT_FALSE(rfc5322_date("2020-09-03T10:15:42+0900"));
}

Draft draft_with(std::string body) {
  return Draft{{"株式会社サンプル商事", "security@sample-shoji.example"},
               {{"", "a@x.example"}, {"bad", "x\r\nBcc: evil@evil.example"}},
               {},
               "件名\r\nBcc: evil@evil.example",
               "Thu, 03 Sep 2020 10:15:42 +0900",
               "<1@sample-shoji.example>",
               std::move(body)};
}

TEST(NoticeMail, JisBodyWhenPossible) {
  std::string eml = compose_eml(draft_with("山田 太郎 様\nよろしくお願いします。\n"));
  EXPECT_NE(eml.find("Content-Type: text/plain; charset=ISO-2022-JP\r\n"), std::string::npos);
  EXPECT_NE(eml.find("Content-Transfer-Encoding: 7bit\r\n"), std::string::npos);
  // Each line ends in ASCII (ESC ( B) and the body is 7-bit.
  EXPECT_NE(eml.find("\x1b(B\r\n"), std::string::npos);
  for (char c : eml) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
  EXPECT_EQ(eml.find("\nBcc:"), std::string::npos);
  EXPECT_EQ(eml.find("evil@evil.example>"), std::string::npos);  // the bad To is left out
}

TEST(NoticeMail, Utf8FallbackForCp932OnlyCharacters) {
  for (const std::string& text :
       std::vector<std::string>{"① 一つ目", "㈱サンプル", "髙橋 一郎", std::string(1200, 'a')}) {
    std::string eml = compose_eml(draft_with(text));
    EXPECT_NE(eml.find("charset=UTF-8\r\nContent-Transfer-Encoding: base64"), std::string::npos)
        << text;
  }
}

TEST(NoticeMail, NoLineLongerThan998) {
  std::string eml = compose_eml(draft_with(std::string(5000, 'x') + "\n短い行\n"));
  std::size_t start = 0;
  while (start < eml.size()) {
    std::size_t end = eml.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 998u);
    start = end + 2;
  }
}

}  // namespace
}  // namespace emotriage::notice
