// detect_type: the project's own signatures, text formats, name tie-breaks, and a table over
// the shared corpus by its INDEX.tsv categories.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "archive_fixtures.hpp"
#include "inspect/inspect.hpp"

namespace emotriage::inspect {
namespace {

using namespace std::string_literals;
using testing::corpus_path;
using testing::make_zip;
using testing::read_file;

std::string at_offset(std::size_t offset, const std::string& signature, std::size_t size) {
  std::string bytes(size, '\0');
  bytes.replace(offset, signature.size(), signature);
  return bytes;
}

TEST(DetectType, BinarySignatures) {
  struct Case {
    std::string bytes, expected;
  };
  std::string pe = "MZ" + std::string(0x3a, '\0') + "\x80\0\0\0"s + std::string(0x40, '\0') +
                   "PE\0\0"s + std::string(64, '\0');
  std::vector<Case> cases = {
      {"7z\xbc\xaf\x27\x1c\0\x04"s + std::string(32, 'x'), "7z"},
      {"Rar!\x1a\x07\x00"s + std::string(32, 'x'), "rar"},
      {"Rar!\x1a\x07\x01\x00"s + std::string(32, 'x'), "rar"},
      {"\x1f\x8b\x08\0"s + std::string(32, 'x'), "gzip"},
      {"MSCF\0\0\0\0"s + std::string(64, 'x'), "cab"},
      {at_offset(0x8001, "CD001", 0x9000), "iso"},
      {at_offset(0x8801, "BEA01", 0x9000), "udf"},
      {"vhdxfile" + std::string(64, '\0'), "vhdx"},
      {at_offset(4096 - 512, "conectix", 4096), "vhd"},
      {"{\\rtf1\\ansi hello}", "rtf"},
      {std::string(300, ' ') + "%PDF-1.7\n", "pdf"},
      {"L\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46"s + std::string(64, '\0'), "lnk"},
      {"\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3"s + std::string(64, '\0'),
       "onenote"},
      {pe, "pe"},
      {"\x7f"
       "ELF\x02\x01\x01" +
           std::string(64, '\0'),
       "elf"},
      {"\xff\xd8\xff\xe0\0\x10JFIF\0"s + std::string(64, '\0'), "image"},
      {"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s + std::string(64, '\0'), "image"},
      {"GIF89a" + std::string(64, '\0'), "image"},
      {"II*\0"s + std::string(64, '\0'), "image"},
      {"\0\0\0\x18"
       "ftypheic"s +
           std::string(64, '\0'),
       "image"},
      {"RIFF\x24\0\0\0WEBPVP8 "s + std::string(64, '\0'), "image"},
      {"", "empty"},
  };
  for (const auto& c : cases) EXPECT_EQ(detect_type(c.bytes, "x.bin"), c.expected) << c.expected;
}

TEST(DetectType, RandomBytesWithoutSignatureAreUnknownButAPrefixedZipIsAZip) {
  std::mt19937 random(7);
  std::string noise(31000, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  EXPECT_EQ(detect_type(noise, "drawing.dwg"), "unknown");
  // A zip behind random bytes (a self-extractor, junk in front) is still found by libmagic.
  std::string prefixed = noise.substr(0, 5000) + make_zip({{"a.js", "WScript.Echo(1);"}});
  EXPECT_EQ(detect_type(prefixed, "invoice.zip"), "zip");
  // Low entropy without our signatures still goes to libmagic (a DOS program here).
  std::string dos = "MZ" + std::string(2000, '\0') + std::string(2000, '\x90');
  EXPECT_EQ(detect_type(dos, "x.bin"), "pe");
}

TEST(DetectType, PictureSignatureInFrontOfTextIsStillAScript) {
  // GIF/JScript polyglots, a .bat whose first line cmd.exe skips, an HTA found anywhere.
  EXPECT_EQ(
      detect_type("GIF89a=1;var s=new ActiveXObject('WScript.Shell');s.Run('calc');", "invoice.js"),
      "js");
  EXPECT_EQ(detect_type("GIF89a\r\n@echo off\r\npowershell -enc AAAA\r\n", "scan.bat"), "bat");
  EXPECT_EQ(detect_type("GIF89a\r\n<html><head><hta:application id=x></head></html>", "scan.hta"),
            "hta");
  EXPECT_EQ(detect_type("GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04"s, "a.gif"),
            "image");
}

TEST(DetectType, ScriptsByContentAndName) {
  EXPECT_EQ(detect_type("#@~^XwAAAA==encoded", "a.vbe"), "vbe");
  EXPECT_EQ(detect_type("#@~^XwAAAA==encoded", "a.jse"), "jse");
  EXPECT_EQ(detect_type("<html><head><HTA:APPLICATION id=x></head></html>", "a.txt"), "hta");
  EXPECT_EQ(detect_type("<job id=\"a\"><script language=\"JScript\">x</script></job>", ""), "wsf");
  EXPECT_EQ(
      detect_type("<?xml version=\"1.0\"?>\n<package><job><script>x</script></job></package>", ""),
      "wsf");
  EXPECT_EQ(detect_type("<!DOCTYPE html><html><body>x</body></html>", "a.htm"), "html");
  EXPECT_EQ(detect_type("var shell = new ActiveXObject(\"WScript.Shell\");\n", ""), "js");
  EXPECT_EQ(detect_type("Set s = CreateObject(\"WScript.Shell\")\ns.Run \"calc\"\n", ""), "vbs");
  EXPECT_EQ(detect_type("@echo off\r\nstart x\r\n", ""), "bat");
  EXPECT_EQ(detect_type("IEX (Invoke-Expression $x)\n", ""), "ps1");
  // Plain text takes its script type from the name.
  EXPECT_EQ(detect_type("x = 1\n", "run.ps1"), "ps1");
  EXPECT_EQ(detect_type("dir\r\n", "go.cmd"), "bat");
  EXPECT_EQ(detect_type("hello\n", "notes.txt"), "text");
  // Binary content keeps its content type whatever the name says.
  EXPECT_EQ(detect_type("{\\rtf1 x}", "invoice.js"), "rtf");
}

TEST(DetectType, MailAndMht) {
  std::string eml = "Received: from a by b\r\nFrom: a@example.jp\r\nSubject: x\r\n\r\nbody\r\n";
  EXPECT_EQ(detect_type(eml, "fwd.eml"), "eml");
  std::string mht =
      "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; "
      "type=\"text/html\"; boundary=x\r\n\r\n--x\r\n";
  EXPECT_EQ(detect_type(mht, "page.mht"), "mht");
  EXPECT_EQ(detect_type("Dear: customer\nthanks: a lot\n\nhello", "a.txt"), "text");
}

TEST(DetectType, OoxmlFlavoursFromPackageParts) {
  std::string ct = "<Types/>";
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", ct}, {"word/document.xml", "x"}}), ""),
            "docx");
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", ct},
                                  {"word/document.xml", "x"},
                                  {"word/vbaProject.bin", "x"}}),
                        ""),
            "docm");
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", ct}, {"xl/workbook.bin", "x"}}), ""),
            "xlsb");
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", ct},
                                  {"xl/workbook.xml", "x"},
                                  {"xl/macrosheets/sheet1.xml", "x"}}),
                        ""),
            "xlsm");
  EXPECT_EQ(
      detect_type(make_zip({{"[Content_Types].xml", ct}, {"xl/workbook.xml", "x"}}), "a.xlsm"),
      "xlsm");
  EXPECT_EQ(detect_type(make_zip({{"[Content_Types].xml", ct}, {"ppt/presentation.xml", "x"}}), ""),
            "pptx");
  EXPECT_EQ(detect_type(make_zip({{"word/document.xml", "x"}}), "a.docx"), "zip");
}

