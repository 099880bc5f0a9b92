// inspect_message over parsed mail, and dispatch of real corpus files to the office and dropper
// analysers.
#include <gtest/gtest.h>

#include "archive_fixtures.hpp"
#include "inspect/inspect.hpp"
#include "mime/parser.hpp"
#include "test_helpers.hpp"

namespace emotriage::inspect {
namespace {

using namespace testing;

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
    if (out.size() % 77 == 76) out += "\r\n";
  }
  return out;
}

std::string mail_with(const std::string& attachment, const std::string& filename,
                      const std::string& inner_part = "") {
  return "From: =?UTF-8?B?5bGx55Sw?= <t.yamada@example.jp>\r\n"
         "To: a@example.com\r\nSubject: invoice\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
         "請求書を送付します。\r\nパスワード：Ab12-xY\r\n\r\n"
         "--b1\r\nContent-Type: application/zip; name=\"" +
         filename +
         "\"\r\n"
         "Content-Disposition: attachment; filename=\"" +
         filename +
         "\"\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         base64(attachment) + "\r\n" + inner_part + "--b1--\r\n";
}

core::Message parse(const std::string& raw) {
  mime::initialize();
  return mime::parse_message(raw, "test.eml", core::Limits{});
}

TEST(InspectMessage, AttachmentTreesCarryTheirPartAndPath) {
  std::string zip = make_zip({{"請求書.txt", "text\n"}});
  core::Message message = parse(mail_with(zip, "請求書.zip"));
  std::vector<const core::Attachment*> scanned;
  Options options;
  options.scan = [&](std::string_view, const core::Attachment& node, std::vector<core::Finding>&) {
    scanned.push_back(&node);
  };
  Result result = inspect_message(message, options);
  ASSERT_EQ(result.attachments.size(), 1u);
  const core::Attachment& top = result.attachments[0];
  EXPECT_EQ(top.part, "2");
  EXPECT_EQ(top.filename, "請求書.zip");
  EXPECT_EQ(top.declared_type, "application/zip");
  EXPECT_EQ(top.detected_type, "zip");
  ASSERT_EQ(top.children.size(), 1u);
  EXPECT_EQ(top.children[0].part, "2");
  EXPECT_EQ(top.children[0].path, "請求書.zip/請求書.txt");
  EXPECT_EQ(scanned.size(), 2u) << "the hook sees every object";
}

TEST(InspectMessage, EncryptedZipWithThePasswordInTheBody) {
  std::string zip =
      make_archive("zip", {{"請求書.doc", "{\\rtf1 x}"}}, "zip:encryption=aes256", "Ab12-xY");
  core::Message message = parse(mail_with(zip, "請求書.zip"));
  Options options;
  // What the evidence stage extracts from "パスワード：Ab12-xY".
  options.passwords = {"Ab12-xY"};
  Result result = inspect_message(message, options);
  const core::Finding* finding =
      find_finding(result.findings, "attachment.encrypted-archive-password-in-body");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->part, "2");
  EXPECT_EQ(result.attachments[0].children.at(0).detected_type, "rtf");
}

TEST(InspectMessage, AttachedMailInAZipIsParsedAndItsAttachmentsInspected) {
  std::string inner_mail = mail_with(make_zip({{"a.js", "var a=1;\n"}}), "inner.zip");
  std::string zip = make_zip({{"fwd.eml", inner_mail}});
  Result result = inspect_bytes(zip, "fwd.zip", Options{});
  const core::Attachment& eml = result.attachments[0].children.at(0);
  EXPECT_EQ(eml.detected_type, "eml");
  EXPECT_EQ(property(eml, "mail.subject"), "invoice");
  ASSERT_EQ(eml.children.size(), 1u);
  EXPECT_EQ(eml.children[0].path, "fwd.zip/fwd.eml/inner.zip");
  ASSERT_EQ(eml.children[0].children.size(), 1u);
  EXPECT_EQ(eml.children[0].children[0].detected_type, "js");
  EXPECT_NE(find_finding(result.findings, "attachment.executable"), nullptr);
}

TEST(InspectMessage, TimeBudgetIsHonoured) {
  Options options;
  options.limits.message_millis = 1;
  std::string zip = make_zip({{"a.bin", "", 64u << 20}});
  Result result = inspect_bytes(zip, "slow.zip", options);
  EXPECT_NE(find_limit(result.findings, "message_millis"), nullptr);
}

TEST(InspectDispatch, OfficeDocumentInAZipReachesTheOfficeAnalyser) {
  std::string doc = read_file(corpus_path("apache_poi/document/SimpleMacro.doc"));
  Result result = inspect_bytes(make_zip({{"請求書.doc", doc}}), "請求書.zip", Options{});
  const core::Attachment& member = result.attachments[0].children.at(0);
  EXPECT_EQ(member.detected_type, "doc");
  EXPECT_TRUE(member.macros);
  EXPECT_NE(find_finding(result.findings, "attachment.office-macro"), nullptr);
}

TEST(InspectDispatch, LnkInAZipReachesTheDropperAnalyser) {
  std::string lnk = read_file(corpus_path("lnkparse3/samples/microsoft_example.lnk"));
  Result result = inspect_bytes(make_zip({{"請求書.pdf.lnk", lnk}}), "請求書.zip", Options{});
  EXPECT_EQ(result.attachments[0].children.at(0).detected_type, "lnk");
  EXPECT_NE(find_finding(result.findings, "attachment.lnk"), nullptr);
  EXPECT_NE(find_finding(result.findings, "attachment.double-extension"), nullptr);
}

TEST(InspectDispatch, OneNoteIsDetectedAndAnalysed) {
  Result result = inspect_bytes(read_file(corpus_path("onenote_rs/New Section 1.one")),
                                "New Section 1.one", Options{});
  EXPECT_EQ(result.attachments[0].detected_type, "onenote");
  EXPECT_EQ(find_finding(result.findings, core::kParseCrashed), nullptr);
}

}  // namespace
}  // namespace emotriage::inspect
