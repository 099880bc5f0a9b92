#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/text.hpp"
#include "notice/notices.hpp"
#include "profile/profile.hpp"

namespace emotriage::notice {
namespace {

using Json = nlohmann::ordered_json;

struct Rendered {
  std::vector<NoticeFile> files;
  const NoticeFile* find(std::string_view name) const {
    for (const auto& file : files) {
      if (file.name == name) return &file;
    }
    return nullptr;
  }
};

class NoticeRender : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = profile::load_profile(EMOTRIAGE_SOURCE_DIR "/examples/profile.toml");
    ASSERT_TRUE(loaded.has_value());
    profile_ = *loaded;
    std::ifstream in(EMOTRIAGE_SOURCE_DIR "/tests/data/notice/hostile.json");
    hostile_ = Json::parse(in);
    options_.langs = {report::Lang::ja, report::Lang::en};
    options_.date = "2024-12-10T10:00:00+09:00";
  }
  Rendered render(const Json& analysis) {
    auto files = render_notices(analysis, profile_, options_);
    EXPECT_TRUE(files.has_value())
        << (files ? "" : files.error().source + files.error().message_en);
    return Rendered{files ? *files : std::vector<NoticeFile>{}};
  }
  std::filesystem::path user_dir() {
    auto dir = std::filesystem::path(::testing::TempDir()) /
               ("notice-templates-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "ja");
    return dir;
  }

  profile::Profile profile_;
  Json hostile_;
  NoticeOptions options_;
};

TEST_F(NoticeRender, HostileDataIsInert) {
  Rendered out = render(hostile_);
  ASSERT_FALSE(out.files.empty());
  for (const auto& file : out.files) {
    for (char c : file.name) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')
          << file.name;
    }
    if (file.name.ends_with(".eml")) {
      std::string headers = file.bytes.substr(0, file.bytes.find("\r\n\r\n") + 2);
      EXPECT_EQ(headers.find("Bcc"), std::string::npos) << file.name;
      // Every header line is a header or a fold: no line break from data.
      std::size_t start = 0;
      while (start < headers.size()) {
        std::size_t end = headers.find("\r\n", start);
        std::string line = headers.substr(start, end - start);
        EXPECT_TRUE(line.starts_with(" ") || line.find(": ") != std::string::npos) << line;
        start = end + 2;
      }
    }
  }
  const NoticeFile* html = out.find("website-notice.ja.html");
  ASSERT_NE(html, nullptr);
  EXPECT_EQ(html->bytes.find("<script"), std::string::npos);
  EXPECT_NE(html->bytes.find("&lt;script&gt;"), std::string::npos);
  // Mail-derived braces are printed, never expanded.
  EXPECT_NE(html->bytes.find("{{company.name}}"), std::string::npos);
  const NoticeFile* letter = out.find("sender-letter-01-evil.example.ja.txt");
  ASSERT_NE(letter, nullptr);
  EXPECT_NE(letter->bytes.find("{{#company}}x{{/company}}"), std::string::npos);
  EXPECT_NE(letter->bytes.find("<b>bold</b>"), std::string::npos);  // text is not HTML-escaped
  EXPECT_EQ(letter->bytes.find("\nBcc:"), std::string::npos);
}

// Found by fuzzing: a date whose first ten bytes end inside a character was cut there for the
// notice period, and the invalid UTF-8 made a JSON dump throw (the process aborted).
TEST_F(NoticeRender, DateCutInsideACharacterStaysValidText) {
  Json analysis = hostile_;
  for (Json& message : analysis["messages"])
    message["date"] = "2022-03-さんぷる商事05T09:55:10+09:00";
  Rendered out = render(analysis);
  ASSERT_FALSE(out.files.empty());
  for (const auto& file : out.files) EXPECT_TRUE(core::is_valid_utf8(file.bytes)) << file.name;
}

TEST_F(NoticeRender, DeterministicAndOneFilePerNotice) {
  Rendered first = render(hostile_), second = render(hostile_);
  ASSERT_EQ(first.files.size(), second.files.size());
  for (std::size_t i = 0; i < first.files.size(); ++i) {
    EXPECT_EQ(first.files[i].name, second.files[i].name);
    EXPECT_EQ(first.files[i].bytes, second.files[i].bytes);
  }
  EXPECT_NE(first.find("staff-alert.en.eml"), nullptr);
  EXPECT_NE(first.find("website-notice.en.txt"), nullptr);
}

TEST_F(NoticeRender, EveryFileAndTemplateIsOfAListedKind) {
  auto listed = [](std::string_view name) {
    return std::ranges::any_of(notice_kinds(),
                               [&](const std::string& kind) { return name.starts_with(kind); });
  };
  for (const auto& file : render(hostile_).files) EXPECT_TRUE(listed(file.name)) << file.name;
  // The website templates write website-notice files; every other template is a mail notice.
  for (const auto& name : template_names()) {
    std::string kind = name.substr(0, name.find('.'));
    EXPECT_TRUE(kind == "website" || listed(kind + ".")) << name;
  }
}

TEST_F(NoticeRender, UserTemplateOverridesOneFile) {
  auto dir = user_dir();
  std::ofstream(dir / "ja" / "staff-alert.subject.mustache") << "社内: {{counts.suspicious}} 通";
  options_.user_templates = dir.string();
  Rendered out = render(hostile_);
  const NoticeFile* alert = out.find("staff-alert.ja.txt");
  ASSERT_NE(alert, nullptr);
  EXPECT_NE(alert->bytes.find("Subject: 社内: 2 通\n"), std::string::npos);
  const NoticeFile* website = out.find("website-notice.ja.txt");
  ASSERT_NE(website, nullptr);  // the others still come from the built-in templates
  EXPECT_NE(website->bytes.find("お詫び"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_F(NoticeRender, BrokenUserTemplateIsAnError) {
  auto dir = user_dir();
  std::ofstream(dir / "ja" / "website.html.mustache") << "<p>{{#unclosed}}</p>";
  options_.user_templates = dir.string();
  auto files = render_notices(hostile_, profile_, options_);
  ASSERT_FALSE(files.has_value());
  EXPECT_NE(files.error().source.find("website.html"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_F(NoticeRender, MissingBuiltinFolderAndBadDateAreErrors) {
  options_.builtin_templates = "/nonexistent/templates";
  EXPECT_FALSE(render_notices(hostile_, profile_, options_).has_value());
  options_.builtin_templates.clear();
  options_.date = "now";
  EXPECT_FALSE(render_notices(hostile_, profile_, options_).has_value());
}

TEST_F(NoticeRender, NothingSuspiciousNothingWritten) {
  Json quiet = {{"messages", Json::array()}, {"campaign", {{"messages", 3}, {"suspicious", 0}}}};
  EXPECT_TRUE(render(quiet).files.empty());
}

}  // namespace
}  // namespace emotriage::notice