// Expected detected types for INDEX.tsv kinds, with the corpus file's path as evidence.
std::string expected_for_kind(const std::string& kind, const std::string& path) {
  static const std::map<std::string, std::string> kKinds = {{"word97", "doc"},
                                                            {"excel97", "xls"},
                                                            {"ppt97", "ppt"},
                                                            {"lnk", "lnk"},
                                                            {"onenote-section", "onenote"},
                                                            {"iso9660", "iso"},
                                                            {"rtf", "rtf"},
                                                            {"gzip", "gzip"},
                                                            {"zip", "zip"},
                                                            {"tar", "tar"},
                                                            {"outlook-msg", "msg"}};
  if (kind == "ooxml") {
    auto dot = path.rfind('.');
    std::string extension = dot == std::string::npos ? "" : path.substr(dot + 1);
    // Templates and add-ins are detected as their document family.
    static const std::map<std::string, std::string> kFamilies = {
        {"docx", "docx"}, {"dotx", "docx"}, {"docm", "docm"}, {"dotm", "docm"},
        {"xlsx", "xlsx"}, {"xltx", "xlsx"}, {"xlsm", "xlsm"}, {"xltm", "xlsm"},
        {"xlam", "xlsm"}, {"xlsb", "xlsb"}, {"pptx", "pptx"}, {"potx", "pptx"},
        {"ppsx", "pptx"}, {"pptm", "pptm"}, {"potm", "pptm"}, {"ppsm", "pptm"}};
    auto found = kFamilies.find(extension);
    return found == kFamilies.end() ? "" : found->second;
  }
  auto found = kKinds.find(kind);
  return found == kKinds.end() ? "" : found->second;
}

TEST(DetectType, CorpusFilesByIndexCategory) {
  std::ifstream index(corpus_path("INDEX.tsv"));
  ASSERT_TRUE(index) << "shared corpus missing";
  std::string line;
  std::getline(index, line);
  std::map<std::string, int> checked;
  std::vector<std::string> mismatches;
  while (std::getline(index, line)) {
    std::istringstream fields(line);
    std::string path, kind;
    std::getline(fields, path, '\t');
    std::getline(fields, kind, '\t');
    std::string expected = expected_for_kind(kind, path);
    if (expected.empty()) continue;
    std::string type = detect_type(read_file(corpus_path(path)), path);
    ++checked[kind];
    if (type != expected) mismatches.push_back(path + ": " + type + " != " + expected);
  }
  EXPECT_GE(checked["word97"], 10);
  EXPECT_GE(checked["ooxml"], 40);
  EXPECT_GE(checked["lnk"], 20);
  EXPECT_GE(checked["outlook-msg"], 40);
  EXPECT_TRUE(mismatches.empty()) << ::testing::PrintToString(mismatches);
}

TEST(DetectType, CorpusMailsAreEml) {
  for (std::string path : {"cpython_test_email/msg_01.txt", "jpmobile/unit/au-attached.eml",
                           "mimekit/messages/japanese.txt", "cpython_test_email/msg_02.txt"}) {
    EXPECT_EQ(detect_type(read_file(corpus_path(path)), path), "eml") << path;
  }
}

}  // namespace
}  // namespace emotriage::inspect
