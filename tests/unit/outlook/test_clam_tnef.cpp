// Debian clamav-testfiles' clam.tnef (installed by scripts/install-deps.sh --tests): a TNEF
// winmail.dat carrying ClamAV's harmless test executable. Attached to a mail, the executable is
// recovered from the TNEF stream and inspected like any attachment.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include <unistd.h>

#include "app/pipeline.hpp"
#include "mime/parser.hpp"
#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"
#include "profile/profile.hpp"

namespace emotriage::outlook {
namespace {

namespace fs = std::filesystem;

constexpr const char* kClamTnef = "/usr/share/clamav-testfiles/clam.tnef";

std::string clam_tnef() {
  std::ifstream in(kClamTnef, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const core::Attachment* find(const std::vector<core::Attachment>& nodes, std::string_view name) {
  for (const auto& node : nodes) {
    if (node.filename == name) return &node;
    if (const auto* found = find(node.children, name)) return found;
  }
  return nullptr;
}

class ClamTnef : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kClamTnef)) {
      GTEST_SKIP() << kClamTnef << " is missing: install Debian's clamav-testfiles "
                   << "(scripts/install-deps.sh --tests)";
    }
    auto profile =
        profile::load_profile(std::string(EMOTRIAGE_SOURCE_DIR) + "/examples/profile.toml");
    ASSERT_TRUE(profile.has_value());
    matcher_.emplace(std::move(*profile));
    mime::initialize();
  }

  std::optional<profile::Matcher> matcher_;
};

TEST_F(ClamTnef, ReaderRecoversTheExecutable) {
  auto files = tnef_extract(clam_tnef(), core::Limits{});
  ASSERT_TRUE(files.has_value());
  bool exe = false;
  for (const auto& file : *files) {
    if (file.name == "clam.exe") exe = file.bytes.starts_with("MZ");
  }
  EXPECT_TRUE(exe);
}

TEST_F(ClamTnef, WinmailDatInAMailIsInspected) {
  const std::string mail =
      "From: partner <a@partner.example>\r\nTo: t.yamada@sample-shoji.example\r\n"
      "Subject: TNEF\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
      "--b\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\n"
      "Content-Disposition: attachment; filename=winmail.dat\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      detail::base64_lines(clam_tnef()) + "--b--\r\n";
  ingest::RawMessage raw;
  raw.locator = "clam.eml";
  raw.bytes = mail;
  const verdict::Analysis analysis = app::analyze_message(app::parse_raw(raw, core::Limits{}),
                                                          {.matcher = &*matcher_}, core::Limits{});
  const auto* winmail = find(analysis.inspection.attachments, "winmail.dat");
  ASSERT_NE(winmail, nullptr);
  EXPECT_EQ(winmail->detected_type, "tnef");
  const auto* exe = find(winmail->children, "clam.exe");
  ASSERT_NE(exe, nullptr);
  EXPECT_EQ(exe->detected_type, "pe");
  EXPECT_TRUE(std::ranges::any_of(analysis.inspection.findings, [](const core::Finding& f) {
    return f.id == "attachment.executable";
  }));
}

// Found in audit: a winmail.dat saved on its own was skipped by a folder walk ("not-mail") and,
// given by name, parsed as a broken RFC 822 mail — "not suspicious" with its executable unseen.
TEST_F(ClamTnef, WinmailDatOnItsOwnIsInspected) {
  const fs::path folder =
      fs::temp_directory_path() / ("emotriage-tnef-" + std::to_string(getpid()));
  fs::create_directories(folder);
  fs::copy_file(kClamTnef, folder / "winmail.dat", fs::copy_options::overwrite_existing);
  const app::AnalysisContext context{.matcher = &*matcher_};
  app::BatchOptions options;
  options.jobs = 1;
  options.analysis = &context;
  std::vector<verdict::Analysis> analyses;
  std::vector<std::string> skipped;
  app::run_batch({folder.string()}, options,
                 {.message = {},
                  .analysis = [&](verdict::Analysis&& a) { analyses.push_back(std::move(a)); },
                  .error = {},
                  .skipped = [&](const ingest::Skipped& s) { skipped.push_back(s.locator); },
                  .progress = {}});
  fs::remove_all(folder);
  EXPECT_TRUE(skipped.empty());
  ASSERT_EQ(analyses.size(), 1u);
  const verdict::Analysis& analysis = analyses[0];
  const auto has = [](const std::vector<core::Finding>& findings, std::string_view id) {
    return std::ranges::any_of(findings, [&](const core::Finding& f) { return f.id == id; });
  };
  EXPECT_TRUE(has(analysis.message.findings, "parse.headers-missing"));
  EXPECT_FALSE(has(analysis.message.findings, "parse.malformed"));
  const auto* exe = find(analysis.inspection.attachments, "clam.exe");
  ASSERT_NE(exe, nullptr);
  EXPECT_EQ(exe->detected_type, "pe");
  EXPECT_TRUE(has(analysis.inspection.findings, "attachment.executable"));
  EXPECT_TRUE(analysis.verdict.suspicious);
}

