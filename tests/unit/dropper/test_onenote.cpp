#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dropper/dropper.hpp"
#include "lnk_builder.hpp"
#include "onenote_builder.hpp"
#include "read_file.hpp"

namespace emotriage::dropper {
namespace {

using test::read_file;

constexpr std::string_view kWsfScript =
    "<job id=\"a\">\r\n<script language=\"VBScript\">\r\n"
    "Set shell = CreateObject(\"WScript.Shell\")\r\n"
    "shell.Run \"cmd.exe /c echo harmless test fixture\", 0\r\n</script>\r\n</job>\r\n";
constexpr std::string_view kPng{"\x89PNG\r\n\x1A\n\0\0\0\rIHDR fixture", 24};

struct Analysis {
  core::Attachment node;
  std::vector<core::Finding> findings;
  std::vector<Embedded> embedded;
};

Analysis analyze(std::string_view bytes, const core::Limits& limits = {}) {
  Analysis result;
  result.node.part = "3";
  result.node.path = "notes.one";
  analyze_onenote(bytes, result.node, result.findings, result.embedded, limits);
  return result;
}

const core::Finding* find(const std::vector<core::Finding>& findings, std::string_view id) {
  for (const core::Finding& finding : findings) {
    if (finding.id == id) return &finding;
  }
  return nullptr;
}

TEST(OneNote, TwoEmbeddedFilesOneAScript) {
  Analysis result = analyze(test::build_onenote({std::string(kWsfScript), std::string(kPng)}));
  ASSERT_EQ(result.embedded.size(), 2u);
  EXPECT_EQ(result.embedded[0].bytes, kWsfScript);
  EXPECT_EQ(result.embedded[0].name, "onenote-embedded-1.wsf");
  EXPECT_EQ(result.embedded[1].bytes, kPng);
  EXPECT_EQ(result.embedded[1].name, "onenote-embedded-2.image");

  const core::Finding* finding = find(result.findings, "attachment.onenote-embedded-file");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, core::Severity::high);
  EXPECT_NE(finding->message_en.find("wsf, image"), std::string::npos);
  EXPECT_EQ(finding->part, "3");
  EXPECT_EQ(find(result.findings, "parse.malformed"), nullptr);
  for (std::string_view keyword : {"wscript.shell", "createobject", "cmd.exe /c"}) {
    EXPECT_NE(std::ranges::find(result.node.keywords, keyword), result.node.keywords.end())
        << keyword;
  }
  ASSERT_EQ(result.node.properties.size(), 2u);
  EXPECT_TRUE(result.node.properties[0].second.starts_with("wsf ("));
}

TEST(OneNote, OnlyAPictureIsMedium) {
  Analysis result = analyze(test::build_onenote({std::string(kPng)}));
  const core::Finding* finding = find(result.findings, "attachment.onenote-embedded-file");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, core::Severity::medium);
  EXPECT_TRUE(result.node.keywords.empty());
}

TEST(OneNote, KeywordsInUtf16PageText) {
  std::string page = test::utf16le("powershell -w hidden; schtasks /create");
  std::string bytes = test::build_onenote({}) + page;
  Analysis result = analyze(bytes);
  EXPECT_EQ(find(result.findings, "attachment.onenote-embedded-file"), nullptr);
  EXPECT_NE(std::ranges::find(result.node.keywords, "powershell"), result.node.keywords.end());
  EXPECT_NE(std::ranges::find(result.node.keywords, "schtasks"), result.node.keywords.end());
}

TEST(OneNote, SniffsPayloadTypes) {
  EXPECT_EQ(sniff_payload_type("MZ\x90\0"), "exe");
  EXPECT_EQ(sniff_payload_type(test::build_lnk({})), "lnk");
  EXPECT_EQ(sniff_payload_type("<html><head><HTA:APPLICATION id=x></head></html>"), "hta");
  EXPECT_EQ(sniff_payload_type("@echo off\r\nstart calc\r\n"), "bat");
  EXPECT_EQ(sniff_payload_type("Dim s\r\nSet s = CreateObject(\"x\")\r\n"), "vbs");
  EXPECT_EQ(sniff_payload_type("var a = new ActiveXObject('x');"), "js");
  EXPECT_EQ(sniff_payload_type("$c = New-Object Net.WebClient\n"), "ps1");
  EXPECT_EQ(sniff_payload_type(test::utf16le("@echo off")), "bat");
  EXPECT_EQ(sniff_payload_type("meeting notes for Monday"), "text");
  EXPECT_EQ(sniff_payload_type(std::string_view("\x01\x02\x03\x00\x00\x05", 6)), "data");
}

TEST(OneNote, LengthPastTheEndIsMalformed) {
  std::string bytes = test::build_onenote({});
  bytes += test::file_data_store_object("abc", 1ull << 40);
  Analysis result = analyze(bytes);
  EXPECT_TRUE(result.embedded.empty());
  ASSERT_NE(find(result.findings, "parse.malformed"), nullptr);
  EXPECT_EQ(find_onenote_files(bytes).bad_lengths, 1u);
}

TEST(OneNote, MissingHeaderIsMalformedButStillSearched) {
  std::string bytes =
      "not a notebook" + test::file_data_store_object(kWsfScript, kWsfScript.size());
  Analysis result = analyze(bytes);
  EXPECT_NE(find(result.findings, "parse.malformed"), nullptr);
  EXPECT_EQ(result.embedded.size(), 1u);
}

TEST(OneNote, ExtractedBytesAreBoundedByLimits) {
  core::Limits limits;
  limits.decoded_bytes = 100;
  Analysis result =
      analyze(test::build_onenote({std::string(kWsfScript), std::string(kPng)}), limits);
  EXPECT_TRUE(result.node.truncated);
  ASSERT_NE(find(result.findings, "parse.limit-exceeded"), nullptr);
  // The script does not fit in 100 bytes; the picture does. Both are still named in the finding.
  ASSERT_EQ(result.embedded.size(), 1u);
  EXPECT_EQ(result.embedded[0].bytes, kPng);
  EXPECT_NE(find(result.findings, "attachment.onenote-embedded-file")->message_en.find("wsf"),
            std::string::npos);
}

TEST(OneNote, ObjectCountIsBounded) {
  std::vector<std::string> payloads(300, "x");
  Analysis result = analyze(test::build_onenote(payloads));
  EXPECT_EQ(result.embedded.size(), 256u);
  EXPECT_TRUE(result.node.truncated);
}

// onenote.rs's benign notebooks: valid headers, no embedded attachments, no script keywords.
TEST(OneNote, RealBenignNotebooks) {
  std::filesystem::path dir = std::filesystem::path(EMOTRIAGE_CORPUS_DIR) / "onenote_rs";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not present";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    SCOPED_TRACE(entry.path().string());
    Analysis result = analyze(read_file(entry.path()));
    EXPECT_EQ(find(result.findings, "parse.malformed"), nullptr);
    EXPECT_EQ(find(result.findings, "attachment.onenote-embedded-file"), nullptr);
    EXPECT_TRUE(result.node.keywords.empty());
    ++files;
  }
  EXPECT_EQ(files, 12u);
}

}  // namespace
}  // namespace emotriage::dropper
