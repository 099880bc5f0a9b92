// --extract: generated names, no executable bit, no overwrite through links, manifest lines.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "archive_fixtures.hpp"
#include "core/hash.hpp"
#include "inspect/extract.hpp"

namespace emotriage::inspect {
namespace {

namespace fs = std::filesystem;

class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("emotriage-extract-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<nlohmann::json> manifest() {
    std::vector<nlohmann::json> lines;
    std::ifstream in(dir_ / "manifest.jsonl");
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }
  fs::path dir_;
};

TEST_F(ExtractTest, WritesEveryObjectUnderGeneratedNames) {
  auto extractor = Extractor::open(dir_.string());
  ASSERT_TRUE(extractor) << extractor.error();
  std::string inner = "var a = 1;\n";
  std::string zip = testing::make_zip({{"../../etc/請求書.pdf.js", inner}});
  Options options;
  options.scan = extractor->hook("mail/1.eml");
  inspect_bytes(zip, "請求書.zip", options);

  auto lines = manifest();
  ASSERT_EQ(lines.size(), 2u);
  // Members are scanned before their container.
  EXPECT_EQ(lines[0]["original_name"], "../../etc/請求書.pdf.js");
  EXPECT_EQ(lines[0]["path"], "請求書.zip/../../etc/請求書.pdf.js");
  EXPECT_EQ(lines[0]["message"], "mail/1.eml");
  EXPECT_EQ(lines[0]["detected_type"], "js");
  EXPECT_EQ(lines[0]["sha256"], core::sha256_hex(inner));
  EXPECT_EQ(lines[0]["size"], inner.size());
  EXPECT_EQ(lines[1]["original_name"], "請求書.zip");
  EXPECT_EQ(lines[1]["complete"], true);

  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    files.push_back(entry.path().filename().string());
    struct stat info {};
    ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0111, 0u) << "no executable bit";
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> expected = {core::sha256_hex(inner) + ".quarantine",
                                       core::sha256_hex(zip) + ".quarantine", "manifest.jsonl"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(files, expected);
  EXPECT_EQ(testing::read_file((dir_ / (core::sha256_hex(inner) + ".quarantine")).string()), inner);
  EXPECT_TRUE(extractor->errors().empty());
}

TEST_F(ExtractTest, SameContentIsWrittenOnceAndLinksAreNotFollowed) {
  fs::create_directories(dir_);
  std::string bytes = "same bytes";
  std::string name = core::sha256_hex(bytes) + ".quarantine";
  fs::path victim = dir_ / "victim";
  { std::ofstream(victim) << "keep"; }
  fs::create_symlink(victim, dir_ / name);
  auto extractor = Extractor::open(dir_.string());
  ASSERT_TRUE(extractor);
  core::Attachment node;
  node.filename = node.path = "a.txt";
  node.size = bytes.size();
  node.sha256 = core::sha256_hex(bytes);
  extractor->write("m", bytes, node);
  extractor->write("m", bytes, node);
  EXPECT_EQ(testing::read_file(victim.string()), "keep");
  EXPECT_EQ(manifest().size(), 2u);
}

TEST_F(ExtractTest, RefusesASymlinkedDirectory) {
  fs::create_directories(dir_.string() + "-target");
  fs::create_symlink(dir_.string() + "-target", dir_);
  auto extractor = Extractor::open(dir_.string());
  EXPECT_FALSE(extractor);
  fs::remove(dir_);
  fs::remove_all(dir_.string() + "-target");
}

}  // namespace
}  // namespace emotriage::inspect