// The whole analysis of one input read as `format`, with the example profile.
verdict::Analysis analyse_with_example_profile(const std::string& locator, const std::string& bytes,
                                               ingest::Format format = ingest::Format::rfc822) {
  static const profile::Matcher matcher(
      profile::load_profile(std::string(EMOTRIAGE_SOURCE_DIR) + "/examples/profile.toml").value());
  mime::initialize();
  ingest::RawMessage raw;
  raw.locator = locator;
  raw.format = format;
  raw.bytes = bytes;
  return app::analyze_message(app::parse_raw(raw, core::Limits{}), {.matcher = &matcher},
                              core::Limits{});
}

// One TNEF attribute: level, tag (type << 16 | id), length, data, checksum (MS-OXTNEF 2.1.3).
std::string tnef_attribute(std::uint8_t level, std::uint32_t tag, const std::string& data) {
  auto le = [](std::uint32_t v, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
    return out;
  };
  std::uint32_t sum = 0;
  for (const unsigned char c : data) sum += c;
  return std::string(1, static_cast<char>(level)) + le(tag, 4) +
         le(static_cast<std::uint32_t>(data.size()), 4) + data + le(sum & 0xFFFF, 2);
}

// Found in audit: the body Outlook kept inside winmail.dat was inspected only as a file, so a
// download link in it was not evidence (no url.download-link) when the plain part said nothing.
TEST(TnefBody, TheBodyInsideWinmailDatIsTheMailsText) {
  const std::string tnef = "\x78\x9f\x3e\x22" + std::string("\x01\x00", 2) +
                           tnef_attribute(1, 0x00018004, std::string("Invoice\0", 8)) +
                           tnef_attribute(1, 0x0002800C,
                                          "Please download the invoice: "
                                          "http://files.evil.example/invoice_4821.zip\r\n");
  const std::string mail =
      "From: partner <a@partner.example>\r\nTo: t.yamada@sample-shoji.example\r\n"
      "Subject: Invoice\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\n\r\n"
      "--b\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\n"
      "Content-Disposition: attachment; filename=winmail.dat\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      detail::base64_lines(tnef) + "--b--\r\n";
  const verdict::Analysis analysis = analyse_with_example_profile("tnef-body.eml", mail);
  EXPECT_TRUE(std::ranges::any_of(analysis.evidence.urls, [](const auto& url) {
    return url.url == "http://files.evil.example/invoice_4821.zip";
  }));
  EXPECT_TRUE(std::ranges::any_of(analysis.evidence.findings, [](const core::Finding& f) {
    return f.id == "url.download-link";
  }));
  // The file is still inspected as an attachment.
  ASSERT_NE(find(analysis.inspection.attachments, "winmail.dat"), nullptr);
}

// Found in review: a winmail.dat on its own with a "RE:" subject was called a hijacked reply for
// lacking In-Reply-To (it lacks every header), sentences named an empty sender, and nothing asked
// for the mail around it.
TEST(TnefBody, AWinmailDatAloneIsJudgedOnWhatItHas) {
  const std::string tnef = "\x78\x9f\x3e\x22" + std::string("\x01\x00", 2) +
                           tnef_attribute(1, 0x00018004, std::string("RE: invoice\0", 12)) +
                           tnef_attribute(1, 0x0002800C,
                                          "Please see the invoice.\r\n\r\n"
                                          "株式会社サンプル商事\r\n山田 太郎\r\n");
  const verdict::Analysis analysis =
      analyse_with_example_profile("winmail.dat", tnef, ingest::Format::tnef);
  EXPECT_EQ(analysis.message.envelope.subject, "RE: invoice");
  EXPECT_FALSE(core::has_finding(analysis.evidence.findings, "thread.hijacked-reply"));
  EXPECT_TRUE(std::ranges::any_of(analysis.verdict.actions, [](const verdict::Action& action) {
    return action.kind == "get-original-mail" && action.target.empty();
  }));
  for (const core::Finding& finding : analysis.evidence.findings) {
    EXPECT_EQ(finding.message_ja.find("差出人  "), std::string::npos) << finding.id;
    EXPECT_EQ(finding.message_en.find("sender  "), std::string::npos) << finding.id;
  }
  EXPECT_EQ(analysis.verdict.summary_en.find("  "), std::string::npos);
}

}  // namespace
}  // namespace emotriage::outlook
