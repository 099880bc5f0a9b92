// core: limits parsing, UTF-8 helpers, digests, byte search.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "core/hash.hpp"
#include "core/limits.hpp"
#include "core/text.hpp"

namespace emotriage::core {
namespace {

TEST(Limits, SetByName) {
  Limits limits;
  EXPECT_FALSE(limits.set("part_count=12").has_value());
  EXPECT_EQ(limits.part_count, 12u);
  EXPECT_FALSE(limits.set("message_bytes=1048576").has_value());
  EXPECT_EQ(limits.message_bytes, 1048576u);
}

TEST(Limits, RejectsUnknownZeroAndGarbage) {
  Limits limits;
  EXPECT_TRUE(limits.set("nope=1").has_value());
  EXPECT_TRUE(limits.set("part_count=0").has_value());
  EXPECT_TRUE(limits.set("part_count=12x").has_value());
  EXPECT_TRUE(limits.set("part_count").has_value());
  EXPECT_TRUE(limits.set("mime_depth=99999999999999999999").has_value());
  EXPECT_EQ(limits.part_count, Limits{}.part_count);
}

TEST(Utf8, RepairReplacesEachInvalidByteAndCounts) {
  std::string out;
  EXPECT_EQ(repair_utf8("a\xff"
                        "b\xc3",
                        out),
            2u);
  EXPECT_EQ(out,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_TRUE(is_valid_utf8(out));
}

TEST(Utf8, RejectsOverlongsAndSurrogates) {
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_TRUE(is_valid_utf8("髙﨑①"));
}

TEST(Utf8, PrefixNeverSplitsACharacter) {
  std::string text = "あいう";  // 3 bytes each
  EXPECT_EQ(utf8_prefix(text, 4), "あ");
  EXPECT_EQ(utf8_prefix(text, 6), "あい");
  EXPECT_EQ(utf8_prefix(text, 100), text);
}

TEST(Utf8, AppendCodePoint) {
  std::string out;
  append_utf8(out, U'①');
  append_utf8(out, 0xD800);  // a surrogate is not a character
  EXPECT_EQ(out, "①\xEF\xBF\xBD");
}

TEST(Text, CaseInsensitiveHelpers) {
  EXPECT_TRUE(iequals("Content-Type", "content-TYPE"));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
  EXPECT_TRUE(istarts_with("RE: 請求書", "re:"));
  EXPECT_EQ(trim("  x \r\n"), "x");
}

TEST(Text, FindBytes) {
  std::string_view hay = "ab\nFrom x\n\nFrom y";
  EXPECT_EQ(find_bytes(hay, "\nFrom "), 2u);
  EXPECT_EQ(find_bytes(hay, "\nFrom ", 3), 10u);
  EXPECT_EQ(find_bytes(hay, "\nFrom ", 11), std::string_view::npos);
  EXPECT_EQ(find_bytes(hay, "x", 100), std::string_view::npos);
}

// The block filter against std::string_view::find on random text over a small alphabet (many
// near-matches), needles of every length up to past the filter's limit, every start offset,
// hits at the block and tail edges.
TEST(Text, FindBytesAgreesWithFind) {
  std::mt19937 random(20261130);
  const std::string alphabet = "\nFrom -\xff";
  auto random_text = [&](std::size_t size) {
    std::string text(size, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    return text;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::string text = random_text(random() % 200);
    // An exact-size heap copy: a read past the end is outside the allocation (ASan sees it; a
    // std::string's own buffer or terminator would hide it).
    const auto exact = std::make_unique<char[]>(text.size());
    std::copy(text.begin(), text.end(), exact.get());
    const std::string_view hay(exact.get(), text.size());
    const std::size_t needle_size = random() % 71;
    std::string needle = random_text(needle_size);
    if (!hay.empty() && random() % 2 == 0) {  // a needle that occurs
      const std::size_t at = random() % hay.size();
      needle = hay.substr(at, needle_size);
    }
    std::vector<std::size_t> starts{hay.size(), hay.size() + 1};
    for (std::size_t from = 0; from < hay.size(); from += 1 + random() % 7) starts.push_back(from);
    for (const std::size_t from : starts) {
      const std::size_t expected =
          from > hay.size() ? std::string_view::npos : hay.find(needle, from);
      ASSERT_EQ(find_bytes(hay, needle, from), expected)
          << "needle size " << needle.size() << " from " << from << " hay size " << hay.size();
    }
  }
}

TEST(Text, GroupedDigits) {
  EXPECT_EQ(grouped_digits(0), "0");
  EXPECT_EQ(grouped_digits(999), "999");
  EXPECT_EQ(grouped_digits(1000), "1,000");
  EXPECT_EQ(grouped_digits(12345678), "12,345,678");
}

TEST(Hash, KnownDigests) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

}  // namespace
}  // namespace emotriage::core
