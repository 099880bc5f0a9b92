// PST/OST: the MIME builder over the PropertySource interface the libpff reader implements (a
// property source held in memory stands in for a mailbox item, since nothing on Debian writes
// PST files), and libpff's errors on damaged and truncated files becoming findings.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>

#include "fixtures.hpp"
#include "mime/parser.hpp"
#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"
#include "outlook/properties.hpp"

namespace emotriage::outlook {
namespace {

using detail::PropertySource;
using office::test::utf16le;

// Properties in maps: fixed values by id, variable ones by (id, type).
class MemorySource final : public PropertySource {
 public:
  MemorySource& set(std::uint16_t id, std::uint64_t value) {
    fixed_[id] = value;
    return *this;
  }
  MemorySource& set(std::uint16_t id, std::uint16_t type, std::string value) {
    raw_[{id, type}] = std::move(value);
    return *this;
  }
  std::vector<std::shared_ptr<MemorySource>> recipients, attachments;
  std::shared_ptr<MemorySource> embedded;

  std::optional<std::uint64_t> fixed(std::uint16_t id) const override {
    const auto it = fixed_.find(id);
    return it == fixed_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<std::string> raw(std::uint16_t id, std::uint16_t type, std::uint64_t max_bytes,
                                 bool* complete) const override {
    const auto it = raw_.find({id, type});
    if (it == raw_.end()) return std::nullopt;
    if (complete != nullptr) *complete = it->second.size() <= max_bytes;
    return it->second.substr(0, max_bytes);
  }
  std::size_t recipient_count() const override { return recipients.size(); }
  std::unique_ptr<PropertySource> recipient(std::size_t index) const override {
    return std::make_unique<MemorySource>(*recipients.at(index));
  }
  std::size_t attachment_count() const override { return attachments.size(); }
  std::unique_ptr<PropertySource> attachment(std::size_t index) const override {
    return std::make_unique<MemorySource>(*attachments.at(index));
  }
  std::unique_ptr<PropertySource> embedded_message() const override {
    return embedded ? std::make_unique<MemorySource>(*embedded) : nullptr;
  }

 private:
  std::map<std::uint16_t, std::uint64_t> fixed_;
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::string> raw_;
};

core::Message parse(std::string_view mime_text) {
  mime::initialize();
  return mime::parse_message(mime_text, "box.pst#Inbox/1", core::Limits{});
}

// A mailbox item as libpff shows one: Unicode properties, an SMTP sender, a To and a Cc, a
// body, a file and a mail forwarded as an Outlook item.
MemorySource pst_item() {
  MemorySource message;
  message.set(0x0037, detail::kPtUnicode, utf16le(u"請求書の件"))
      .set(0x0C1A, detail::kPtUnicode, utf16le(u"山田 太郎"))
      .set(0x5D01, detail::kPtUnicode, utf16le(u"t.yamada@sample-shoji.example"))
      .set(0x1000, detail::kPtUnicode, utf16le(u"請求書を送ります。"))
      .set(0x0039, (1705314600ull + 11644473600ull) * 10000000ull);
  auto to = std::make_shared<MemorySource>();
  to->set(0x0C15, 1)
      .set(0x3001, detail::kPtUnicode, utf16le(u"取引先 花子"))
      .set(0x39FE, detail::kPtUnicode, utf16le(u"h@partner.example"));
  auto cc = std::make_shared<MemorySource>();
  cc->set(0x0C15, 2).set(0x3003, detail::kPtUnicode, utf16le(u"keiri@sample-shoji.example"));
  auto bcc = std::make_shared<MemorySource>();
  bcc->set(0x0C15, 3).set(0x3003, detail::kPtUnicode, utf16le(u"hidden@sample-shoji.example"));
  message.recipients = {to, cc, bcc};
  auto file = std::make_shared<MemorySource>();
  file->set(0x3707, detail::kPtUnicode, utf16le(u"請求書.doc"))
      .set(0x370E, detail::kPtUnicode, utf16le(u"application/msword"))
      .set(0x3701, detail::kPtBinary, "\xD0\xCF\x11\xE0 document bytes");
  auto item = std::make_shared<MemorySource>();
  item->embedded = std::make_shared<MemorySource>();
  item->embedded->set(0x0037, detail::kPtUnicode, utf16le(u"見積書"))
      .set(0x0C1A, detail::kPtUnicode, utf16le(u"佐藤 次郎"))
      .set(0x5D01, detail::kPtUnicode, utf16le(u"j.sato@other.example"));
  message.attachments = {file, item};
  return message;
}

TEST(PstItem, RebuiltLikeAMsg) {
  std::vector<core::Finding> findings;
  const std::string mime_text = detail::build_mime(pst_item(), core::Limits{}, &findings);
  EXPECT_TRUE(findings.empty());
  const core::Message message = parse(mime_text);
  EXPECT_EQ(message.envelope.subject, "請求書の件");
  ASSERT_EQ(message.envelope.from.size(), 1u);
  EXPECT_EQ(message.envelope.from[0].address, "t.yamada@sample-shoji.example");
  EXPECT_EQ(message.envelope.from[0].display_name, "山田 太郎");
  ASSERT_EQ(message.envelope.to.size(), 1u);
  EXPECT_EQ(message.envelope.to[0].address, "h@partner.example");
  ASSERT_EQ(message.envelope.cc.size(), 1u);
  EXPECT_EQ(mime_text.find("hidden@"), std::string::npos);  // Bcc is not in a sent mail
  EXPECT_NE(message.envelope.date.find("2024-01-15"), std::string::npos);
  bool body = false, file = false, forwarded = false;
  for (const auto& part : message.parts) {
    body |= part.content_type == "text/plain" && part.text.find("請求書を送ります") == 0;
    file |= part.is_attachment && part.filename == "請求書.doc" &&
            part.content == "\xD0\xCF\x11\xE0 document bytes";
    forwarded |= part.message != nullptr && part.message->subject == "見積書" &&
                 part.message->from.at(0).address == "j.sato@other.example";
  }
  EXPECT_TRUE(body);
  EXPECT_TRUE(file);
  EXPECT_TRUE(forwarded);
}

TEST(PstItem, AttachmentCapIsReported) {
  MemorySource message = pst_item();
  core::Limits limits;
  limits.member_bytes = 4;
  std::vector<core::Finding> findings;
  detail::build_mime(message, limits, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, core::kParseLimitExceeded);
}

std::vector<PstItem> read_memory(std::string_view bytes) {
  std::vector<PstItem> items;
  read_pst_memory(bytes, core::Limits{}, [&](PstItem&& item) { items.push_back(std::move(item)); });
  return items;
}

// The first 512 bytes of a Unicode PST header (MS-PST 2.2.2.6): magic, client magic "SM",
// version 23; everything else, CRCs included, left zero.
std::string unicode_header() {
  std::string header(512, '\0');
  header.replace(0, 4, "!BDN");
  header.replace(8, 2, "SM");
  header[10] = 23;
  header[12] = 19;
  header[14] = 1;
  header[15] = 1;
  return header;
}

TEST(Pst, SignatureIsByContent) {
  EXPECT_TRUE(is_pst("!BDN\x01\x02"));
  EXPECT_FALSE(is_pst("!BD"));
  EXPECT_FALSE(is_pst("\xD0\xCF\x11\xE0"));
}

TEST(Pst, DamagedFileIsAFindingNotACrash) {
  for (const std::string& bytes :
       {std::string("!BDN"), unicode_header(), unicode_header() + std::string(8192, '\xFF')}) {
    const std::vector<PstItem> items = read_memory(bytes);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].location, "");
    EXPECT_TRUE(items[0].mime.empty());
    ASSERT_EQ(items[0].findings.size(), 1u);
    EXPECT_EQ(items[0].findings[0].id, core::kParseMalformed);
    EXPECT_NE(items[0].findings[0].evidence.find("libpff"), std::string::npos)
        << items[0].findings[0].evidence;
  }
}

TEST(Pst, RandomDamageNeverCrashes) {
  std::mt19937 random(20260105);
  std::string base = unicode_header() + std::string(64u << 10, '\0');
  for (int round = 0; round < 200; ++round) {
    std::string bytes = base;
    for (int flips = 0; flips < 64; ++flips) {
      bytes[4 + random() % (bytes.size() - 4)] = static_cast<char>(random());
    }
    bytes.resize(4 + random() % bytes.size());
    const std::vector<PstItem> items = read_memory(bytes);
    ASSERT_FALSE(items.empty());
    for (const auto& item : items) {
      if (item.mime.empty() && !item.not_mail) {
        EXPECT_FALSE(item.findings.empty());
      }
    }
  }
}

TEST(Pst, MissingFileIsAFinding) {
  std::vector<PstItem> items;
  read_pst_file("/nonexistent/box.pst", core::Limits{},
                [&](PstItem&& item) { items.push_back(std::move(item)); });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].findings.at(0).id, core::kParseMalformed);
}

