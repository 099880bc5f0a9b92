#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../dropper/lnk_builder.hpp"
#include "../dropper/onenote_builder.hpp"
#include "../dropper/read_file.hpp"
#include "core/hash.hpp"
#include "intel/intel.hpp"

namespace emotriage::intel {
namespace {

constexpr std::string_view kOleMagic{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};

const YaraRules& project_rules() {
  static const YaraRules rules = [] {
    auto loaded = YaraRules::load({builtin_rules_dir()});
    if (!loaded) {
      ADD_FAILURE() << loaded.error().source << ": " << loaded.error().message_en;
      std::abort();
    }
    return std::move(*loaded);
  }();
  return rules;
}

std::vector<std::string> matches(const YaraRules& rules, std::string_view bytes) {
  core::Attachment node;
  node.part = "2";
  node.path = "sample";
  std::vector<core::Finding> findings;
  rules.scan(bytes, node, findings);
  std::vector<std::string> names;
  for (const core::Finding& finding : findings) {
    EXPECT_EQ(finding.id, "yara.match");
    EXPECT_EQ(finding.part, "2");
    std::size_t colon = finding.evidence.rfind(':');
    std::string rule = finding.evidence.substr(colon + 1);
    names.push_back(rule.substr(0, rule.find(' ')));
  }
  return names;
}

bool matches_rule(std::string_view bytes, std::string_view rule) {
  auto names = matches(project_rules(), bytes);
  return std::ranges::find(names, rule) != names.end();
}

std::string ole(std::string_view body) {
  return std::string(kOleMagic) + std::string(504, '\0') + std::string(body);
}

std::string zip_local_header(std::string_view name, std::uint32_t compressed,
                             std::uint32_t uncompressed) {
  std::string out = "PK\x03\x04";
  test::put_u16(out, 20);  // version
  test::put_u16(out, 0);   // flags
  test::put_u16(out, 8);   // deflate
  test::put_u32(out, 0);   // time, date
  test::put_u32(out, 0);   // crc
  test::put_u32(out, compressed);
  test::put_u32(out, uncompressed);
  test::put_u16(out, static_cast<std::uint16_t>(name.size()));
  test::put_u16(out, 0);
  out += name;
  out += std::string(64, '\0');  // a little compressed data
  return out;
}

TEST(Yara, ProjectRulesLoad) {
  EXPECT_EQ(project_rules().rule_count(), 6u);
}

TEST(Yara, OleVbaAutoexecShell) {
  std::string project = test::utf16le("_VBA_PROJECT");
  EXPECT_TRUE(matches_rule(ole(project + "Sub AutoOpen()\r\nShell \"calc\"\r\nEnd Sub"),
                           "emotriage_ole_vba_autoexec_shell"));
  EXPECT_FALSE(matches_rule(ole(project + "Sub AutoOpen()\r\nMsgBox \"hello\"\r\nEnd Sub"),
                            "emotriage_ole_vba_autoexec_shell"));
  // Not an OLE file: the same text in a plain file does not match.
  EXPECT_FALSE(matches_rule(project + "Sub AutoOpen()\r\nShell \"calc\"",
                            "emotriage_ole_vba_autoexec_shell"));
}

TEST(Yara, XlmMacroSheet) {
  std::string macro_sheet{"\x85\x00\x0E\x00\x00\x10\x00\x00\x01\x01\x06\x00Macro1", 18};
  std::string worksheet{"\x85\x00\x0E\x00\x00\x10\x00\x00\x00\x00\x06\x00Sheet1", 18};
  EXPECT_TRUE(
      matches_rule(ole(macro_sheet + "EXEC regsvr32 x.ocx"), "emotriage_xlm_macro_sheet_exec"));
  EXPECT_FALSE(
      matches_rule(ole(worksheet + "EXEC regsvr32 x.ocx"), "emotriage_xlm_macro_sheet_exec"));
}

TEST(Yara, LnkCommandArguments) {
  test::LnkSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\cmd.exe";
  spec.arguments = "/c powershell -w hidden -c \"echo fixture\"";
  EXPECT_TRUE(matches_rule(test::build_lnk(spec), "emotriage_lnk_command_arguments"));
  test::LnkSpec benign;
  benign.local_base_path = "C:\\Program Files\\Viewer\\viewer.exe";
  benign.arguments = "--open report.pdf";
  EXPECT_FALSE(matches_rule(test::build_lnk(benign), "emotriage_lnk_command_arguments"));
  // A console shortcut to cmd.exe without arguments is ordinary.
  test::LnkSpec console;
  console.local_base_path = "C:\\Windows\\System32\\cmd.exe";
  EXPECT_FALSE(matches_rule(test::build_lnk(console), "emotriage_lnk_command_arguments"));
}

TEST(Yara, OneNoteEmbeddedScript) {
  std::string script =
      "<job><script language=\"VBScript\">CreateObject(\"WScript.Shell\")</script></job>";
  EXPECT_TRUE(matches_rule(test::build_onenote({script}), "emotriage_onenote_embedded_script"));
  EXPECT_TRUE(matches_rule(test::build_onenote({"MZ\x90\x00 program"}),
                           "emotriage_onenote_embedded_script"));
  std::string picture{"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16};
  // A picture, and script words outside any embedded file (page text), do not match.
  EXPECT_FALSE(matches_rule(test::build_onenote({picture}) + "notes about powershell",
                            "emotriage_onenote_embedded_script"));
}

TEST(Yara, ZipPaddedDoc) {
  constexpr std::uint32_t kMegabyte = 1 << 20;
  EXPECT_TRUE(matches_rule(zip_local_header("invoice.doc", 600 * 1024, 600 * kMegabyte),
                           "emotriage_zip_padded_doc"));
  EXPECT_FALSE(matches_rule(zip_local_header("invoice.doc", 900 * 1024, 2 * kMegabyte),
                            "emotriage_zip_padded_doc"));
  // Large but honestly compressed (ratio < 100): a big document, not padding.
  EXPECT_FALSE(matches_rule(zip_local_header("invoice.doc", 90 * kMegabyte, 200 * kMegabyte),
                            "emotriage_zip_padded_doc"));
  EXPECT_FALSE(matches_rule(zip_local_header("backup.iso", 600 * 1024, 600 * kMegabyte),
                            "emotriage_zip_padded_doc"));
}

TEST(Yara, EnableContentLure) {
  EXPECT_TRUE(matches_rule(ole(test::utf16le("「コンテンツの有効化」をクリックしてください")),
                           "emotriage_document_enable_content_lure"));
  EXPECT_TRUE(
      matches_rule(ole("\x83\x52\x83\x93\x83\x65\x83\x93\x83\x63\x82\xCC\x97\x4C\x8C\xF8\x89\xBB"),
                   "emotriage_document_enable_content_lure"));
  EXPECT_TRUE(matches_rule(ole(test::utf16le("click Enable Content above")),
                           "emotriage_document_enable_content_lure"));
  EXPECT_FALSE(matches_rule(ole(test::utf16le("請求書の内容をご確認ください")),
                            "emotriage_document_enable_content_lure"));
}

std::string read_corpus(std::string_view name) {
  return test::read_file(std::filesystem::path(EMOTRIAGE_CORPUS_DIR) / name);
}

TEST(Yara, RealCorpusFiles) {
  if (!std::filesystem::exists(EMOTRIAGE_CORPUS_DIR)) GTEST_SKIP() << "corpus not present";
  // A real lure: "DOCUMENT IS PROTECTED, DOWNLOAD AND ENABLE EDITING TO VIEW".
  EXPECT_EQ(matches(project_rules(), read_corpus("oletools/rtfobj/issue_251.rtf")),
            std::vector<std::string>{"emotriage_document_enable_content_lure"});
  // A macro sheet without command text, and a harmless VBA project, are not droppers.
  EXPECT_TRUE(
      matches(project_rules(), read_corpus("oletools/excel4-macros/excel4_sample_macro.xls"))
          .empty());
  EXPECT_TRUE(matches(project_rules(), read_corpus("apache_poi/document/SimpleMacro.doc")).empty());
  EXPECT_TRUE(
      matches(project_rules(), read_corpus("lnkparse3/samples/console_properties_block.lnk"))
          .empty());
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("emotriage-yara-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, std::string_view text) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(Yara, BadUserRuleReportsFileAndLine) {
  TempDir dir;
  dir.write("good.yar", "rule ok { condition: true }\n");
  dir.write("sub/bad.yar", "rule broken\n{\n  condition: filesize > and\n}\n");
  auto loaded = YaraRules::load({dir.path().string()});
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().source, (dir.path() / "sub/bad.yar").string() + ":3");
  EXPECT_FALSE(loaded.error().message_en.empty());
  EXPECT_NE(loaded.error().message_ja.find("YARA"), std::string::npos);
}

TEST(Yara, MissingDirectoryIsAnError) {
  auto loaded = YaraRules::load({"/nonexistent/emotriage/rules"});
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().source, "/nonexistent/emotriage/rules");
}

TEST(Yara, IncludesStayInsideTheRuleDirectory) {
  TempDir outside;
  outside.write("secret.yar", "rule secret { condition: true }\n");
  TempDir dir;
  dir.write("common.yara", "rule shared_marker { strings: $a = \"MARKER\" condition: $a }\n");
  dir.write("main.yar", "include \"common.yara\"\nrule uses { condition: true }\n");
  auto inside = YaraRules::load({dir.path().string()});
  ASSERT_TRUE(inside) << inside.error().source << " " << inside.error().message_en;
  EXPECT_EQ(inside->rule_count(), 3u);  // common.yara itself, and its copy included by main.yar

  dir.write("escape.yar", "include \"" + (outside.path() / "secret.yar").string() + "\"\n");
  auto escaped = YaraRules::load({dir.path().string()});
  ASSERT_FALSE(escaped);
  EXPECT_TRUE(escaped.error().source.starts_with((dir.path() / "escape.yar").string()));
}

TEST(Yara, UserRuleMetaGivesSeverityAndJapaneseText) {
  TempDir dir;
  dir.write("mine.yar",
            "rule company_marker : internal {\n"
            "  meta:\n    severity = \"low\"\n    description = \"marker found\"\n"
            "    description_ja = \"目印が見つかりました\"\n"
            "  strings: $a = \"EMOTRIAGE-MARKER\"\n  condition: $a\n}\n");
  auto rules = YaraRules::load({dir.path().string()});
  ASSERT_TRUE(rules);
  core::Attachment node;
  node.path = "a.txt";
  std::vector<core::Finding> findings;
  rules->scan("xx EMOTRIAGE-MARKER yy", node, findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, core::Severity::low);
  EXPECT_NE(findings[0].message_ja.find("目印が見つかりました"), std::string::npos);
  EXPECT_NE(findings[0].message_en.find("marker found"), std::string::npos);
  EXPECT_NE(findings[0].evidence.find("company_marker [internal]"), std::string::npos);
  findings.clear();
  rules->scan("nothing here", node, findings);
  EXPECT_TRUE(findings.empty());
}

TEST(Yara, SameBytesAreScannedOnceAndReportedForEachObject) {
  TempDir dir;
  dir.write("mine.yar", "rule marker { strings: $a = \"EMOTRIAGE-MARKER\" condition: $a }\n");
  auto rules = YaraRules::load({dir.path().string()});
  ASSERT_TRUE(rules);
  const std::string bytes = "xx EMOTRIAGE-MARKER yy";
  auto object = [&](std::string path, std::string part) {
    core::Attachment node;
    node.path = std::move(path);
    node.part = std::move(part);
    node.sha256 = core::sha256_hex(bytes);
    node.size = bytes.size();
    return node;
  };
  std::vector<core::Finding> first, second, partial;
  rules->scan(bytes, object("invoice.txt", "2"), first);
  EXPECT_EQ(rules->cached_scans(), 0u);
  rules->scan(bytes, object("archive.zip/invoice.txt", "3"), second);
  EXPECT_EQ(rules->cached_scans(), 1u);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  // The remembered result is reported as this object's: its path and part.
  EXPECT_EQ(first[0].evidence, "invoice.txt: 0:mine.yar:marker");
  EXPECT_EQ(second[0].evidence, "archive.zip/invoice.txt: 0:mine.yar:marker");
  EXPECT_EQ(second[0].part, "3");
  EXPECT_EQ(second[0].message_en, first[0].message_en);
  // Bytes that are only the start of the object (a member read in part) are scanned themselves.
  core::Attachment cut = object("big.bin", "4");
  cut.size = bytes.size() + 100;
  rules->scan("no marker in this part", cut, partial);
  EXPECT_TRUE(partial.empty());
  EXPECT_EQ(rules->cached_scans(), 1u);
}

TEST(Yara, ConcurrentScansShareOneRuleSet) {
  test::LnkSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\cmd.exe";
  spec.arguments = "/c powershell";
  std::string lnk = test::build_lnk(spec);
  std::vector<std::thread> threads;
  std::vector<int> hits(8, 0);
  for (std::size_t t = 0; t < hits.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) hits[t] += matches_rule(lnk, "emotriage_lnk_command_arguments");
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int count : hits) EXPECT_EQ(count, 50);
}

}  // namespace
}  // namespace emotriage::intel
