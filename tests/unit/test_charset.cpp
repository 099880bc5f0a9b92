// Charset conversion: ISO-2022-JP as CP50220/CP50221, Shift_JIS as CP932, EUC-JP with the NEC
// extensions, lying labels and unlabelled text. Expected byte sequences were computed with
// Python (`'①'.encode('cp932')`, then Shift_JIS -> JIS row/cell by hand).
#include "mime/charset.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "core/text.hpp"

namespace emotriage::mime {
namespace {

using namespace std::string_literals;

// Decodes and checks the invariants every result must keep.
DecodedText decode(std::string_view bytes, std::string_view label) {
  DecodedText result = decode_to_utf8(bytes, label);
  EXPECT_TRUE(core::is_valid_utf8(result.text)) << "label " << label;
  EXPECT_EQ(core::count_replacement_chars(result.text) > 0, result.invalid > 0)
      << "label " << label << " text " << result.text;
  return result;
}

// ---------------------------------------------------------------------------------------------
// canonical_charset

TEST(CanonicalCharset, ShiftJisFamilyIsCp932) {
  EXPECT_EQ(canonical_charset("Shift_JIS"), "cp932");
  EXPECT_EQ(canonical_charset("x-sjis"), "cp932");
  EXPECT_EQ(canonical_charset("SJIS"), "cp932");
  EXPECT_EQ(canonical_charset("Windows-31J"), "cp932");
  EXPECT_EQ(canonical_charset("MS_Kanji"), "cp932");
}

TEST(CanonicalCharset, QuotesSpacesAndCaseAreRemoved) {
  EXPECT_EQ(canonical_charset("\"ISO-2022-JP\""), "iso-2022-jp");
  EXPECT_EQ(canonical_charset("  'utf-8'  "), "utf-8");
  EXPECT_EQ(canonical_charset("UTF8"), "utf-8");
}

TEST(CanonicalCharset, Rfc2231LanguageSuffixIsDropped) {
  EXPECT_EQ(canonical_charset("utf-8*ja"), "utf-8");
  EXPECT_EQ(canonical_charset("ISO-2022-JP*ja-JP"), "iso-2022-jp");
}

TEST(CanonicalCharset, Iso2022JpVariantsAndSupersets) {
  EXPECT_EQ(canonical_charset("ISO-2022-JP-1"), "iso-2022-jp");
  EXPECT_EQ(canonical_charset("iso-2022-jp-2"), "iso-2022-jp");
  EXPECT_EQ(canonical_charset("CP50221"), "iso-2022-jp");
  EXPECT_EQ(canonical_charset("EUC-JP"), "euc-jp");
  EXPECT_EQ(canonical_charset("x-euc-jp"), "euc-jp");
  EXPECT_EQ(canonical_charset("ISO-8859-1"), "windows-1252");
  EXPECT_EQ(canonical_charset("latin1"), "windows-1252");
}

TEST(CanonicalCharset, UnknownLabelIsLowerCasedAndTrimmed) {
  EXPECT_EQ(canonical_charset(" X-Foo "), "x-foo");
  EXPECT_EQ(canonical_charset(""), "");
}

// ---------------------------------------------------------------------------------------------
// ISO-2022-JP

TEST(Iso2022Jp, Plain) {
  DecodedText r = decode("\x1b$B$3$s$K$A$O\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こんにちは");
  EXPECT_EQ(r.charset, "iso-2022-jp");
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_FALSE(r.label_mismatch);
  EXPECT_FALSE(r.guessed);
}

TEST(Iso2022Jp, MixedWithAscii) {
  DecodedText r = decode("RE: \x1b$B$3$s\x1b(B abc", "iso-2022-jp");
  EXPECT_EQ(r.text, "RE: こん abc");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, NecRow13) {
  // ① ㈱ № ℡ are CP932 0x8740 0x878A 0x8782 0x8784 = JIS 0x2D21 0x2D6A 0x2D62 0x2D64; iconv's
  // ISO-2022-JP rejects them, CP50220 accepts them.
  DecodedText r = decode("\x1b$B-!-j-b-d\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "①㈱№℡");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, NecSelectedIbmExtensionsAsOutlookWritesThem) {
  // 髙 = CP932 0xEEE0 = JIS 0x7C62 (row 92); 﨑 = CP932 0xED95 = JIS 0x7975 (row 89).
  DecodedText r = decode("\x1b$B|byu\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "髙﨑");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, HalfWidthKanaByEscape) {
  DecodedText r = decode("\x1b(I123\x1b(B!", "ISO-2022-JP");
  EXPECT_EQ(r.text, "ｱｲｳ!");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, HalfWidthKanaByShiftOutShiftIn) {
  DecodedText r = decode(
      "a\x0e"
      "123\x0f"
      "b",
      "ISO-2022-JP");
  EXPECT_EQ(r.text, "aｱｲｳb");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, JisX0212) {
  // 丂 is JIS X 0212 0x3021 (EUC-JP 0x8F 0xB0 0xA1).
  DecodedText r = decode("\x1b$(D0!\x1b(B", "ISO-2022-JP-1");
  EXPECT_EQ(r.text, "丂");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, Jis1978AndJisRomanEscapes) {
  DecodedText r = decode("\x1b$@$3\x1b(Ja\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こa");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, MissingFinalResetIsTolerated) {
  DecodedText r = decode("\x1b$B$3$s", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こん");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, LineEndResynchronisesWithoutReset) {
  // A mailer forgot ESC ( B before the line end: the next line is ASCII again.
  DecodedText r = decode("\x1b$B$3\r\nabc", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こ\r\nabc");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, TruncatedEscapeAtEnd) {
  DecodedText r = decode("\x1b$B$3\x1b$", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こ\xEF\xBF\xBD");
  EXPECT_EQ(r.invalid, 1u);
}

TEST(Iso2022Jp, LoneEscapeAtEnd) {
  DecodedText r = decode("abc\x1b", "ISO-2022-JP");
  EXPECT_EQ(r.text, "abc\xEF\xBF\xBD");
  EXPECT_EQ(r.invalid, 1u);
}

TEST(Iso2022Jp, UnknownEscapeIsOneReplacementAndSwallowed) {
  // ESC $ A designates GB 2312: not ours. The escape becomes one U+FFFD, its bytes do not leak
  // into the text as "$A".
  DecodedText r = decode("a\x1b$Ab", "ISO-2022-JP");
  EXPECT_GE(r.invalid, 1u);
  EXPECT_TRUE(r.text.starts_with("a\xEF\xBF\xBD")) << r.text;
  EXPECT_EQ(r.text.find("$A"), std::string::npos) << r.text;
}

TEST(Iso2022Jp, SpaceAndTabInsideDoubleByteMode) {
  // Some mailers leave ASCII space inside ESC $ B runs; it must not pair with the next byte.
  DecodedText r = decode("\x1b$B$3 $s\t$K\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こ ん\tに");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, Jis1990AnnouncerIsSilent) {
  DecodedText r = decode("\x1b&@\x1b$B$3\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こ");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, StrayCp932BytesInsideJisText) {
  // Broken mixed mailers: 8-bit CP932 between JIS runs.
  DecodedText r = decode("\x1b$B$3\x1b(B\x87\x40", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こ①");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Iso2022Jp, HalfCharacterBeforeResetIsInvalid) {
  DecodedText r = decode("\x1b$B$3$\x1b(Bx", "ISO-2022-JP");
  EXPECT_EQ(r.text, "こ\xEF\xBF\xBDx");
  EXPECT_EQ(r.invalid, 1u);
}

TEST(Iso2022Jp, AsciiOnlyUnderLabelIsFastPath) {
  DecodedText r = decode("Hello", "ISO-2022-JP");
  EXPECT_EQ(r.text, "Hello");
  EXPECT_EQ(r.charset, "iso-2022-jp");
  EXPECT_EQ(r.invalid, 0u);
}

// ---------------------------------------------------------------------------------------------
// Shift_JIS / CP932

TEST(ShiftJis, Cp932Extensions) {
  // ① 0x8740, ～ 0x8160 (U+FF5E, not U+301C), ＼ 0x815F (U+FF3C), ㈱ 0x878A.
  DecodedText r = decode("\x87\x40\x81\x60\x81\x5f\x87\x8a", "Shift_JIS");
  EXPECT_EQ(r.text, "①～＼㈱");
  EXPECT_EQ(r.charset, "cp932");
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_FALSE(r.label_mismatch);
}

TEST(ShiftJis, Cp932MinusAndDashMappings) {
  // 0x817C is U+FF0D in CP932 (U+2212 in JIS), 0x815C U+2015, 0x8191 U+FFE0.
  DecodedText r = decode("\x81\x7c\x81\x5c\x81\x91", "Shift_JIS");
  EXPECT_EQ(r.text, "－―￠");
}

TEST(ShiftJis, IbmExtensionsBothForms) {
  // 髙 as NEC-selected IBM (0xEEE0) and as IBM (0xFBFC).
  DecodedText r = decode("\xee\xe0\xfb\xfc", "shift_jis");
  EXPECT_EQ(r.text, "髙髙");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(ShiftJis, HalfWidthKanaAndAscii) {
  DecodedText r = decode("ID:\xb1\xb2\xb3", "Shift_JIS");
  EXPECT_EQ(r.text, "ID:ｱｲｳ");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(ShiftJis, BackslashAndTildeStayAscii) {
  // CP932 keeps 0x5C and 0x7E as ASCII (not ¥ and ‾): paths in bodies must survive.
  DecodedText r = decode("C:\\dir~1\\\x88\xea", "Shift_JIS");
  EXPECT_EQ(r.text, "C:\\dir~1\\一");
}

TEST(ShiftJis, InvalidSequenceIsReplacedAndCounted) {
  // 0x85 0x40 is unassigned in CP932; a lone lead byte at the end is half a character.
  DecodedText r = decode("\x88\xea\x85\x40\x88", "Shift_JIS");
  EXPECT_GE(r.invalid, 2u);
  EXPECT_TRUE(r.text.starts_with("一")) << r.text;
}

// ---------------------------------------------------------------------------------------------
// EUC-JP

TEST(EucJp, PlainWithNecRow13KanaAnd0212) {
  // 請求書 + ① (NEC row 13, 0xADA1) + ｱ (SS2) + 丂 (SS3, JIS X 0212).
  DecodedText r = decode("\xc0\xc1\xb5\xe1\xbd\xf1\xad\xa1\x8e\xb1\x8f\xb0\xa1", "EUC-JP");
  EXPECT_EQ(r.text, "請求書①ｱ丂");
  EXPECT_EQ(r.charset, "euc-jp");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(EucJp, TruncatedSequenceIsInvalid) {
  DecodedText r = decode("\xc0\xc1\xb5", "EUC-JP");
  EXPECT_EQ(r.text, "請\xEF\xBF\xBD");
  EXPECT_EQ(r.invalid, 1u);
}

TEST(EucJp, BadKanaTrailIsInvalid) {
  // SS2 must be followed by 0xA1..0xDF; the ASCII letter after it is not swallowed into a kana.
  DecodedText r = decode("\xc0\xc1\x8e\x41x", "EUC-JP");
  EXPECT_EQ(r.text,
            "請\xEF\xBF\xBD"
            "Ax");
  EXPECT_EQ(r.invalid, 1u);
  EXPECT_EQ(r.charset, "euc-jp");
}

// ---------------------------------------------------------------------------------------------
// UTF-8 and other labels

TEST(Utf8, Labelled) {
  DecodedText r = decode("\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8", "UTF-8");
  EXPECT_EQ(r.text, "請求書");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_EQ(r.invalid, 0u);
  EXPECT_FALSE(r.label_mismatch);
}

TEST(Utf8, OneBrokenByteStaysUtf8) {
  // A UTF-8 Japanese text with one byte lost stays UTF-8 with one U+FFFD; it must not be
  // reinterpreted as CP932 mojibake.
  std::string bytes = "請求書のご確認をお願いします";
  bytes.erase(9, 1);  // second byte of "の"
  DecodedText r = decode(bytes, "utf-8");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_FALSE(r.label_mismatch);
  EXPECT_TRUE(r.text.starts_with("請求書\xEF\xBF\xBD")) << r.text;
  EXPECT_TRUE(r.text.ends_with("ご確認をお願いします")) << r.text;
  EXPECT_GE(r.invalid, 1u);
  EXPECT_LE(r.invalid, 2u);
}

TEST(OtherCharsets, Latin1IsWindows1252) {
  DecodedText r = decode("caf\xe9 \x80", "iso-8859-1");
  EXPECT_EQ(r.text, "café €");
  EXPECT_EQ(r.charset, "windows-1252");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(OtherCharsets, Windows1252) {
  DecodedText r = decode("caf\xe9", "windows-1252");
  EXPECT_EQ(r.text, "café");
}

TEST(OtherCharsets, Koi8r) {
  DecodedText r = decode("\xd0\xd2\xc9\xd7\xc5\xd4", "KOI8-R");
  EXPECT_EQ(r.text, "привет");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(OtherCharsets, Windows1251) {
  DecodedText r = decode("\xef\xf0\xe8\xe2\xe5\xf2", "windows-1251");
  EXPECT_EQ(r.text, "привет");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(OtherCharsets, Utf16WithBom) {
  DecodedText r = decode("\xff\xfe\xe5\x65\x2c\x67"s, "UTF-16");
  EXPECT_EQ(r.text, "日本");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(OtherCharsets, Utf16BigEndianBomWithAsciiText) {
  // All bytes are < 0x80 but UTF-16 is not ASCII-compatible: no fast path.
  DecodedText r = decode("\xfe\xff\x00\x41\x00\x42"s, "utf-16");
  EXPECT_EQ(r.text, "AB");
  DecodedText le = decode("\x41\x00\x42\x00"s, "utf-16le");
  EXPECT_EQ(le.text, "AB");
}

// ---------------------------------------------------------------------------------------------
// Lying labels

const std::string kSeikyuCp932 = "\x90\xbf\x8b\x81\x8f\x91\x82\xcc\x82\xb2\x8a\x6d\x94\x46";
const std::string kSeikyuEuc = "\xc0\xc1\xb5\xe1\xbd\xf1\xa4\xce\xa4\xb4\xb3\xce\xc7\xa7";
const std::string kSeikyuUtf8 = "請求書のご確認";
const std::string kSeikyuJis = "\x1b$B@A5a=q$N$43NG'\x1b(B";

TEST(LyingLabel, Iso2022JpLabelOverShiftJisBody) {
  DecodedText r = decode(kSeikyuCp932, "ISO-2022-JP");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "cp932");
  EXPECT_TRUE(r.label_mismatch);
  EXPECT_EQ(r.invalid, 0u);
}

TEST(LyingLabel, Iso2022JpLabelOverUtf8Body) {
  DecodedText r = decode(kSeikyuUtf8, "iso-2022-jp");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_TRUE(r.label_mismatch);
}

TEST(LyingLabel, Iso2022JpLabelOverEucJpBody) {
  DecodedText r = decode(kSeikyuEuc, "iso-2022-jp");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "euc-jp");
  EXPECT_TRUE(r.label_mismatch);
}

TEST(LyingLabel, ShiftJisLabelOverUtf8Body) {
  DecodedText r = decode(kSeikyuUtf8, "Shift_JIS");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_TRUE(r.label_mismatch);
  EXPECT_EQ(r.invalid, 0u);
}

TEST(LyingLabel, ShiftJisLabelOverUtf8BodyThatAlsoParsesAsCp932) {
  // "ご確認" in UTF-8 happens to be mostly decodable as CP932; validity as UTF-8 must win.
  DecodedText r = decode("ご確認ください", "shift_jis");
  EXPECT_EQ(r.text, "ご確認ください");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_TRUE(r.label_mismatch);
}

TEST(LyingLabel, EucJpLabelOverUtf8Body) {
  DecodedText r = decode(kSeikyuUtf8, "EUC-JP");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_TRUE(r.label_mismatch);
}

TEST(LyingLabel, Utf8LabelOverCp932Body) {
  DecodedText r = decode(kSeikyuCp932, "UTF-8");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "cp932");
  EXPECT_TRUE(r.label_mismatch);
  EXPECT_EQ(r.invalid, 0u);
}

TEST(LyingLabel, Utf8LabelOverLatin1Body) {
  // Many broken bytes and no Japanese reading: the body is Latin-1.
  DecodedText r = decode(
      "Cr\xe8me br\xfbl\xe9"
      "e, caf\xe9, na\xefve, r\xe9sum\xe9, fa\xe7"
      "ade, d\xe9j\xe0 vu",
      "utf-8");
  EXPECT_EQ(r.text, "Crème brûlée, café, naïve, résumé, façade, déjà vu");
  EXPECT_EQ(r.charset, "windows-1252");
  EXPECT_TRUE(r.label_mismatch);
  EXPECT_EQ(r.invalid, 0u);
}

TEST(LyingLabel, Utf8LabelWithOneLatin1ByteKeepsLabel) {
  // One stray byte is too little evidence to re-read the whole text.
  DecodedText r = decode("caf\xe9", "utf-8");
  EXPECT_EQ(r.text, "caf\xEF\xBF\xBD");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_FALSE(r.label_mismatch);
}

TEST(LyingLabel, ShiftJisLabelOverEucJpBody) {
  DecodedText r = decode(kSeikyuEuc, "Shift_JIS");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "euc-jp");
  EXPECT_TRUE(r.label_mismatch);
}

TEST(LyingLabel, EucJpLabelOverCp932Body) {
  DecodedText r = decode(kSeikyuCp932, "EUC-JP");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "cp932");
  EXPECT_TRUE(r.label_mismatch);
}

TEST(LyingLabel, JisEscapesUnderOtherLabels) {
  for (const char* label : {"us-ascii", "utf-8", "iso-8859-1", "shift_jis"}) {
    DecodedText r = decode(kSeikyuJis, label);
    EXPECT_EQ(r.text, "請求書のご確認") << label;
    EXPECT_EQ(r.charset, "iso-2022-jp") << label;
  }
}

TEST(LyingLabel, Latin1LabelOverUtf8JapaneseBody) {
  for (const char* label : {"iso-8859-1", "windows-1252", "koi8-r"}) {
    DecodedText r = decode(kSeikyuUtf8, label);
    EXPECT_EQ(r.text, "請求書のご確認") << label;
    EXPECT_EQ(r.charset, "utf-8") << label;
    EXPECT_TRUE(r.label_mismatch) << label;
  }
}

TEST(LyingLabel, Latin1LabelOverLatin1IsKeptAsLabelled) {
  // windows-1252 can decode any byte: without UTF-8 evidence the label is believed.
  DecodedText r = decode("caf\xe9 \xc3\xa9", "iso-8859-1");
  EXPECT_EQ(r.text, "café Ã©");
  EXPECT_FALSE(r.label_mismatch);
}

// ---------------------------------------------------------------------------------------------
// Unlabelled text

TEST(Unlabelled, Cp932ShortSubject) {
  DecodedText r = decode(kSeikyuCp932, "");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "cp932");
  EXPECT_TRUE(r.guessed);
  EXPECT_EQ(detect_charset(kSeikyuCp932), "cp932");
}

TEST(Unlabelled, EucJpShortSubject) {
  DecodedText r = decode(kSeikyuEuc, "");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "euc-jp");
  EXPECT_TRUE(r.guessed);
  EXPECT_EQ(detect_charset(kSeikyuEuc), "euc-jp");
}

TEST(Unlabelled, Utf8ShortSubject) {
  DecodedText r = decode(kSeikyuUtf8, "");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "utf-8");
  EXPECT_TRUE(r.guessed);
}

TEST(Unlabelled, Iso2022JpByEscapes) {
  DecodedText r = decode(kSeikyuJis, "");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "iso-2022-jp");
  EXPECT_EQ(detect_charset(kSeikyuJis), "iso-2022-jp");
}

TEST(Unlabelled, Cp932KatakanaOnly) {
  // "カクニン" in CP932 (0x83 lead bytes) must not lose to EUC-JP or single-byte charsets.
  std::string bytes = "\x83\x4a\x83\x4e\x83\x6a\x83\x93";
  EXPECT_EQ(detect_charset(bytes), "cp932");
  EXPECT_EQ(decode(bytes, "").text, "カクニン");
}

TEST(Unlabelled, Cp932LongerBody) {
  // お世話になっております。 + 請求書を送付します。
  std::string bytes =
      "\x82\xa8\x90\xa2\x98\x62\x82\xc9\x82\xc8\x82\xc1\x82\xc4\x82\xa8\x82\xe8\x82\xdc\x82\xb7"
      "\x81\x42\r\n\x90\xbf\x8b\x81\x8f\x91\x82\xf0\x91\x97\x95\x74\x82\xb5\x82\xdc\x82\xb7\x81"
      "\x42";
  DecodedText r = decode(bytes, "");
  EXPECT_EQ(r.text, "お世話になっております。\r\n請求書を送付します。");
  EXPECT_EQ(r.invalid, 0u);
}

TEST(Unlabelled, UnknownLabelFallsBackToDetection) {
  DecodedText r = decode(kSeikyuCp932, "x-foo");
  EXPECT_EQ(r.text, "請求書のご確認");
  EXPECT_EQ(r.charset, "cp932");
  EXPECT_TRUE(r.guessed);
}

TEST(Unlabelled, MeaninglessLabelsFallBackToDetection) {
  for (const char* label : {"unknown-8bit", "x-unknown", "us-ascii", "default"}) {
    DecodedText r = decode(kSeikyuUtf8, label);
    EXPECT_EQ(r.text, "請求書のご確認") << label;
    EXPECT_EQ(r.charset, "utf-8") << label;
    EXPECT_TRUE(r.guessed) << label;
  }
}

TEST(Unlabelled, PlainAsciiIsUsAscii) {
  DecodedText r = decode("Invoice 2026", "");
  EXPECT_EQ(r.text, "Invoice 2026");
  EXPECT_EQ(r.charset, "us-ascii");
  EXPECT_FALSE(r.guessed);
  EXPECT_EQ(detect_charset("Invoice"), "us-ascii");
}

TEST(Unlabelled, Latin1Word) {
  DecodedText r = decode(
      "Cr\xe8me br\xfbl\xe9"
      "e",
      "");
  EXPECT_EQ(r.text, "Crème brûlée");
  EXPECT_EQ(r.invalid, 0u);
}

// ---------------------------------------------------------------------------------------------
// Hostile and empty input

TEST(Hostile, EmptyInput) {
  for (const char* label : {"", "utf-8", "iso-2022-jp", "shift_jis", "utf-16", "x-foo"}) {
    DecodedText r = decode("", label);
    EXPECT_EQ(r.text, "") << label;
    EXPECT_EQ(r.invalid, 0u) << label;
  }
  EXPECT_EQ(detect_charset(""), "us-ascii");
}

TEST(Hostile, InvalidUtf8UnderUtf8Label) {
  DecodedText r = decode("ab\xc3", "utf-8");
  EXPECT_EQ(r.text, "ab\xEF\xBF\xBD");
  EXPECT_EQ(r.invalid, 1u);
}

TEST(Hostile, InvalidJisCells) {
  // Row 9 (0x29) is unassigned in JIS X 0208 and CP932.
  DecodedText r = decode("\x1b$B)!$3\x1b(B", "ISO-2022-JP");
  EXPECT_EQ(r.text, "\xEF\xBF\xBDこ");
  EXPECT_EQ(r.invalid, 1u);
}

TEST(Hostile, RandomBytesAlwaysGiveValidUtf8) {
  std::mt19937 rng(12345);
  const char* labels[] = {"",       "utf-8", "iso-2022-jp", "shift_jis", "euc-jp", "utf-16",
                          "koi8-r", "x-foo", "us-ascii",    "gb2312",    "utf-7",  "iso-8859-1"};
  for (int round = 0; round < 300; ++round) {
    std::string bytes(static_cast<std::size_t>(rng() % 64), '\0');
    for (char& c : bytes) {
      // Bias towards ESC, SO/SI and lead bytes so the Japanese state machines are exercised.
      static const unsigned char kInteresting[] = {0x1b, 0x0e, 0x0f, '$',  '(',  'B',  'I', 'D',
                                                   0x8e, 0x8f, 0x81, 0xa1, 0xfe, 0xff, '\n'};
      c = static_cast<char>(rng() % 3 == 0 ? kInteresting[rng() % sizeof kInteresting]
                                           : rng() % 256);
    }
    for (const char* label : labels) {
      DecodedText r = decode_to_utf8(bytes, label);
      ASSERT_TRUE(core::is_valid_utf8(r.text)) << label;
      // Each input byte yields at most one character (3 bytes of UTF-8) plus a little slack.
      ASSERT_LE(r.text.size(), bytes.size() * 4 + 16) << label;
    }
  }
}

TEST(Hostile, LongInputIsLinear) {
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += "\x1b$B$3\x1b(B";
  DecodedText r = decode(bytes, "ISO-2022-JP");
  EXPECT_EQ(r.text.size(), 100000u * 3);
  EXPECT_EQ(r.invalid, 0u);
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

// Found in review: ASCII-only 7-bit encodings under an alias skipped decoding.
TEST(Charset, SevenBitEncodingsUnderAliasesAreDecoded) {
  EXPECT_EQ(decode_to_utf8("+MEIwRDBG-", "utf7").text, "あいう");
  EXPECT_EQ(decode_to_utf8("+MEIwRDBG-", "unicode-1-1-utf-7").text, "あいう");
  EXPECT_NE(decode_to_utf8("~{<:Ky~}", "hz-gb-2312").text, "~{<:Ky~}");
}

}  // namespace
}  // namespace emotriage::mime