// The total of the progress bar: a mailbox written at test time (tests/tools/eml_to_pst.py) in
// nested folders; the folders' counts must give the number of items the walk then visits.
TEST(Pst, ItemCountIsWhatTheWalkVisits) {
  const std::filesystem::path incidents =
      std::filesystem::path(EMOTRIAGE_SOURCE_DIR) / "examples/incidents";
  std::vector<std::string> emls;
  for (const auto& entry : std::filesystem::directory_iterator(incidents)) {
    if (entry.path().extension() == ".eml") emls.push_back(entry.path().string());
  }
  std::ranges::sort(emls);
  ASSERT_GE(emls.size(), 6u);
  const std::string pst = (std::filesystem::temp_directory_path() /
                           ("emotriage-pst-count-" + std::to_string(::getpid()) + ".pst"))
                              .string();
  const char* folders[] = {"Inbox", "Inbox/Sub", "Sent Items", "取引先/見積"};
  std::string command = std::string(EMOTRIAGE_PYTHON) + " " + EMOTRIAGE_SOURCE_DIR +
                        "/tests/tools/eml_to_pst.py '" + pst + "'";
  for (std::size_t i = 0; i < emls.size(); ++i) {
    command += std::string(" '") + folders[i % std::size(folders)] + "=" + emls[i] + "'";
  }
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  std::vector<PstItem> items;
  read_pst_file(pst, core::Limits{}, [&](PstItem&& item) { items.push_back(std::move(item)); });
  const auto count = pst_item_count(pst);
  std::filesystem::remove(pst);
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, emls.size());
  std::uint64_t messages = 0;
  for (const auto& item : items) {
    if (item.mime.empty()) continue;
    ++messages;
    EXPECT_EQ(item.walked, messages) << item.location;  // items walked so far, this one included
  }
  EXPECT_EQ(messages, *count);
  EXPECT_FALSE(pst_item_count("/nonexistent/box.pst"));
}

}  // namespace
}  // namespace emotriage::outlook
