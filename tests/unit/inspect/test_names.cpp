// Name tricks that hide an executable behind a document name, and stored-name decoding.
#include <gtest/gtest.h>

#include "inspect/inspect.hpp"
#include "inspect/names.hpp"
#include "test_helpers.hpp"

namespace emotriage::inspect {
namespace {

using testing::find_finding;

TEST(NameTricks, DoubleExtensionsAndPaddedNames) {
  EXPECT_TRUE(find_name_trick("請求書.pdf.exe", "pe"));
  EXPECT_TRUE(find_name_trick("invoice.doc      .js", "js"));
  EXPECT_TRUE(find_name_trick("folder/見積書.xlsx.lnk", "lnk"));
  EXPECT_TRUE(find_name_trick("請求書．pdf.exe", "pe")) << "full-width dot";
  EXPECT_TRUE(find_name_trick("scan_____________.scr", "pe"));
  EXPECT_FALSE(find_name_trick("setup.exe", "pe"));
  EXPECT_FALSE(find_name_trick("report.v2.pdf", "pdf"));
  EXPECT_FALSE(find_name_trick("archive.tar.gz", "gzip"));
  EXPECT_FALSE(find_name_trick("請求書.doc", "doc"));
}

TEST(NameTricks, BidiOverrideIsReported) {
  // "請求書\u202Efdp.exe" is displayed as "請求書exe.pdf".
  auto trick = find_name_trick(
      "請求書\xe2\x80\xae"
      "fdp.exe",
      "pe");
  ASSERT_TRUE(trick);
  EXPECT_NE(trick->reason_en.find("U+202E"), std::string::npos);
}

TEST(NameTricks, DocumentNameOnExecutableContent) {
  auto trick = find_name_trick("請求書.pdf", "js");
  ASSERT_TRUE(trick);
  EXPECT_NE(trick->reason_en.find("js"), std::string::npos);
  EXPECT_TRUE(find_name_trick("photo.jpg", "lnk"));
  EXPECT_FALSE(find_name_trick("請求書.pdf", "pdf"));
  EXPECT_FALSE(find_name_trick("tool.exe", "doc")) << "the harmless direction is not reported";
}

TEST(NameTricks, InspectionReportsExecutableAndDoubleExtension) {
  Result result =
      inspect_bytes("var x = new ActiveXObject('WScript.Shell');\n", "請求書.pdf.js", Options{});
  EXPECT_EQ(result.attachments[0].detected_type, "js");
  const core::Finding* executable = find_finding(result.findings, "attachment.executable");
  ASSERT_NE(executable, nullptr);
  EXPECT_EQ(executable->severity, core::Severity::high);
  EXPECT_FALSE(executable->message_ja.empty());
  const core::Finding* name = find_finding(result.findings, "attachment.double-extension");
  ASSERT_NE(name, nullptr);
  EXPECT_NE(name->message_ja.find("請求書.pdf.js"), std::string::npos);
}

TEST(MemberNames, Cp932Utf8AndBrokenBytes) {
  EXPECT_EQ(decode_member_name("\x90\xbf\x8b\x81\x8f\x91.doc"), "請求書.doc");
  EXPECT_EQ(decode_member_name("請求書.doc"), "請求書.doc");
  // 0x81 0x20 is not CP932 either: repaired, never passed through as invalid UTF-8.
  std::string broken = decode_member_name("a\x81\x20\xff.txt");
  EXPECT_NE(broken.find("\xef\xbf\xbd"), std::string::npos);
  EXPECT_EQ(extension_of("請求書.PDF  "), "pdf");
  EXPECT_EQ(extension_of("noext"), "");
}

}  // namespace
}  // namespace emotriage::inspect
