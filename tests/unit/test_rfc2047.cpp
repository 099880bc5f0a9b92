// RFC 2047 header decoding and the small transfer decoders behind it. Base64 payloads were made
// with Python: base64.b64encode('…'.encode('iso-2022-jp')) and split by hand where noted.
#include "mime/rfc2047.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <string>

#include "core/text.hpp"
#include "growth.hpp"
#include "mime/transfer.hpp"

namespace emotriage::mime {
namespace {

// Decodes and checks the invariants every result must keep.
DecodedHeader decode(std::string_view raw) {
  DecodedHeader header = decode_header_text(raw);
  EXPECT_TRUE(core::is_valid_utf8(header.text)) << raw;
  EXPECT_EQ(core::count_replacement_chars(header.text), header.invalid) << raw;
  if (header.invalid > 0) {
    EXPECT_TRUE(header.malformed) << raw;
  }
  return header;
}

// ---------------------------------------------------------------------------------------------
// Basic words

TEST(Rfc2047, Utf8BWord) {
  DecodedHeader h = decode("=?UTF-8?B?44OG44K544OI?=");
  EXPECT_EQ(h.text, "テスト");
  EXPECT_FALSE(h.malformed);
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, Latin1QWordWithUnderscoreAsSpace) {
  DecodedHeader h = decode("=?ISO-8859-1?Q?caf=E9_au_lait?=");
  EXPECT_EQ(h.text, "café au lait");
  EXPECT_FALSE(h.malformed);
}

TEST(Rfc2047, LowerCaseEncodingLettersAndHex) {
  EXPECT_EQ(decode("=?utf-8?b?44GC?=").text, "あ");
  EXPECT_EQ(decode("=?iso-8859-1?q?caf=e9?=").text, "café");
}

TEST(Rfc2047, LanguageSuffixOnCharset) {
  DecodedHeader h = decode("=?utf-8*ja?B?44GC?=");
  EXPECT_EQ(h.text, "あ");
  EXPECT_FALSE(h.malformed);
}

TEST(Rfc2047, ShiftJisWord) {
  EXPECT_EQ(decode("=?Shift_JIS?B?kL+LgY+R?=").text, "請求書");
}

TEST(Rfc2047, Iso2022JpWordWithNecRow13) {
  // ① and ㈱ in JIS row 13: iconv-based decoders turn them into '?'.
  DecodedHeader h = decode("=?ISO-2022-JP?B?GyRCLSEtahsoQg==?=");
  EXPECT_EQ(h.text, "①㈱");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, Iso2022JpWordWithIbmExtension) {
  EXPECT_EQ(decode("=?ISO-2022-JP?B?GyRCfGI2NhsoQg==?=").text, "髙橋");
}

TEST(Rfc2047, EmptyEncodedText) {
  DecodedHeader h = decode(
      "a=?UTF-8?B?"
      "?=b");
  EXPECT_EQ(h.text, "ab");
  EXPECT_FALSE(h.malformed);
}

// ---------------------------------------------------------------------------------------------
// Adjacent words are joined as bytes (rspamd #1669)

TEST(Rfc2047, Iso2022JpSplitInsideCharacter) {
  // The first word ends after "ESC $ B ! Z =": half of the character "=E".
  DecodedHeader h =
      decode("=?ISO-2022-JP?B?GyRCIVo9?= =?ISO-2022-JP?B?RU1XIVtAQTVhPXEkTiQ0M05HJxsoQg==?=");
  EXPECT_EQ(h.text, "【重要】請求書のご確認");
  EXPECT_EQ(h.invalid, 0u);
  EXPECT_FALSE(h.malformed);
}

TEST(Rfc2047, Iso2022JpSplitInsideEscapeSequence) {
  // The first word holds only the ESC byte; "$B" starts the second.
  DecodedHeader h =
      decode("=?ISO-2022-JP?B?Gw==?=\r\n =?ISO-2022-JP?B?JEIhWj1FTVchW0BBNWE9cSROJDQzTkcnGyhC?=");
  EXPECT_EQ(h.text, "【重要】請求書のご確認");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, Iso2022JpSplitInThreeWithMixedCaseLabelsAndTabFolding) {
  DecodedHeader h = decode(
      "=?ISO-2022-JP?B?GyQ=?=\n\t=?iso-2022-jp?B?QiFaPUVNVw==?=\r\n"
      "  =?Iso-2022-Jp?B?IVtAQTVhPXEkTiQ0M05HJxsoQg==?=");
  EXPECT_EQ(h.text, "【重要】請求書のご確認");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, Utf8SplitMidCharacter) {
  DecodedHeader h = decode("=?UTF-8?B?6KuL5g==?= =?utf-8?B?sYLmm7g=?=");
  EXPECT_EQ(h.text, "請求書");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, BAndQWordsInSameCharsetAreJoined) {
  // "あ" = E3 81 82, split between a B word (E3) and a Q word (81 82).
  DecodedHeader h = decode("=?UTF-8?B?4w==?= =?UTF-8?Q?=81=82?=");
  EXPECT_EQ(h.text, "あ");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, PaddingThenMoreWordsKeepsTheRest) {
  // gmime #133: the first word ends with "==" in the middle of a character; the text after
  // the adjacent word must not be lost.
  DecodedHeader h = decode("=?UTF-8?B?44GC4w==?= =?UTF-8?B?gYQ=?= 確認");
  EXPECT_EQ(h.text, "あい 確認");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, PaddingInTheMiddleOfOneWord) {
  DecodedHeader h = decode("=?UTF-8?B?44GC4w==gYQ=?=");
  EXPECT_EQ(h.text, "あい");
}

TEST(Rfc2047, GluedWordsWithoutSpace) {
  EXPECT_EQ(decode("=?UTF-8?B?44GC?==?UTF-8?B?44GE?=").text, "あい");
}

TEST(Rfc2047, DifferentCharsetsAdjacent) {
  DecodedHeader h = decode("=?ISO-2022-JP?B?GyRCfGI2NhsoQg==?= =?UTF-8?B?44GV44KT?=");
  EXPECT_EQ(h.text, "髙橋さん");
}

// ---------------------------------------------------------------------------------------------
// White space

TEST(Rfc2047, SpaceBetweenWordAndTextIsKept) {
  EXPECT_EQ(decode("=?UTF-8?B?44GC?= abc").text, "あ abc");
  EXPECT_EQ(decode("abc =?UTF-8?B?44GC?=").text, "abc あ");
  EXPECT_EQ(decode("=?UTF-8?B?44GC?= and =?UTF-8?B?44GE?=").text, "あ and い");
}

TEST(Rfc2047, FoldedSpaceBetweenWordAndTextIsKept) {
  EXPECT_EQ(decode("RE:\r\n =?UTF-8?B?44GC?=").text, "RE: あ");
}

TEST(Rfc2047, EncodedSpaceIsKept) {
  // A space inside the encoded text is text, not separator.
  EXPECT_EQ(decode("=?UTF-8?B?5bGx55SwIOWkqumDjg==?=").text, "山田 太郎");
  EXPECT_EQ(decode("=?UTF-8?Q?a_?= =?UTF-8?Q?b?=").text, "a b");
}

TEST(Rfc2047, WordGluedToText) {
  EXPECT_EQ(decode("abc=?UTF-8?B?44GC?=def").text, "abcあdef");
}

TEST(Rfc2047, WordInsideQuotedString) {
  DecodedHeader h = decode("\"=?UTF-8?B?5bGx55Sw?=\" <a@example.jp>");
  EXPECT_EQ(h.text, "\"山田\" <a@example.jp>");
}

TEST(Rfc2047, PlainAsciiUnchanged) {
  DecodedHeader h = decode("Re: invoice 2026 =? not a word ?=");
  EXPECT_EQ(h.text, "Re: invoice 2026 =? not a word ?=");
  EXPECT_EQ(h.invalid, 0u);
}

// ---------------------------------------------------------------------------------------------
// Raw header bytes

TEST(Rfc2047, RawUtf8Header) {
  DecodedHeader h = decode("Re: 請求書のご確認");
  EXPECT_EQ(h.text, "Re: 請求書のご確認");
  EXPECT_FALSE(h.malformed);
}

TEST(Rfc2047, RawShiftJisHeader) {
  // 件名：請求書 in CP932.
  DecodedHeader h = decode("\x8c\x8f\x96\xbc\x81\x46\x90\xbf\x8b\x81\x8f\x91");
  EXPECT_EQ(h.text, "件名：請求書");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, RawIso2022JpHeader) {
  DecodedHeader h = decode("Re: \x1b$B@A5a=q\x1b(B");
  EXPECT_EQ(h.text, "Re: 請求書");
  EXPECT_EQ(h.invalid, 0u);
}

TEST(Rfc2047, RawUtf8BesideEncodedWord) {
  EXPECT_EQ(decode("確認: =?UTF-8?B?44GC?=").text, "確認: あ");
}

// ---------------------------------------------------------------------------------------------
// Broken words

TEST(Rfc2047, MissingTerminatorAtEnd) {
  DecodedHeader h = decode("Re: =?UTF-8?B?44GC");
  EXPECT_TRUE(h.malformed);
  EXPECT_EQ(h.text, "Re: あ");
}

TEST(Rfc2047, MissingTerminatorBeforeSpaceKeepsRawText) {
  DecodedHeader h = decode("=?UTF-8?B?44GC abc");
  EXPECT_TRUE(h.malformed);
  EXPECT_EQ(h.text, "=?UTF-8?B?44GC abc");
}

TEST(Rfc2047, BadBase64) {
  DecodedHeader h = decode("=?UTF-8?B?44G*C?= x");
  EXPECT_TRUE(h.malformed);
  EXPECT_TRUE(h.text.ends_with(" x")) << h.text;
}

TEST(Rfc2047, DanglingBase64Character) {
  // Five characters: the last carries 6 bits, less than a byte.
  DecodedHeader h = decode("=?UTF-8?B?44GCx?=");
  EXPECT_TRUE(h.malformed);
  EXPECT_EQ(h.text, "あ");
}

TEST(Rfc2047, BadQEscape) {
  DecodedHeader h = decode("=?ISO-8859-1?Q?a=ZZb?=");
  EXPECT_TRUE(h.malformed);
  EXPECT_EQ(h.text, "a=ZZb");
}

TEST(Rfc2047, InvalidBytesInWordAreCounted) {
  DecodedHeader h = decode("=?UTF-8?B?/w==?=ok");
  EXPECT_TRUE(h.malformed);
  EXPECT_EQ(h.invalid, 1u);
  EXPECT_EQ(h.text, "\xEF\xBF\xBDok");
}

TEST(Rfc2047, UnknownEncodingLetterIsNotAWord) {
  DecodedHeader h = decode("=?UTF-8?X?44GC?=");
  EXPECT_EQ(h.text, "=?UTF-8?X?44GC?=");
}

TEST(Rfc2047, UnknownCharsetFallsBackToDetection) {
  EXPECT_EQ(decode("=?x-unknown?Q?abc?=").text, "abc");
  DecodedHeader h = decode("=?x-foo?B?44GC?=");
  EXPECT_EQ(h.text, "あ");  // the bytes are UTF-8
}

TEST(Rfc2047, LyingCharsetInWord) {
  // A word labelled ISO-2022-JP carrying Shift_JIS bytes.
  EXPECT_EQ(decode("=?ISO-2022-JP?B?kL+LgY+R?=").text, "請求書");
}

TEST(Rfc2047, Empty) {
  DecodedHeader h = decode("");
  EXPECT_EQ(h.text, "");
  EXPECT_FALSE(h.malformed);
}

TEST(Rfc2047, HostileRepeatedWordStartsAreLinear) {
  // Many "=?" without a terminator must not make the decoder quadratic.
  auto header_with = [](std::size_t count) {
    std::string raw;
    for (std::size_t i = 0; i < count; ++i) raw += "=?x?B?AAAA";
    return raw;
  };
  test_support::expect_linear_growth([&](std::size_t scale) { decode(header_with(scale * 200)); });
  std::string raw = header_with(50000);
  DecodedHeader h = decode(raw);
  EXPECT_TRUE(core::is_valid_utf8(h.text));
  EXPECT_LE(h.text.size(), raw.size() * 3);
}

TEST(Rfc2047, HostileManyWords) {
  auto header_with = [](std::size_t count) {
    std::string raw;
    for (std::size_t i = 0; i < count; ++i) raw += "=?UTF-8?B?44GC?= ";
    return raw;
  };
  EXPECT_EQ(decode(header_with(20000)).text.size(), 20000u * 3 + 1);
  test_support::expect_linear_growth([&](std::size_t scale) {
    decode(header_with(scale * 100));
  });  // the trailing space is plain text
}

// ---------------------------------------------------------------------------------------------
// unfold

TEST(Unfold, RemovesLineBreaksKeepsWhiteSpace) {
  EXPECT_EQ(unfold("a\r\n b"), "a b");
  EXPECT_EQ(unfold("a\n\tb"), "a\tb");
  EXPECT_EQ(unfold("no folding"), "no folding");
  EXPECT_EQ(unfold(""), "");
}

// ---------------------------------------------------------------------------------------------
// Transfer decoders

TEST(Base64Lenient, CleanInput) {
  std::string out;
  EXPECT_TRUE(decode_base64_lenient("44GC44GE", out));
  EXPECT_EQ(out, "あい");
}

TEST(Base64Lenient, MissingPaddingIsTolerated) {
  std::string out;
  EXPECT_TRUE(decode_base64_lenient("YWI", out));
  EXPECT_EQ(out, "ab");
}

TEST(Base64Lenient, PaddingInTheMiddle) {
  std::string out;
  EXPECT_TRUE(decode_base64_lenient("YQ==Yg==", out));
  EXPECT_EQ(out, "ab");
}

TEST(Base64Lenient, WhiteSpaceIsSkippedSilently) {
  std::string out;
  EXPECT_TRUE(decode_base64_lenient("YW\r\n Jj", out));
  EXPECT_EQ(out, "abc");
}

TEST(Base64Lenient, StrayCharactersAreReported) {
  std::string out;
  EXPECT_FALSE(decode_base64_lenient("YW*Jj", out));
  EXPECT_EQ(out, "abc");
}

TEST(Base64Lenient, DanglingCharacterIsReported) {
  std::string out;
  EXPECT_FALSE(decode_base64_lenient("YWJjZ", out));
  EXPECT_EQ(out, "abc");
}

TEST(QWord, EscapesAndUnderscore) {
  std::string out;
  EXPECT_TRUE(decode_q_word("a_b=3D=3f", out));
  EXPECT_EQ(out, "a b=?");
}

TEST(QWord, BrokenEscapes) {
  std::string out;
  EXPECT_FALSE(decode_q_word("a=4", out));
  EXPECT_EQ(out, "a=4");
  out.clear();
  EXPECT_FALSE(decode_q_word("=", out));
  EXPECT_EQ(out, "=");
}

TEST(Percent, EscapesAndBrokenEscapes) {
  std::string out;
  EXPECT_TRUE(decode_percent("%E8%AB%8B.pdf", out));
  EXPECT_EQ(out, "請.pdf");
  out.clear();
  EXPECT_FALSE(decode_percent("100%", out));
  EXPECT_EQ(out, "100%");
  out.clear();
  EXPECT_FALSE(decode_percent("%G1", out));
  EXPECT_EQ(out, "%G1");
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

TEST(Base64Body, StopAtPaddingOnlyWhenAsked) {
  std::string glued, body;
  EXPECT_TRUE(decode_base64_lenient("44GC=44GE", glued));  // header words: both decoded
  EXPECT_EQ(glued, "\xE3\x81\x82\xE3\x81\x84");
  EXPECT_FALSE(decode_base64_lenient("PGh0bWw+Cg==\nQUJD", body, true));
  EXPECT_EQ(body, "<html>\n");
  std::string clean;
  EXPECT_TRUE(decode_base64_lenient("PGh0bWw+Cg==\n\n", clean, true));
}

// The definition, one character at a time: what the decoder's whole-quantum fast path must give.
bool reference_base64(std::string_view text, std::string& out, bool stop_at_padding) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  bool clean = true;
  unsigned accumulator = 0;
  int bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const std::size_t value = kAlphabet.find(c);
    if (c == '=') {
      if (bits == 6) clean = false;
      accumulator = 0;
      bits = 0;
      if (stop_at_padding) {
        if (text.find_first_of(kAlphabet, i) != std::string_view::npos) clean = false;
        return clean;
      }
    } else if (value == std::string_view::npos) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') clean = false;
    } else {
      accumulator = (accumulator << 6) | static_cast<unsigned>(value);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
      }
      if (bits == 0) accumulator = 0;
    }
  }
  return clean && bits != 6;
}

TEST(Base64Body, FastPathAgreesWithTheDefinition) {
  // Random base64 with line breaks at random places, stray characters, padding and NULs.
  std::mt19937 random(20261130);
  constexpr std::string_view kPieces[] = {
      "QUJD", "+/+/", "YQ==", "\n", "\r\n", " ", "*", "=", "Zg", "A", std::string_view("\0", 1),
      "ab0Z"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int pieces = static_cast<int>(random() % 64);
    for (int k = 0; k < pieces; ++k) {
      // Mostly whole quanta, as in real bodies, so the fast path runs long stretches.
      text += random() % 3 != 0 ? kPieces[0] : kPieces[random() % std::size(kPieces)];
    }
    for (bool stop : {false, true}) {
      std::string expected = "prefix", actual = "prefix";
      const bool expected_clean = reference_base64(text, expected, stop);
      EXPECT_EQ(decode_base64_lenient(text, actual, stop), expected_clean) << text;
      EXPECT_EQ(actual, expected) << text;
    }
  }
}

}  // namespace
}  // namespace emotriage::mime
