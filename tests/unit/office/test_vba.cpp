#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "office/cfb.hpp"
#include "office/vba.hpp"

namespace emotriage::office {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST(VbaDecompress, CopyTokenRepeatsEarlierBytes) {
  // "abc" as literals, then a copy token (offset 3, length 6): MS-OVBA 2.4.1.3.19.
  const std::string container(
      "\x01\x05\xB0\x08"
      "abc"
      "\x03\x20",
      9);
  EXPECT_EQ(vba_decompress(container, 1000), "abcabcabc");
}

TEST(VbaDecompress, LiteralChunksRoundTripAcrossChunkBoundaries) {
  std::string source;
  for (int i = 0; i < 1200; ++i) source += "Line " + std::to_string(i) + "\n";
  ASSERT_GT(source.size(), 8192u);
  EXPECT_EQ(vba_decompress(test::ovba_compress(source), 1 << 20), source);
}

TEST(VbaDecompress, RejectsMissingSignatureAndStopsOnBadOffsetAndCap) {
  EXPECT_FALSE(vba_decompress("\x02\x05\xB0", 100).has_value());
  // Copy token pointing before the chunk start: the literal before it is kept, nothing invented.
  const std::string bad(
      "\x01\x04\xB0\x02"
      "a"
      "\xFF\xFF",
      7);
  EXPECT_EQ(vba_decompress(bad, 100), "a");
  bool truncated = false;
  EXPECT_EQ(vba_decompress(test::ovba_compress(std::string(5000, 'x')), 10, &truncated)->size(),
            10u);
  EXPECT_TRUE(truncated);
}

TEST(VbaDir, ReadsCodePageModulesAndSurvivesTheVersionQuirk) {
  const auto streams = test::vba_project("VBA", "Module1", "Sub X()\nEnd Sub\n", 932);
  const std::string dir = *vba_decompress(streams[1].second, 1 << 20);
  const VbaDirectory parsed = parse_vba_dir(dir, 10);
  EXPECT_EQ(parsed.code_page, 932);
  EXPECT_EQ(parsed.project_name, "VBAProject");
  ASSERT_EQ(parsed.modules.size(), 1u);
  EXPECT_EQ(parsed.modules[0].name, "Module1");
  EXPECT_EQ(parsed.modules[0].stream_name, "Module1");
  EXPECT_FALSE(parsed.malformed);
  EXPECT_TRUE(parse_vba_dir(dir.substr(0, dir.size() / 2), 10).malformed ||
              parse_vba_dir(dir.substr(0, dir.size() / 2), 10).modules.empty());
}

TEST(MacroIntent, MraptorRulesOnRealisticSnippets) {
  MacroIntent harmless;
  scan_macro_source("Sub Test()\r\n  MsgBox \"hi\"\r\n  Call Init\r\nEnd Sub\r\n", harmless);
  EXPECT_TRUE(harmless.autoexec.empty());
  EXPECT_TRUE(harmless.execute.empty());
  EXPECT_FALSE(harmless.suspicious());

  MacroIntent dropper;
  scan_macro_source(
      "Sub AutoOpen()\n  Set s = CreateObject(\"WScript.Shell\")\n  s.Run \"cmd\"\n"
      "  Open path For _\n Binary As #1\nEnd Sub\n"
      "Private Declare PtrSafe Function X Lib \"urlmon\" () As Long\n",
      dropper);
  EXPECT_THAT(dropper.autoexec, ElementsAre("AutoOpen"));
  for (const char* keyword : {"CreateObject", "WScript.Shell", "Run", "Declare ... Lib"}) {
    EXPECT_THAT(dropper.execute, Contains(keyword));
  }
  EXPECT_THAT(dropper.write, ElementsAre("Open ... Binary"));
  EXPECT_TRUE(dropper.suspicious());

  MacroIntent event;
  scan_macro_source("Private Sub InkPicture1_Painted()\n Kill f\nEnd Sub", event);
  EXPECT_THAT(event.autoexec, ElementsAre("InkPicture1_Painted"));
  EXPECT_THAT(event.write, ElementsAre("Kill"));
}

TEST(DecodeCodePage, ShiftJisAndUtf16) {
  EXPECT_EQ(decode_code_page("\x83\x7D\x83\x4E\x83\x8D", 932), "マクロ");
  EXPECT_EQ(decode_code_page(std::string("h\0i\0", 4), 1200), "hi");
  EXPECT_EQ(decode_code_page("caf\xE9", 99999), "café");  // unknown code page: Windows-1252
}

TEST(Cfb, ReadsMiniAndRegularStreamsByPath) {
  const std::string big(5000, 'B');
  const std::string file = test::make_cfb({{"A/small", "tiny"}, {"A/B/big", big}, {"top", "x"}});
  const auto cfb = Cfb::open(file);
  ASSERT_TRUE(cfb.has_value()) << cfb.error();
  const int small = cfb->find("a/SMALL");
  ASSERT_GE(small, 0);
  EXPECT_EQ(cfb->read(cfb->entries()[small], 100), "tiny");
  const int large = cfb->find("A/B/big");
  ASSERT_GE(large, 0);
  bool complete = false;
  EXPECT_EQ(cfb->read(cfb->entries()[large], 1 << 20, &complete), big);
  EXPECT_TRUE(complete);
  EXPECT_EQ(cfb->read(cfb->entries()[large], 100, &complete).size(), 100u);
  EXPECT_FALSE(complete);
  EXPECT_FALSE(cfb->damaged());
}

TEST(Cfb, SelfLoopingChainsAndDirectoryCyclesEnd) {
  std::string file = test::make_cfb({{"S", std::string(5000, 'z')}});
  // Every FAT entry points to sector 1: chains loop forever unless bounded.
  for (std::size_t i = 4; i < 512; i += 4) file.replace(512 + i, 4, test::le32(1));
  const auto cfb = Cfb::open(file);
  if (cfb) {
    for (const CfbEntry& entry : cfb->entries()) (void)cfb->read(entry, 1 << 20);
  }
  std::string looped = test::make_cfb({{"S", "x"}, {"T", "y"}});
  // Directory entry 1's right sibling points back to itself.
  const std::size_t dir = 512 + 512;  // FAT sector 0, directory in sector 1
  looped.replace(dir + 128 + 0x48, 4, test::le32(1));
  const auto cyclic = Cfb::open(looped);
  ASSERT_TRUE(cyclic.has_value());
  EXPECT_LE(cyclic->entries().size(), 3u);
  EXPECT_FALSE(Cfb::open("not a cfb").has_value());
  EXPECT_FALSE(Cfb::open(file.substr(0, 100)).has_value());
}

}  // namespace
}  // namespace emotriage::office
