// The real Outlook files of the shared corpus. Expected values come from outside this project:
// the attachment counts from the corpus INDEX.tsv (an olefile scan), subjects and senders from
// Apache POI's and msg-extractor's expected outputs, TNEF file lists from the *.list files and
// POI's quick-contents/ (the files extracted from quick-winmail.dat).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mime/parser.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::outlook {
namespace {

namespace fs = std::filesystem;
const fs::path kCorpus = EMOTRIAGE_CORPUS_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

core::Message parse_msg(const std::string& relative) {
  const std::string bytes = slurp(kCorpus / relative);
  EXPECT_FALSE(bytes.empty()) << relative;
  auto mime_text = msg_to_mime(bytes, core::Limits{});
  EXPECT_TRUE(mime_text) << relative << ": " << (mime_text ? "" : mime_text.error());
  mime::initialize();
  return mime::parse_message(mime_text ? *mime_text : std::string(), relative, core::Limits{});
}

// Top-level attachments: children of the root that are files or attached messages.
std::vector<std::string> attachment_names(const core::Message& message) {
  std::vector<std::string> names;
  for (const auto& part : message.parts) {
    const bool top = part.parent == 0 && message.parts[0].is_multipart;
    if (top && (part.is_attachment || part.content_type == "message/rfc822") &&
        part.content_type.rfind("multipart/", 0) != 0) {
      names.push_back(part.filename);
    }
  }
  return names;
}

TEST(OutlookCorpus, AttachmentCountsMatchTheIndex) {
  const std::pair<const char*, std::size_t> files[] = {
      {"spamscope_mail_parser/mail_outlook_1", 5},
      {"msg_extractor/unicode.msg", 2},
      {"apache_poi/hsmf/58214_with_attachment.msg", 1},
      {"apache_poi/hsmf/attachment_msg_inlineImg.msg", 4},
      {"apache_poi/hsmf/attachment_msg_pdf.msg", 2},
      {"apache_poi/hsmf/attachment_test_msg.msg", 2},
      {"apache_poi/hsmf/example_received_regular.msg", 1},
      {"apache_poi/hsmf/example_received_unicode.msg", 1},
      {"apache_poi/hsmf/example_sent_regular.msg", 1},
      {"apache_poi/hsmf/example_sent_unicode.msg", 1},
      {"apache_poi/hsmf/logsat.com_signatures_valid.msg", 1},
      {"apache_poi/hsmf/lots-of-recipients.msg", 1},
      {"apache_poi/hsmf/no_recipient_address.msg", 11},
      {"apache_poi/hsmf/quick.msg", 0},
      {"apache_poi/hsmf/blank.msg", 0},
  };
  for (const auto& [file, count] : files) {
    EXPECT_EQ(attachment_names(parse_msg(file)).size(), count) << file;
  }
}

TEST(OutlookCorpus, PoiSubjectsSendersAndAttachments) {
  const core::Message quick = parse_msg("apache_poi/hsmf/quick.msg");
  EXPECT_EQ(quick.envelope.subject, "Test the content transformer");
  ASSERT_EQ(quick.envelope.from.size(), 1u);
  EXPECT_EQ(quick.envelope.from[0].display_name, "Kevin Roast");
  ASSERT_EQ(quick.envelope.to.size(), 1u);
  EXPECT_EQ(quick.envelope.to[0].address, "kevin.roast@alfresco.org");

  const core::Message simple = parse_msg("apache_poi/hsmf/simple_test_msg.msg");
  EXPECT_EQ(simple.envelope.subject, "test message");
  ASSERT_EQ(simple.envelope.from.size(), 1u);
  EXPECT_EQ(simple.envelope.from[0].display_name, "Travis Ferguson");

  // POI TestFileWithAttachmentsRead: long names, 24064 and 89 bytes.
  const core::Message attached = parse_msg("apache_poi/hsmf/attachment_test_msg.msg");
  EXPECT_EQ(attachment_names(attached), (std::vector<std::string>{"test-unicode.doc", "pj1.txt"}));
  for (const auto& part : attached.parts) {
    if (part.filename == "test-unicode.doc") {
      EXPECT_EQ(part.decoded_size, 24064u);
    }
    if (part.filename == "pj1.txt") {
      EXPECT_EQ(part.decoded_size, 89u);
    }
  }

  // Code pages: CP1251 ANSI strings, and a CP1252 subject under a wrong UTF-8 PR_INTERNET_CPID.
  EXPECT_EQ(parse_msg("apache_poi/hsmf/ASCII_CP1251_LCID1049.msg").envelope.subject,
            "Subject автоматически Subject");
  EXPECT_EQ(parse_msg("apache_poi/hsmf/ASCII_UTF-8_CP1252_LCID1031.msg").envelope.subject,
            "Subject öäü Subject");
  EXPECT_EQ(parse_msg("apache_poi/hsmf/chinese-traditional.msg").envelope.subject,
            "Alfresco MSG format testing ( MSG 格式測試 )");

  // An attached Outlook item becomes message/rfc822 with its own subject.
  const core::Message with_item = parse_msg("apache_poi/hsmf/58214_with_attachment.msg");
  bool found = false;
  for (const auto& part : with_item.parts) {
    if (part.content_type == "message/rfc822" && part.message) {
      found = true;
      EXPECT_EQ(part.message->subject, "Test mail attachment");
    }
  }
  EXPECT_TRUE(found);
}

TEST(OutlookCorpus, MsgExtractorExpectedOutputs) {
  // expected-outputs/2013-11-18_0026 Test for TIF files/message.text
  const core::Message tif = parse_msg("msg_extractor/unicode.msg");
  EXPECT_EQ(tif.envelope.subject, "Test for TIF files");
  ASSERT_EQ(tif.envelope.from.size(), 1u);
  EXPECT_EQ(tif.envelope.from[0].display_name, "Brian Zhou");
  EXPECT_EQ(tif.envelope.date, "2013-11-18T10:26:24+02:00");  // 00:26:24 GMT in the expected text
  EXPECT_EQ(attachment_names(tif),
            (std::vector<std::string>{"import OleFileIO.tif", "raised value error.tif"}));
  bool body_found = false;
  for (const auto& part : tif.parts) {
    if (part.content_type == "text/plain" &&
        part.text.find("experiment with the MS Outlook MSG Extractor") != std::string::npos) {
      body_found = true;
    }
  }
  EXPECT_TRUE(body_found);

  // expected-outputs/2016-02-23_0657 MSG Test File/message.text
  const core::Message strange = parse_msg("msg_extractor/strangeDate.msg");
  EXPECT_EQ(strange.envelope.subject, "MSG Test File");
  ASSERT_EQ(strange.envelope.to.size(), 1u);
  EXPECT_EQ(strange.envelope.to[0].address, "time2talk@online-convert.com");
}

TEST(OutlookCorpus, EveryOutlookFileConvertsOrFailsCleanly) {
  std::size_t converted = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "apache_poi/hsmf")) {
    auto mime_text = msg_to_mime(slurp(entry.path()), core::Limits{});
    if (mime_text) ++converted;
  }
  EXPECT_EQ(converted, 41u);
}

