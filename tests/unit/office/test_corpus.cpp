// Real documents from ../shared/corpus (oletools and Apache POI test files): the facts their
// upstream projects state, and a walk over every Office/RTF/PDF file (no crash, and a generous
// bound on each document's CPU time — CPU, not wall clock, which a loaded machine would break).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../growth.hpp"
#include "office/office.hpp"

namespace emotriage::office {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

const fs::path kCorpus = EMOTRIAGE_CORPUS_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Analysed {
  core::Attachment node;
  std::vector<core::Finding> findings;
  std::vector<Embedded> embedded;
  std::string evidence(std::string_view id) const {
    for (const core::Finding& f : findings) {
      if (f.id == id) return f.evidence;
    }
    return {};
  }
};

Analysed analyse(const std::string& relative) {
  Analysed a;
  analyze(slurp(kCorpus / relative), a.node, a.findings, a.embedded, core::Limits{});
  return a;
}

class Corpus : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kCorpus / "INDEX.tsv")) GTEST_SKIP() << "no shared corpus";
  }
};

TEST_F(Corpus, VbaProjectsOfPoiSimpleMacroFiles) {
  for (const char* file :
       {"apache_poi/document/SimpleMacro.doc", "apache_poi/document/SimpleMacro.docm",
        "apache_poi/spreadsheet/SimpleMacro.xls", "apache_poi/slideshow/SimpleMacro.pptm"}) {
    const Analysed a = analyse(file);
    EXPECT_TRUE(a.node.macros) << file;
    EXPECT_FALSE(a.node.autoexec) << file;
    EXPECT_THAT(a.evidence("attachment.office-macro"), HasSubstr("Module1")) << file;
  }
  EXPECT_THAT(analyse("apache_poi/document/SimpleMacro.doc").evidence("attachment.office-macro"),
              HasSubstr("Macros/VBA: ThisDocument, Module1"));
}

TEST_F(Corpus, Excel4MacroSamplesInEveryFormat) {
  for (const char* file : {"excel4_sample_macro.xls", "excel4_sample_macro.xlsm",
                           "excel4_sample_macro.xlsb", "excel4_sample_macro.xlt",
                           "excel4_sample_macro.xltm", "excel4_sample_macro_excel5_format.xls"}) {
    const Analysed a = analyse(std::string("oletools/excel4-macros/") + file);
    EXPECT_TRUE(a.node.xlm_macros) << file;
    EXPECT_THAT(a.evidence("attachment.xlm-macro"), HasSubstr("Auto_Open")) << file;
  }
  EXPECT_THAT(
      analyse("oletools/excel4-macros/excel4_sample_macro.xls").evidence("attachment.xlm-macro"),
      HasSubstr("macro sheet 'Macro1'"));
  EXPECT_TRUE(analyse("apache_poi/spreadsheet/xlmmacro.xlsm").node.xlm_macros);
  EXPECT_THAT(analyse("apache_poi/spreadsheet/60405.xls").evidence("attachment.xlm-macro"),
              HasSubstr("RUN"));
}

TEST_F(Corpus, EncryptedDocumentsOfEveryKind) {
  for (const auto& entry : fs::directory_iterator(kCorpus / "oletools/encrypted")) {
    const Analysed a = analyse(fs::relative(entry.path(), kCorpus).string());
    EXPECT_TRUE(a.node.encrypted) << entry.path();
    EXPECT_FALSE(a.evidence("attachment.encrypted-document").empty()) << entry.path();
  }
  EXPECT_THAT(analyse("apache_poi/spreadsheet/xor-encryption-abc.xls")
                  .evidence("attachment.encrypted-document"),
              HasSubstr("biff-xor"));
  EXPECT_THAT(
      analyse("oletools/encrypted/encrypted.docx").evidence("attachment.encrypted-document"),
      HasSubstr("ooxml-agile"));
  // The VBA storage is outside the encrypted Workbook stream: Auto_Open + MsgBox is found,
  // harmless.
  const Analysed autostart = analyse("oletools/encrypted/autostart-encrypt-standardpassword.xls");
  EXPECT_TRUE(autostart.node.macros);
  EXPECT_FALSE(autostart.node.autoexec);
  EXPECT_FALSE(analyse("apache_poi/document/SampleDoc.doc").node.encrypted);
}

TEST_F(Corpus, EmbeddedObjectsAndExternalLinks) {
  const Analysed calc = analyse("oletools/oleobj/sample_with_calc_embedded.doc");
  ASSERT_FALSE(calc.embedded.empty());
  EXPECT_EQ(calc.embedded[0].name, "calc.exe");
  EXPECT_TRUE(calc.embedded[0].bytes.starts_with("MZ"));
  const Analysed docx = analyse("oletools/oleobj/embedded-simple-2007.docx");
  ASSERT_EQ(docx.embedded.size(), 1u);
  EXPECT_EQ(docx.embedded[0].name, "oleObject1.bin");
  const Analysed rtf = analyse("oletools/rtfobj/issue_251.rtf");
  bool equation = false;
  for (const auto& [key, value] : rtf.node.properties)
    equation |= key == "rtf.object-class" && value == "Equation.3";
  EXPECT_TRUE(equation);
}

TEST_F(Corpus, CleanDocumentsStayClean) {
  for (const char* file :
       {"oletools/msodde/harmless-clean.doc", "oletools/msodde/harmless-clean.docx",
        "apache_poi/spreadsheet/SampleSS.xlsx", "apache_poi/slideshow/SampleShow.ppt"}) {
    const Analysed a = analyse(file);
    for (const core::Finding& f : a.findings)
      ADD_FAILURE() << file << ": " << f.id << " " << f.evidence;
  }
}

TEST_F(Corpus, EveryDocumentIsHandledInBoundedCpuTime) {
  std::ifstream index(kCorpus / "INDEX.tsv");
  std::string line;
  std::size_t walked = 0;
  while (std::getline(index, line)) {
    const std::string path = line.substr(0, line.find('\t'));
    const std::size_t kind_start = path.size() + 1;
    const std::string kind = line.substr(kind_start, line.find('\t', kind_start) - kind_start);
    const bool office = kind.starts_with("ooxml") || kind == "word97" || kind == "excel97" ||
                        kind == "ppt97" || kind == "ole-other" || kind == "outlook-msg" ||
                        kind == "rtf" || path.ends_with(".pdf");
    if (!office) continue;
    const auto start = test_support::thread_cpu_time();
    const Analysed a = analyse(path);
    EXPECT_LT(test_support::thread_cpu_time() - start, std::chrono::seconds(10)) << path;
    EXPECT_LE(a.node.urls.size(), 100u) << path;
    ++walked;
  }
  EXPECT_GT(walked, 100u);
}

}  // namespace
}  // namespace emotriage::office
