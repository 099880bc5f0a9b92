#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "profile/profile.hpp"
#include "web/analyzer.hpp"

namespace emotriage::web {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const std::string kIncidents = std::string(EMOTRIAGE_SOURCE_DIR) + "/examples/incidents/";

AnalyzerSetup example_setup() {
  AnalyzerSetup setup;
  auto profile =
      profile::load_profile(std::string(EMOTRIAGE_SOURCE_DIR) + "/examples/profile.toml");
  if (profile) setup.profile = std::move(*profile);
  return setup;
}

const Analyzer& example_analyzer() {
  static const Analyzer analyzer(example_setup());
  return analyzer;
}

TEST(Analyzer, UploadsInMemoryGiveTheAnalyzeJson) {
  std::vector<Upload> uploads{
      {"01.eml", read_file(kIncidents + "01-own-account-compromised-zip-password.eml")},
      {"10.eml", read_file(kIncidents + "10-not-suspicious-internal-notice.eml")}};
  auto result = example_analyzer().analyze(uploads, report::Lang::en);
  EXPECT_EQ(result["command"], "analyze");
  ASSERT_EQ(result["messages"].size(), 2u);
  EXPECT_EQ(result["messages"][0]["source"], "01.eml");
  EXPECT_EQ(result["messages"][0]["verdict"]["scenario"], "own-account-compromised");
  EXPECT_EQ(result["messages"][1]["verdict"]["scenario"], "not-suspicious");
  EXPECT_EQ(result["campaign"]["messages"], 2);
  EXPECT_EQ(result["campaign"]["suspicious"], 1);
  EXPECT_TRUE(result["errors"].empty());
}

TEST(Analyzer, AnMboxUploadIsSplit) {
  std::string mbox = "From a@example.com Mon Jan  1 00:00:00 2024\n" +
                     read_file(kIncidents + "10-not-suspicious-internal-notice.eml") +
                     "\nFrom b@example.com Mon Jan  1 00:00:00 2024\n" +
                     read_file(kIncidents + "05-external-malspam-onenote.eml");
  auto result = example_analyzer().analyze({{"box.mbox", mbox}}, report::Lang::ja);
  ASSERT_EQ(result["messages"].size(), 2u);
  EXPECT_EQ(result["messages"][1]["verdict"]["scenario"], "external-malspam");
}

TEST(Analyzer, GarbageIsAMessageWithFindingsNotAnError) {
  auto result =
      example_analyzer().analyze({{"x", std::string("\0\xff<script>", 10)}}, report::Lang::ja);
  ASSERT_EQ(result["messages"].size(), 1u);
  EXPECT_EQ(result["messages"][0]["verdict"]["suspicious"], false);
}

}  // namespace
}  // namespace emotriage::web
