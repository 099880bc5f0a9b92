#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>

#include "fixtures.hpp"
#include "office/office.hpp"

namespace emotriage::office {
namespace {

using test::le16;
using test::le32;
using ::testing::Contains;
using ::testing::HasSubstr;

struct Result {
  core::Attachment node;
  std::vector<core::Finding> findings;
  std::vector<Embedded> embedded;

  const core::Finding* find(std::string_view id) const {
    for (const core::Finding& f : findings) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
  std::string property(std::string_view key) const {
    for (const auto& [k, v] : node.properties) {
      if (k == key) return v;
    }
    return {};
  }
};

Result run(std::string_view bytes, std::string type = "ole") {
  Result result;
  result.node.part = "2";
  result.node.path = "doc";
  result.node.detected_type = std::move(type);
  analyze(bytes, result.node, result.findings, result.embedded, core::Limits{});
  for (const core::Finding& f : result.findings) {
    EXPECT_FALSE(f.message_ja.empty()) << f.id;
    EXPECT_FALSE(f.message_en.empty()) << f.id;
    EXPECT_EQ(f.part, "2") << f.id;
  }
  return result;
}

std::string harmless_doc() {
  return test::make_cfb(
      test::vba_project("Macros/VBA", "Module1", "Sub Test()\r\n  MsgBox \"hi\"\r\nEnd Sub\r\n"));
}

std::string dropper_doc() {
  return test::make_cfb(test::vba_project(
      "Macros/VBA", "NewMacros",
      "Attribute VB_Name = \"NewMacros\"\r\nSub AutoOpen()\r\n  Shell \"cmd /c calc\"\r\n"
      "  Set o = CreateObject(\"WScript.Shell\")\r\nEnd Sub\r\n"));
}

TEST(OfficeVba, HarmlessMacroIsOfficeMacroOnly) {
  const Result r = run(harmless_doc());
  ASSERT_NE(r.find("attachment.office-macro"), nullptr);
  EXPECT_EQ(r.find("attachment.office-macro")->severity, core::Severity::medium);
  EXPECT_THAT(r.find("attachment.office-macro")->evidence, HasSubstr("Macros/VBA: Module1"));
  EXPECT_EQ(r.find("attachment.macro-autoexec"), nullptr);
  EXPECT_TRUE(r.node.macros);
  EXPECT_FALSE(r.node.autoexec);
}

TEST(OfficeVba, AutoOpenWithShellIsAutoexecHigh) {
  const Result r = run(dropper_doc());
  const core::Finding* autoexec = r.find("attachment.macro-autoexec");
  ASSERT_NE(autoexec, nullptr);
  EXPECT_EQ(autoexec->severity, core::Severity::high);
  EXPECT_THAT(autoexec->evidence, HasSubstr("AutoOpen"));
  EXPECT_TRUE(r.node.autoexec);
  EXPECT_THAT(r.node.keywords, Contains("AutoOpen"));
  EXPECT_THAT(r.node.keywords, Contains("Shell"));
  EXPECT_THAT(r.node.keywords, Contains("WScript.Shell"));
}

TEST(OfficeVba, Cp932ModuleTextIsDecodedForLurePhrases) {
  // MsgBox 「コンテンツの有効化」 written in Shift_JIS, project code page 932.
  const std::string source =
      "Sub Test()\r\nMsgBox "
      "\"\x83\x52\x83\x93\x83\x65\x83\x93\x83\x63\x82\xCC\x97\x4C\x8C\xF8\x89\xBB\"\r\nEnd Sub\r\n";
  const Result r = run(test::make_cfb(test::vba_project("Macros/VBA", "Module1", source, 932)));
  ASSERT_NE(r.find("content.enable-macro-lure"), nullptr);
  EXPECT_THAT(r.find("content.enable-macro-lure")->evidence, HasSubstr("コンテンツの有効化"));
  EXPECT_EQ(r.property("vba.code-page"), "932");
}

std::string biff_bof(std::uint16_t type) {
  return test::biff_record(0x0809, le16(0x0600) + le16(type) + std::string(12, '\0'));
}

std::string xlm_workbook(bool with_exec) {
  std::string globals = biff_bof(0x0005);
  globals += test::biff_record(0x0085, le32(0) + std::string("\x01\x01\x06\x00"
                                                             "Macro1",
                                                             10));
  globals +=
      test::biff_record(0x0018, le16(0x0021) + std::string("\x00\x01", 2) + le16(0) + le16(0) +
                                    le16(0) + std::string(4, '\0') + std::string("\x00\x01", 2));
  globals += test::biff_record(0x00FC, "\x00" + test::utf16le(u"Please click Enable Content"));
  globals += test::biff_record(0x000A, "");
  std::string rgce(
      "\x17\x04\x00"
      "calc",
      7);
  if (with_exec) rgce += "\x42\x01" + le16(0x006E);
  std::string macro = biff_bof(0x0040);
  macro += test::biff_record(
      0x0006, std::string(20, '\0') + le16(static_cast<std::uint16_t>(rgce.size())) + rgce);
  macro += test::biff_record(0x000A, "");
  return globals + macro;
}

TEST(OfficeXlm, HiddenMacroSheetAutoOpenAndExecIsHigh) {
  const Result r = run(test::make_cfb({{"Workbook", xlm_workbook(true)}}));
  const core::Finding* xlm = r.find("attachment.xlm-macro");
  ASSERT_NE(xlm, nullptr);
  EXPECT_EQ(xlm->severity, core::Severity::high);
  EXPECT_THAT(xlm->evidence, HasSubstr("macro sheet 'Macro1' (hidden)"));
  EXPECT_THAT(xlm->evidence, HasSubstr("defined name Auto_Open"));
  EXPECT_THAT(xlm->evidence, HasSubstr("EXEC"));
  EXPECT_TRUE(r.node.xlm_macros);
  EXPECT_NE(r.find("content.enable-macro-lure"), nullptr);
}

TEST(OfficeXlm, MacroSheetWithoutExecIsMedium) {
  const Result r = run(test::make_cfb({{"Workbook", xlm_workbook(false)}}));
  ASSERT_NE(r.find("attachment.xlm-macro"), nullptr);
  EXPECT_EQ(r.find("attachment.xlm-macro")->severity, core::Severity::medium);
}

TEST(OfficeEncryption, FilePassAndEncryptedPackage) {
  const std::string xls = biff_bof(0x0005) + test::biff_record(0x002F, le16(1) + le16(1) + le16(1) +
                                                                           std::string(48, '\x5A'));
  Result r = run(test::make_cfb({{"Workbook", xls}}));
  ASSERT_NE(r.find("attachment.encrypted-document"), nullptr);
  EXPECT_EQ(r.property("office.encryption"), "biff-rc4");
  EXPECT_TRUE(r.node.encrypted);

  r = run(test::make_cfb({{"EncryptionInfo", le16(4) + le16(4) + le32(0x40) + "<encryption/>"},
                          {"EncryptedPackage", le32(100) + le32(0) + std::string(5000, '\x11')}}),
          "docx");
  ASSERT_NE(r.find("attachment.encrypted-document"), nullptr);
  EXPECT_EQ(r.property("office.encryption"), "ooxml-agile");
  EXPECT_EQ(r.property("office.password-required"), "true");
}

TEST(OfficeOoxml, XlsmWithVbaMacroSheetAndAutoOpenName) {
  const std::string zip = test::make_zip({
      {"[Content_Types].xml",
       "<Types><Override "
       "ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/></Types>"},
      {"xl/workbook.xml",
       "<workbook><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
       "<sheet name=\"Macro1\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId2\"/></sheets>"
       "<definedNames><definedName name=\"_xlnm.Auto_Open\" hidden=\"1\">Macro1!$A$1</definedName>"
       "</definedNames></workbook>"},
      {"xl/_rels/workbook.xml.rels",
       "<Relationships><Relationship Id=\"rId2\" Type=\"http://schemas.microsoft.com/office/2006/"
       "relationships/xlMacrosheet\" Target=\"macrosheets/sheet1.xml\"/></Relationships>"},
      {"xl/macrosheets/sheet1.xml",
       "<xm:macrosheet><sheetData><c><f>EXEC(\"calc\")</f></c>"
       "<c><f>HALT()</f></c></sheetData></xm:macrosheet>"},
      {"xl/vbaProject.bin", dropper_doc()},
  });
  const Result r = run(zip, "xlsm");
  ASSERT_NE(r.find("attachment.xlm-macro"), nullptr);
  EXPECT_EQ(r.find("attachment.xlm-macro")->severity, core::Severity::high);
  EXPECT_THAT(r.find("attachment.xlm-macro")->evidence,
              HasSubstr("macro sheet 'Macro1' (very hidden)"));
  EXPECT_THAT(r.find("attachment.xlm-macro")->evidence, HasSubstr("_xlnm.Auto_Open"));
  ASSERT_NE(r.find("attachment.office-macro"), nullptr);
  EXPECT_THAT(r.find("attachment.office-macro")->evidence, HasSubstr("xl/vbaProject.bin"));
  EXPECT_NE(r.find("attachment.macro-autoexec"), nullptr);
  EXPECT_EQ(r.property("ooxml.macro-enabled"), "true");
}

TEST(OfficeOoxml, RemoteTemplateEmbeddingAndSplitLureText) {
  const std::string zip = test::make_zip({
      {"word/document.xml",
       "<w:document><w:body><w:p><w:r><w:t>上の「コンテンツの</w:t></w:r>"
       "<w:r><w:t>有効化」を押してください</w:t></w:r></w:p></w:body></w:document>"},
      {"word/_rels/settings.xml.rels",
       "<Relationships><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
       "officeDocument/2006/relationships/attachedTemplate\" Target=\"http://template.example.test/"
       "t.dotm\" TargetMode=\"External\"/></Relationships>"},
      {"word/embeddings/oleObject1.bin", harmless_doc()},
  });
  const Result r = run(zip, "docx");
  EXPECT_THAT(r.property("ooxml.external-relationship"),
              HasSubstr("attachedTemplate http://template.example.test/t.dotm"));
  EXPECT_THAT(r.node.urls, Contains("http://template.example.test/t.dotm"));
  ASSERT_EQ(r.embedded.size(), 1u);
  EXPECT_EQ(r.embedded[0].name, "oleObject1.bin");
  EXPECT_EQ(r.embedded[0].bytes, harmless_doc());
  ASSERT_NE(r.find("content.enable-macro-lure"), nullptr);
  EXPECT_EQ(r.find("attachment.office-macro"), nullptr);  // the embedded object is the caller's
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    out += digits[c >> 4];
    out += digits[c & 15];
    if (i % 7 == 6) out += "\r\n ";  // whitespace inside the hex, as obfuscated samples do
    if (i == 20) out += "{\\*\\junk 4142}";
  }
  return out;
}

TEST(OfficeRtf, PackageObjectFieldsAndLureText) {
  const std::string payload = "WScript.Echo 1";
  const std::string native = le16(2) + std::string("invoice.vbs\0C:\\x\\invoice.vbs\0", 29) +
                             le16(0) + le16(3) + le32(17) +
                             std::string("C:\\t\\invoice.vbs\0", 17) +
                             le32(static_cast<std::uint32_t>(payload.size())) + payload;
  const std::string ole1 = le32(0x0501) + le32(2) + le32(8) + std::string("Package\0", 8) +
                           le32(0) + le32(0) + le32(static_cast<std::uint32_t>(native.size())) +
                           native;
  const std::string rtf =
      "{\\rtf1\\ansi\\ansicpg932{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata " +
      hex(ole1) +
      "}}{\\field{\\*\\fldinst INCLUDEPICTURE \"http://pics.example.test/a.png\" \\\\d}}"
      "\\u32232?\\u-26938?\\u12434?\\u26377?\\u21177?\\u12395?}";
  const Result r = run(rtf, "rtf");
  ASSERT_EQ(r.embedded.size(), 1u);
  EXPECT_EQ(r.embedded[0].name, "invoice.vbs");
  EXPECT_EQ(r.embedded[0].bytes, payload);
  EXPECT_EQ(r.property("rtf.object-class"), "Package");
  EXPECT_THAT(r.node.urls, Contains("http://pics.example.test/a.png"));
  ASSERT_NE(r.find("content.enable-macro-lure"), nullptr);
  EXPECT_THAT(r.find("content.enable-macro-lure")->evidence, HasSubstr("編集を有効に"));
}

TEST(OfficePdf, UriJavaScriptFlateStreamsAndEmbeddedFile) {
  const std::string inner = "<< /A << /S /URI /URI (http://deflated.example.test/y) >> >>";
  std::string deflated(compressBound(inner.size()), '\0');
  uLongf length = deflated.size();
  compress(reinterpret_cast<Bytef*>(deflated.data()), &length,
           reinterpret_cast<const Bytef*>(inner.data()), inner.size());
  deflated.resize(length);
  const std::string pdf =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n"
      "2 0 obj << /S /J#61vaScript /JS (app.alert\\(1\\)) >> endobj\n"
      "3 0 obj << /Type /Annot /A << /S /URI /URI (http://raw.example.test/x) >> >> endobj\n"
      "4 0 obj << /Length " +
      std::to_string(deflated.size()) + " /Filter /FlateDecode >> stream\n" + deflated +
      "\nendstream endobj\n"
      "5 0 obj << /Type /Filespec /F (payload.js) /EF << /F 6 0 R >> >> endobj\n"
      "6 0 obj << /Type /EmbeddedFile /Length 9 >> stream\nWScript()\nendstream endobj\n%%EOF\n";
  const Result r = run(pdf, "pdf");
  EXPECT_THAT(r.node.urls, Contains("http://raw.example.test/x"));
  EXPECT_THAT(r.node.urls, Contains("http://deflated.example.test/y"));
  EXPECT_THAT(r.node.keywords, Contains("/JavaScript"));
  EXPECT_THAT(r.node.keywords, Contains("/JS"));
  ASSERT_EQ(r.embedded.size(), 1u);
  EXPECT_EQ(r.embedded[0].name, "payload.js");
  EXPECT_THAT(r.embedded[0].bytes, HasSubstr("WScript()"));
}

TEST(OfficeHostile, EveryPrefixOfEveryFixtureIsHandled) {
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {dropper_doc(), "doc"},
      {test::make_cfb({{"Workbook", xlm_workbook(true)}}), "xls"},
      {test::make_zip({{"xl/vbaProject.bin", dropper_doc()}, {"xl/workbook.xml", "<workbook/>"}}),
       "xlsm"},
  };
  for (const auto& [bytes, type] : fixtures) {
    for (std::size_t cut = 0; cut < bytes.size(); cut += 61) {
      const Result r = run(std::string_view(bytes).substr(0, cut), type);
      if (cut < 512 && type != "xlsm") {
        EXPECT_NE(r.find("parse.malformed"), nullptr) << cut;
      }
    }
  }
  const Result garbage = run("plain text, not an office file", "doc");
  EXPECT_NE(garbage.find("parse.malformed"), nullptr);
}

TEST(OfficeHostile, DecodedBudgetIsEnforced) {
  core::Limits limits;
  limits.decoded_bytes = 100;
  core::Attachment node;
  std::vector<core::Finding> findings;
  std::vector<Embedded> embedded;
  analyze(dropper_doc(), node, findings, embedded, limits);
  EXPECT_TRUE(node.truncated);
  EXPECT_TRUE(std::any_of(findings.begin(), findings.end(),
                          [](const core::Finding& f) { return f.id == "parse.limit-exceeded"; }));
}

}  // namespace
}  // namespace emotriage::office