std::vector<std::string> tnef_names(const fs::path& path) {
  auto files = tnef_extract(slurp(path), core::Limits{});
  EXPECT_TRUE(files) << path;
  std::vector<std::string> names;
  if (files) {
    for (const auto& file : *files) names.push_back(file.name);
  }
  return names;
}

std::vector<std::string> list_file(const fs::path& path) {
  std::vector<std::string> names;
  std::istringstream in(slurp(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

TEST(OutlookCorpus, TnefFileListsMatch) {
  // The lists name attachments by their long names and the body as the `tnef` tool saves it.
  // Left out: christmas, winmail, long-filename and missing-filenames (the tool names data-less
  // or OLE attachments "Untitled Attachment" or skips 8.3-only names; we name them and keep them).
  for (const char* name :
       {"MAPI_ATTACH_DATA_OBJ", "MAPI_OBJECT", "attachments", "body", "data-before-name",
        "garbage-at-end", "multi-name-property", "multi-value-attribute", "one-file", "panic",
        "rtf", "triples", "two-files", "unicode-mapi-attr", "unicode-mapi-attr-name"}) {
    const fs::path dir = kCorpus / "mimekit/tnef";
    std::vector<std::string> expected = list_file(dir / (std::string(name) + ".list"));
    std::vector<std::string> actual = tnef_names(dir / (std::string(name) + ".tnef"));
    // Two lists omit the HTML body the stream carries.
    if (std::ranges::find(expected, "body.html") == expected.end()) std::erase(actual, "body.html");
    std::ranges::sort(expected);
    std::ranges::sort(actual);
    EXPECT_EQ(actual, expected) << name;
  }
}

TEST(OutlookCorpus, TnefQuickWinmailMatchesPoiExtractedFiles) {
  const fs::path hmef = kCorpus / "apache_poi/hmef";
  auto files = tnef_extract(slurp(hmef / "quick-winmail.dat"), core::Limits{});
  ASSERT_TRUE(files);
  ASSERT_EQ(files->size(), 6u);
  for (const auto& file : *files) {
    const std::string expected_name = file.name == "body.rtf" ? "message.rtf" : file.name;
    EXPECT_EQ(file.bytes, slurp(hmef / "quick-contents" / expected_name)) << file.name;
  }
}

}  // namespace
}  // namespace emotriage::outlook
