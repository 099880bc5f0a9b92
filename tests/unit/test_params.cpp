// Content-Type / Content-Disposition parameters: RFC 2231 (charset, language, continuations that
// split a character or an ISO-2022-JP escape), the quoted "=?..?=" form Outlook writes, and
// hostile field values.
#include "mime/params.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/text.hpp"
#include "growth.hpp"

namespace emotriage::mime {
namespace {

ParsedField parse(std::string_view raw) {
  ParsedField field = parse_field_with_params(raw);
  for (const auto& [name, value] : field.params) {
    EXPECT_TRUE(core::is_valid_utf8(value)) << name;
    EXPECT_EQ(name, core::ascii_lower(name));
  }
  return field;
}

// ---------------------------------------------------------------------------------------------
// RFC 2231

TEST(Params, Rfc2231Utf8) {
  ParsedField f = parse("attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82.pdf");
  EXPECT_EQ(f.value, "attachment");
  EXPECT_EQ(f.param("filename"), "請求.pdf");
  EXPECT_FALSE(f.malformed);
}

TEST(Params, Rfc2231WithLanguage) {
  ParsedField f = parse("attachment; filename*=utf-8'ja'%E8%AB%8B.pdf");
  EXPECT_EQ(f.param("filename"), "請.pdf");
}

TEST(Params, Rfc2231ShiftJis) {
  ParsedField f = parse("attachment; filename*=shift_jis''%90%BF%8B%81%8F%91%2E%78%6C%73");
  EXPECT_EQ(f.param("filename"), "請求書.xls");
}

TEST(Params, Rfc2231QuotedExtendedValue) {
  // Not allowed by the RFC, written anyway.
  ParsedField f = parse("attachment; filename*=\"UTF-8''%E8%AB%8B.pdf\"");
  EXPECT_EQ(f.param("filename"), "請.pdf");
}

TEST(Params, Rfc2231ContinuationSplitInsideUtf8Character) {
  ParsedField f =
      parse("attachment;\r\n filename*0*=UTF-8''%E8%AB%8B%E6;\r\n filename*1*=%B1%82%E6%9B%B8.pdf");
  EXPECT_EQ(f.param("filename"), "請求書.pdf");
  EXPECT_FALSE(f.malformed);
}

TEST(Params, Rfc2231ContinuationSplitInsideIso2022JpEscape) {
  // jakartaee/mail-api #54: section 0 ends inside "ESC $ B".
  ParsedField f = parse(
      "attachment; filename*0*=ISO-2022-JP'ja'%1B%24; filename*1*=%42%40%41%35%61;"
      " filename*2*=%3D%71%1B%28%42.zip");
  EXPECT_EQ(f.param("filename"), "請求書.zip");
  EXPECT_FALSE(f.malformed);
}

TEST(Params, Rfc2231SectionsOutOfOrder) {
  ParsedField f = parse(
      "attachment; filename*2*=%3D%71%1B%28%42.zip; filename*0*=ISO-2022-JP''%1B%24;"
      " filename*1*=%42%40%41%35%61");
  EXPECT_EQ(f.param("filename"), "請求書.zip");
}

TEST(Params, Rfc2231SectionsBeyondTenSortNumerically) {
  std::string raw = "attachment";
  for (int i = 11; i >= 0; --i) {
    raw +=
        "; name*" + std::to_string(i) + "=\"" + std::string(1, static_cast<char>('a' + i)) + "\"";
  }
  EXPECT_EQ(parse(raw).param("name"), "abcdefghijkl");
}

TEST(Params, NonExtendedContinuations) {
  ParsedField f = parse("application/pdf; name*0=\"a\"; name*1=\"b c\"; name*2=d.pdf");
  EXPECT_EQ(f.value, "application/pdf");
  EXPECT_EQ(f.param("name"), "ab cd.pdf");
}

TEST(Params, MixedExtendedAndPlainSections) {
  // Only encoded sections carry %XX; a plain section is taken literally.
  ParsedField f = parse("attachment; filename*0*=UTF-8''%E8%AB%8B; filename*1=\"%41.pdf\"");
  EXPECT_EQ(f.param("filename"), "請%41.pdf");
}

TEST(Params, Rfc2231WithoutCharsetQuotesIsMalformed) {
  ParsedField f = parse("attachment; filename*=%41%42");
  EXPECT_TRUE(f.malformed);
  EXPECT_EQ(f.param("filename"), "AB");
}

TEST(Params, Rfc2231WinsOverPlainInEitherOrder) {
  ParsedField a = parse("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%E8%AB%8B.pdf");
  EXPECT_EQ(a.param("filename"), "請.pdf");
  ParsedField b = parse("attachment; filename*=UTF-8''%E8%AB%8B.pdf; filename=\"fallback.pdf\"");
  EXPECT_EQ(b.param("filename"), "請.pdf");
  // Exactly one entry for the name.
  int count = 0;
  for (const auto& p : b.params) count += p.first == "filename";
  EXPECT_EQ(count, 1);
}

// ---------------------------------------------------------------------------------------------
// Encoded words and raw 8-bit in parameter values

TEST(Params, OutlookQuotedEncodedWord) {
  ParsedField f =
      parse("application/x-zip-compressed; name=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhCLnppcA==?=\"");
  EXPECT_EQ(f.param("name"), "請求書.zip");
  EXPECT_FALSE(f.malformed);
}

TEST(Params, QuotedEncodedWordsSplitMidCharacter) {
  ParsedField f =
      parse("attachment; filename=\"=?UTF-8?B?6KuL5g==?=\r\n =?UTF-8?B?sYLmm7guZG9j?=\"");
  EXPECT_EQ(f.param("filename"), "請求書.doc");
}

TEST(Params, UnquotedEncodedWord) {
  ParsedField f = parse("attachment; filename==?UTF-8?B?6KuL5rGC5pu4LmRvYw==?=");
  EXPECT_EQ(f.param("filename"), "請求書.doc");
}

TEST(Params, RawUtf8AndShiftJisValues) {
  EXPECT_EQ(parse("attachment; filename=\"請求書.pdf\"").param("filename"), "請求書.pdf");
  EXPECT_EQ(parse("attachment; filename=\"\x90\xbf\x8b\x81\x8f\x91.xls\"").param("filename"),
            "請求書.xls");
}

// ---------------------------------------------------------------------------------------------
// Syntax

TEST(Params, ValueIsLowerCasedWithCommentsAndSpacesRemoved) {
  ParsedField f = parse(" Text/Plain (a comment) ; charset=us-ascii");
  EXPECT_EQ(f.value, "text/plain");
  EXPECT_EQ(f.param("charset"), "us-ascii");
}

TEST(Params, CaseInsensitiveNames) {
  ParsedField f = parse("Text/HTML; CHARSET=utf-8; FileName*0*=utf-8''%41; FILENAME*1*=%42");
  EXPECT_EQ(f.value, "text/html");
  EXPECT_EQ(f.param("charset"), "utf-8");
  EXPECT_EQ(f.param("filename"), "AB");
}

TEST(Params, QuotedCharset) {
  ParsedField f = parse("text/plain; charset=\"Shift_JIS\"; format=flowed");
  EXPECT_EQ(f.param("charset"), "Shift_JIS");
  EXPECT_EQ(f.param("format"), "flowed");
}

TEST(Params, QuotedValueWithSemicolonAndSpaces) {
  ParsedField f = parse("attachment; filename=\"a; b.txt\"; size=3");
  EXPECT_EQ(f.param("filename"), "a; b.txt");
  EXPECT_EQ(f.param("size"), "3");
}

TEST(Params, BackslashEscapesInQuotedString) {
  ParsedField f = parse(R"(attachment; filename="a\"b\\c.txt")");
  EXPECT_EQ(f.param("filename"), R"(a"b\c.txt)");
  EXPECT_FALSE(f.malformed);
}

TEST(Params, SpacesAroundEquals) {
  ParsedField f = parse("attachment; filename = \"a.txt\" ; size = 10 ");
  EXPECT_EQ(f.param("filename"), "a.txt");
  EXPECT_EQ(f.param("size"), "10");
}

TEST(Params, UnterminatedQuote) {
  ParsedField f = parse("attachment; filename=\"abc.pdf");
  EXPECT_TRUE(f.malformed);
  EXPECT_EQ(f.param("filename"), "abc.pdf");
}

TEST(Params, MissingValue) {
  ParsedField f = parse("attachment; filename=; size=10");
  EXPECT_EQ(f.param("filename"), "");
  EXPECT_EQ(f.param("size"), "10");
}

TEST(Params, NameWithoutEqualsIsMalformed) {
  ParsedField f = parse("attachment; filename; size=10");
  EXPECT_TRUE(f.malformed);
  EXPECT_EQ(f.param("size"), "10");
}

TEST(Params, Junk) {
  ParsedField f = parse("attachment;;; ; =x; \"q\"; filename=ok.txt; garbage");
  EXPECT_EQ(f.value, "attachment");
  EXPECT_EQ(f.param("filename"), "ok.txt");
  EXPECT_TRUE(f.malformed);
}

TEST(Params, EmptyNameAfterSectionSuffixIsDropped) {
  ParsedField f = parse("attachment; *0*=UTF-8''%41; *=x; filename=a.txt");
  EXPECT_TRUE(f.malformed);
  EXPECT_EQ(f.param("filename"), "a.txt");
  for (const auto& p : f.params) EXPECT_FALSE(p.first.empty());
}

TEST(Params, TextAfterClosingQuoteIsSkipped) {
  ParsedField f = parse("attachment; filename=\"a.txt\"junk; size=1");
  EXPECT_EQ(f.param("filename"), "a.txt");
  EXPECT_EQ(f.param("size"), "1");
}

TEST(Params, DuplicatePlainParameterFirstWins) {
  ParsedField f = parse("attachment; filename=\"a.pdf\"; filename=\"b.exe\"");
  EXPECT_EQ(f.param("filename"), "a.pdf");
}

TEST(Params, Empty) {
  ParsedField f = parse("");
  EXPECT_EQ(f.value, "");
  EXPECT_TRUE(f.params.empty());
  EXPECT_FALSE(f.malformed);
  EXPECT_EQ(f.param("filename"), "");
}

// ---------------------------------------------------------------------------------------------
// Hostile

TEST(Params, TenThousandParamsAreBounded) {
  auto field_with = [](std::size_t count) {
    std::string raw = "attachment; filename=first.txt";
    for (std::size_t i = 0; i < count; ++i) raw += "; p" + std::to_string(i) + "=\"v\"";
    return raw;
  };
  test_support::expect_linear_growth([&](std::size_t scale) { parse(field_with(scale * 200)); });
  ParsedField f = parse(field_with(10000));
  EXPECT_EQ(f.param("filename"), "first.txt");
  EXPECT_LE(f.params.size(), 1000u);
  EXPECT_TRUE(f.malformed);  // a bound was hit
}

TEST(Params, TenThousandContinuationsAreBounded) {
  auto field_with = [](std::size_t count) {
    std::string raw = "attachment";
    for (std::size_t i = 0; i < count; ++i) raw += "; filename*" + std::to_string(i) + "*=%41";
    return raw;
  };
  test_support::expect_linear_growth([&](std::size_t scale) { parse(field_with(scale * 200)); });
  ParsedField f = parse(field_with(10000));
  EXPECT_LE(f.param("filename").size(), 1000u);
  EXPECT_TRUE(f.malformed);
}

TEST(Params, HugeSectionNumberIsNotAContinuation) {
  ParsedField f = parse("attachment; filename*99999999999999999999=x");
  EXPECT_TRUE(core::is_valid_utf8(std::string(f.param("filename*99999999999999999999"))));
  EXPECT_EQ(f.param("filename"), "");
}

TEST(Params, ManyUnclosedComments) {
  auto field_with = [](std::size_t depth) {
    return "text/plain" + std::string(depth, '(') + "; charset=utf-8";
  };
  EXPECT_EQ(parse(field_with(100000)).value, "text/plain");
  test_support::expect_linear_growth([&](std::size_t scale) { parse(field_with(scale * 2000)); });
}

}  // namespace
}  // namespace emotriage::mime
