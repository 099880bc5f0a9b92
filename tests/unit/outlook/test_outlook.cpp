// .msg rebuilt from a compound file written at test time (CP932 ANSI and Unicode properties,
// recipients, attachments, an embedded message), compressed RTF, and the TNEF reader's bounds.
#include <gtest/gtest.h>

#include "core/hash.hpp"
#include "fixtures.hpp"
#include "mime/parser.hpp"
#include "outlook/detail.hpp"
#include "outlook/outlook.hpp"

namespace emotriage::outlook {
namespace {

using office::test::le32;
using office::test::make_cfb;
using office::test::utf16le;
using Streams = std::vector<std::pair<std::string, std::string>>;

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// CP932 bytes of the Japanese texts (checked with Python's cp932 codec).
const std::string kSubjectCp932 = from_hex("90bf8b818f9182cc8c8f");      // 請求書の件
const std::string kSenderCp932 = from_hex("8e5293632091be9859");         // 山田 太郎
const std::string kFilenameCp932 = from_hex("90bf8b818f912e646f63");     // 請求書.doc
const std::string kRecipientCp932 = from_hex("8ee688f890e62089d48e71");  // 取引先 花子
const std::string kBodyCp932 =
    from_hex("967b95b682c582b781429359957482f082b28a6d944682ad82be82b382a28142");
const std::string kAttachment = "\xD0\xCF\x11\xE0 not really a document";

// One property stream entry (MS-OXMSG 2.4.2): tag, flags, value or size.
std::string entry(std::uint16_t id, std::uint16_t type, std::uint64_t value) {
  return le32((std::uint32_t{id} << 16) | type) + le32(6) +
         le32(static_cast<std::uint32_t>(value)) + le32(static_cast<std::uint32_t>(value >> 32));
}

std::string substg(std::string_view prefix, std::uint16_t id, std::uint16_t type) {
  char name[32];
  std::snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
  return std::string(prefix) + name;
}

// Adds a variable-size property: its stream and its entry.
void add(Streams& streams, std::string& properties, std::string_view prefix, std::uint16_t id,
         std::uint16_t type, std::string value) {
  properties += entry(id, type, value.size());
  streams.emplace_back(substg(prefix, id, type), std::move(value));
}

// 2024-01-15 10:30:00 UTC as a FILETIME.
constexpr std::uint64_t kSubmitTime = (1705314600ull + 11644473600ull) * 10000000ull;

Streams japanese_msg() {
  Streams streams;
  std::string top(32, '\0');
  top += entry(0x3FFD, detail::kPtLong, 932);
  top += entry(0x0039, detail::kPtSystime, kSubmitTime);
  add(streams, top, "", 0x0037, detail::kPtString8, kSubjectCp932);
  add(streams, top, "", 0x0C1A, detail::kPtString8, kSenderCp932);
  add(streams, top, "", 0x0C1E, detail::kPtString8, "SMTP");
  add(streams, top, "", 0x0C1F, detail::kPtString8, "t.yamada@sample-shoji.example");
  add(streams, top, "", 0x1000, detail::kPtString8, kBodyCp932);
  add(streams, top, "", 0x1035, detail::kPtString8, "<invoice-1@sample-shoji.example>");

  const std::string to = "__recip_version1.0_#00000000/";
  std::string to_props(8, '\0');
  to_props += entry(0x0C15, detail::kPtLong, 1);
  add(streams, to_props, to, 0x3001, detail::kPtString8, kRecipientCp932);
  add(streams, to_props, to, 0x3002, detail::kPtString8, "EX");
  add(streams, to_props, to, 0x3003, detail::kPtString8, "/O=PARTNER/OU=EXCHANGE/CN=HANAKO");
  add(streams, to_props, to, 0x39FE, detail::kPtUnicode, utf16le(u"h.torihiki@partner.example"));
  streams.emplace_back(to + "__properties_version1.0", to_props);

  const std::string cc = "__recip_version1.0_#00000001/";
  std::string cc_props(8, '\0');
  cc_props += entry(0x0C15, detail::kPtLong, 2);
  add(streams, cc_props, cc, 0x3001, detail::kPtUnicode, utf16le(u"経理部"));
  add(streams, cc_props, cc, 0x3003, detail::kPtUnicode, utf16le(u"keiri@sample-shoji.example"));
  streams.emplace_back(cc + "__properties_version1.0", cc_props);

  const std::string file = "__attach_version1.0_#00000000/";
  std::string file_props(8, '\0');
  file_props += entry(0x3705, detail::kPtLong, 1);
  add(streams, file_props, file, 0x3707, detail::kPtString8, kFilenameCp932);
  add(streams, file_props, file, 0x370E, detail::kPtString8, "application/msword");
  add(streams, file_props, file, 0x3701, detail::kPtBinary, kAttachment);
  streams.emplace_back(file + "__properties_version1.0", file_props);

  // A forwarded mail attached as an Outlook item, with Unicode properties.
  const std::string item = "__attach_version1.0_#00000001/";
  std::string item_props(8, '\0');
  item_props += entry(0x3705, detail::kPtLong, 5);
  add(streams, item_props, item, 0x3001, detail::kPtUnicode, utf16le(u"転送: 見積書"));
  item_props += entry(0x3701, detail::kPtObject, 0);
  streams.emplace_back(item + "__properties_version1.0", item_props);
  const std::string inner = item + "__substg1.0_3701000D/";
  std::string inner_props(24, '\0');
  add(streams, inner_props, inner, 0x0037, detail::kPtUnicode, utf16le(u"見積書"));
  add(streams, inner_props, inner, 0x0C1A, detail::kPtUnicode, utf16le(u"佐藤 次郎"));
  add(streams, inner_props, inner, 0x5D01, detail::kPtUnicode, utf16le(u"j.sato@other.example"));
  add(streams, inner_props, inner, 0x1000, detail::kPtUnicode, utf16le(u"見積書を送ります"));
  streams.emplace_back(inner + "__properties_version1.0", inner_props);

  streams.emplace_back("__properties_version1.0", top);
  return streams;
}

core::Message parse(std::string_view mime_text) {
  mime::initialize();
  return mime::parse_message(mime_text, "test.msg", core::Limits{});
}

TEST(MsgToMime, RebuildsJapaneseAnsiMessage) {
  const std::string msg = make_cfb(japanese_msg());
  std::vector<core::Finding> findings;
  auto mime_text = msg_to_mime(msg, core::Limits{}, &findings);
  ASSERT_TRUE(mime_text) << mime_text.error();
  EXPECT_TRUE(findings.empty());
  const core::Message message = parse(*mime_text);
  EXPECT_EQ(message.envelope.subject, "請求書の件");
  ASSERT_EQ(message.envelope.from.size(), 1u);
  EXPECT_EQ(message.envelope.from[0].display_name, "山田 太郎");
  EXPECT_EQ(message.envelope.from[0].address, "t.yamada@sample-shoji.example");
  ASSERT_EQ(message.envelope.to.size(), 1u);
  EXPECT_EQ(message.envelope.to[0].display_name, "取引先 花子");
  // The SMTP address wins over the Exchange DN.
  EXPECT_EQ(message.envelope.to[0].address, "h.torihiki@partner.example");
  ASSERT_EQ(message.envelope.cc.size(), 1u);
  EXPECT_EQ(message.envelope.cc[0].display_name, "経理部");
  EXPECT_EQ(message.envelope.date, "2024-01-15T10:30:00+00:00");
  EXPECT_EQ(message.envelope.message_id, "<invoice-1@sample-shoji.example>");

  const core::Part* body = nullptr;
  const core::Part* document = nullptr;
  const core::Part* forwarded = nullptr;
  for (const auto& part : message.parts) {
    if (part.content_type == "text/plain" && body == nullptr) body = &part;
    if (part.filename == "請求書.doc") document = &part;
    if (part.content_type == "message/rfc822") forwarded = &part;
  }
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->text, "本文です。添付をご確認ください。");
  ASSERT_NE(document, nullptr);
  EXPECT_EQ(document->content_type, "application/msword");
  EXPECT_EQ(document->sha256, core::sha256_hex(kAttachment));
  ASSERT_NE(forwarded, nullptr);
  ASSERT_NE(forwarded->message, nullptr);
  EXPECT_EQ(forwarded->message->subject, "見積書");
  ASSERT_EQ(forwarded->message->from.size(), 1u);
  EXPECT_EQ(forwarded->message->from[0].address, "j.sato@other.example");
}

TEST(MsgToMime, SameMailAsEmlGivesSameFacts) {
  const std::string eml =
      "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <t.yamada@sample-shoji.example>\r\n"
      "To: h.torihiki@partner.example\r\n"
      "Subject: =?ISO-2022-JP?B?GyRCQEE1YT1xJE43bxsoQg==?=\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\nbody\r\n"
      "--b\r\nContent-Type: application/msword\r\nContent-Transfer-Encoding: base64\r\n"
      "Content-Disposition: attachment; "
      "filename*=iso-2022-jp''%1B%24B%40A5a%3Dq%1B%28B.doc\r\n\r\n" +
      detail::base64_lines(kAttachment) + "--b--\r\n";
  const core::Message from_eml = parse(eml);
  auto mime_text = msg_to_mime(make_cfb(japanese_msg()), core::Limits{});
  ASSERT_TRUE(mime_text);
  const core::Message from_msg = parse(*mime_text);
  EXPECT_EQ(from_msg.envelope.subject, from_eml.envelope.subject);
  ASSERT_EQ(from_eml.envelope.from.size(), 1u);
  EXPECT_EQ(from_msg.envelope.from, from_eml.envelope.from);
  auto attachments = [](const core::Message& m) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& part : m.parts) {
      if (part.is_attachment && part.content_type != "message/rfc822" && part.parent >= -1 &&
          !part.filename.empty() && part.path.find('.') == std::string::npos) {
        out.emplace_back(part.filename, part.sha256);
      }
    }
    return out;
  };
  EXPECT_EQ(attachments(from_msg), attachments(from_eml));
  EXPECT_EQ(attachments(from_eml).size(), 1u);
}

// A .msg with transport headers, a subject property and a plain body "hello", rebuilt as MIME.
std::string rebuilt_with_transport_headers(std::u16string_view headers,
                                           std::u16string_view subject) {
  Streams streams;
  std::string top(32, '\0');
  add(streams, top, "", 0x007D, detail::kPtUnicode, utf16le(headers));
  add(streams, top, "", 0x0037, detail::kPtUnicode, utf16le(subject));
  add(streams, top, "", 0x1000, detail::kPtUnicode, utf16le(u"hello"));
  streams.emplace_back("__properties_version1.0", top);
  auto mime_text = msg_to_mime(make_cfb(streams), core::Limits{});
  EXPECT_TRUE(mime_text);
  return mime_text.value_or("");
}

TEST(MsgToMime, TransportHeadersWinAndLoseTheirContentLines) {
  const std::string mime_text = rebuilt_with_transport_headers(
      u"Received: from mx.partner.example\r\n\tby mail.sample-shoji.example\r\n"
      u"From: Partner <a@partner.example>\r\nSubject: =?UTF-8?B?6KuL5rGC5pu4?=\r\n"
      u"Content-Type: multipart/mixed;\r\n boundary=\"gone\"\r\nMIME-Version: 1.0\r\n\r\n",
      u"not used");
  EXPECT_EQ(mime_text.find("gone"), std::string::npos);
  const core::Message message = parse(mime_text);
  EXPECT_EQ(message.envelope.subject, "請求書");
  ASSERT_EQ(message.envelope.received.size(), 1u);
  ASSERT_FALSE(message.parts.empty());
  EXPECT_EQ(message.parts[0].text, "hello");
}

// Found by the .msg fuzzer: a damaged file whose transport-header property is junk that holds a
// colon somewhere. Kept as headers it left the rebuilt text without a header block (no parts at
// all); junk lines are not headers, so the headers come from the properties instead.
TEST(MsgToMime, JunkTransportHeadersFallBackToProperties) {
  const std::string mime_text = rebuilt_with_transport_headers(
      u"\u1177\u3ca0\u4421 PUB:LIC \u5750\r\n\u03c0 x: y\r\n : no name\r\n", u"請求書");
  EXPECT_EQ(mime_text.find("PUB:LIC"), std::string::npos);
  const core::Message message = parse(mime_text);
  EXPECT_EQ(message.envelope.subject, "請求書");
  ASSERT_FALSE(message.parts.empty());
  EXPECT_EQ(message.parts[0].text, "hello");
}

TEST(MsgToMime, OversizedAttachmentIsCutWithAFinding) {
  Streams streams;
  std::string top(32, '\0');
  const std::string file = "__attach_version1.0_#00000000/";
  std::string file_props(8, '\0');
  add(streams, file_props, file, 0x3707, detail::kPtUnicode, utf16le(u"big.bin"));
  add(streams, file_props, file, 0x3701, detail::kPtBinary, std::string(20000, 'x'));
  streams.emplace_back(file + "__properties_version1.0", file_props);
  streams.emplace_back("__properties_version1.0", top);
  core::Limits limits;
  limits.member_bytes = 4096;
  std::vector<core::Finding> findings;
  auto mime_text = msg_to_mime(make_cfb(streams), limits, &findings);
  ASSERT_TRUE(mime_text);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, core::kParseLimitExceeded);
  const core::Message message = parse(*mime_text);
  bool found = false;
  for (const auto& part : message.parts) {
    if (part.filename == "big.bin") {
      found = true;
      EXPECT_EQ(part.decoded_size, 4096u);
    }
  }
  EXPECT_TRUE(found);
}

// A .msg with only the given top-level properties (strings as UTF-16), rebuilt and parsed.
core::Message rebuilt(const std::vector<std::pair<std::uint16_t, std::string>>& unicode,
                      const std::vector<std::pair<std::uint16_t, std::string>>& binary = {}) {
  Streams streams;
  std::string top(32, '\0');
  for (const auto& [id, value] : unicode) add(streams, top, "", id, detail::kPtUnicode, value);
  for (const auto& [id, value] : binary) add(streams, top, "", id, detail::kPtBinary, value);
  streams.emplace_back("__properties_version1.0", top);
  auto mime_text = msg_to_mime(make_cfb(streams), core::Limits{});
  EXPECT_TRUE(mime_text);
  return parse(mime_text.value_or(""));
}

// PR_RTF_COMPRESSED in its stored ("MELA", uncompressed) form.
std::string stored_rtf(std::string_view rtf) {
  return le32(static_cast<std::uint32_t>(rtf.size() + 12)) +
         le32(static_cast<std::uint32_t>(rtf.size())) + "MELA" + le32(0) + std::string(rtf);
}

// Outlook often keeps only the RTF body: its text (or the HTML it encapsulates) is the body.
TEST(MsgToMime, RtfOnlyBodyBecomesTheText) {
  const core::Message text = rebuilt(
      {{0x0037, utf16le(u"請求書")}},
      {{0x1009, stored_rtf("{\\rtf1\\ansi\\fromtext Click http://evil.example/a\\par now}")}});
  ASSERT_FALSE(text.parts.empty());
  EXPECT_EQ(text.parts[0].content_type, "text/plain");
  EXPECT_NE(text.parts[0].text.find("Click http://evil.example/a"), std::string::npos);

  const core::Message html =
      rebuilt({}, {{0x1009, stored_rtf("{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag19 <html>}"
                                       "{\\*\\htmltag84 <a href=\"http://evil.example/b\">}x"
                                       "{\\*\\htmltag92 </a>}{\\*\\htmltag27 </html>}}")}});
  ASSERT_FALSE(html.parts.empty());
  EXPECT_EQ(html.parts[0].content_type, "text/html");
  ASSERT_EQ(html.parts[0].links.size(), 1u);
  EXPECT_EQ(html.parts[0].links[0], "http://evil.example/b");
}

// A sender known only in Exchange form (an X.500 DN, no SMTP address): the name is kept, the DN
// is not passed off as a mail address and stays visible in its own header.
TEST(MsgToMime, ExchangeOnlySenderKeepsNameAndDn) {
  const core::Message message = rebuilt(
      {{0x0C1A, utf16le(u"Kevin Roast")},
       {0x0C1E, utf16le(u"EX")},
       {0x0C1F, utf16le(u"/O=EXCHANGE/OU=FIRST ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=KEVIN")},
       {0x1000, utf16le(u"hello")}});
  ASSERT_EQ(message.envelope.from.size(), 1u);
  EXPECT_EQ(message.envelope.from[0].display_name, "Kevin Roast");
  EXPECT_EQ(message.envelope.from[0].address, "");
  bool dn = false;
  for (const auto& header : message.envelope.headers) {
    dn = dn || (header.name == "X-Outlook-Sender-Exchange-DN" &&
                header.value.find("CN=KEVIN") != std::string::npos);
  }
  EXPECT_TRUE(dn);
}

// Found in review: any compound file holding the property stream's name anywhere passed for a
// message, so a macro document dressed up that way was split off as an unreadable "mail" and its
// macros never inspected. A message file has the stream at its root and no document streams.
TEST(MessageFile, OnlyAnOutlookMessageIsOne) {
  EXPECT_TRUE(is_message_file(make_cfb(japanese_msg())));
  EXPECT_FALSE(is_message_file(make_cfb({{"WordDocument", std::string(100, 'w')}})));
  EXPECT_FALSE(is_message_file(make_cfb({{"__properties_version1.0", std::string(32, '\0')},
                                         {"WordDocument", std::string(100, 'w')},
                                         {"Macros/VBA/dir", std::string(10, 'v')}})));
  std::string doc = make_cfb({{"WordDocument", std::string(100, 'w')}});
  doc += utf16le(u"__properties_version1.0");
  EXPECT_FALSE(is_message_file(doc));
  EXPECT_FALSE(is_message_file("From: a@b\r\n\r\nx"));
}

// Found in review: the boundary was looked for one candidate at a time over every part, so part
// names holding many candidates made the rebuild quadratic. One pass now, and never a clash.
TEST(MimeWriter, BoundaryAvoidsEveryCandidateInOnePass) {
  EXPECT_NE(detail::multipart("mixed", {"plain text"}, 0).find("boundary=\"=_emotriage_0_0\""),
            std::string::npos);
  const std::vector<std::string> parts = {"x =_emotriage_0_0 y", "=_emotriage_0_123z",
                                          "=_emotriage_1_99999 other depth"};
  const std::string out = detail::multipart("mixed", parts, 0);
  EXPECT_NE(out.find("boundary=\"=_emotriage_0_0000\""), std::string::npos);
  std::string hostile;
  for (int i = 0; i < 20000; ++i) hostile += "=_emotriage_0_" + std::to_string(i) + " ";
  const std::string many = detail::multipart("mixed", {hostile, hostile}, 0);
  EXPECT_NE(many.find("boundary=\"=_emotriage_0_000000\""), std::string::npos);
}

TEST(MsgToMime, RejectsWhatIsNotAMessage) {
  EXPECT_FALSE(msg_to_mime("From: a@b\r\n\r\nx", core::Limits{}));
  EXPECT_FALSE(msg_to_mime(make_cfb({{"WordDocument", std::string(100, 'w')}}), core::Limits{}));
}

// LZFu decompression is checked byte for byte against POI's extraction of quick-winmail.dat
// (test_corpus.cpp); here the header cases.
TEST(CompressedRtf, HeaderTypesAndCaps) {
  const std::string rtf = "{\\rtf1\\ansi hello}";
  const std::string stored = le32(static_cast<std::uint32_t>(rtf.size() + 12)) +
                             le32(static_cast<std::uint32_t>(rtf.size())) + "MELA" + le32(0) + rtf;
  EXPECT_EQ(detail::decompress_rtf(stored, 1u << 20).value(), rtf);
  EXPECT_EQ(detail::decompress_rtf(stored, 5).value(), rtf.substr(0, 5));
  EXPECT_FALSE(detail::decompress_rtf("short", 100));
  EXPECT_FALSE(detail::decompress_rtf(le32(20) + le32(4) + "ABCD" + le32(0) + "xxxx", 100));
  // A reference to the write position ends the stream: nothing after it is read.
  const std::string ended = le32(16) + le32(100) + "LZFu" + le32(0) + "\x01\x0c\xf0" + "zz";
  EXPECT_EQ(detail::decompress_rtf(ended, 100).value(), "");
}

TEST(RtfBody, DeEncapsulatesHtmlAndDecodesCodePage) {
  const std::string rtf =
      "{\\rtf1\\ansi\\ansicpg932\\fromhtml1 {\\fonttbl{\\f0 MS Gothic;}}"
      "{\\*\\htmltag19 <html>}{\\*\\htmltag2 \\par }\\htmlrtf {\\b RTF only}\\htmlrtf0 "
      "\\'90\\'bf\\'8b\\'81{\\*\\htmltag84 <br>}\\htmlrtf \\par \\htmlrtf0 "
      "\\u26360?{\\*\\htmltag27 </html>}}";
  const detail::RtfBody body = detail::rtf_to_body(rtf, 1u << 20);
  EXPECT_TRUE(body.html);
  EXPECT_EQ(body.text, "<html>\r\n請求<br>書</html>");

  const detail::RtfBody text =
      detail::rtf_to_body("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}Hello\\par world\\tab!}", 1000);
  EXPECT_FALSE(text.html);
  EXPECT_EQ(text.text, "Hello\r\nworld\t!");
}

TEST(RtfBody, DeepNestingIsBounded) {
  const std::string rtf = "{\\rtf1 " + std::string(100000, '{') + "x" + std::string(100000, '}');
  EXPECT_EQ(detail::rtf_to_body(rtf, 1000).text, "x");
}

TEST(Tnef, RejectsOtherBytesAndSurvivesDamage) {
  EXPECT_FALSE(tnef_extract("PK\x03\x04", core::Limits{}));
  EXPECT_FALSE(is_tnef("\x78\x9f\x3e"));
  // Signature, key, then one attribute whose length runs past the end.
  const std::string damaged = le32(0x223E9F78) + std::string("\x01\x00", 2) + "\x02" +
                              le32(0x00069002) + le32(0x7FFFFFFF) + "xx";
  auto files = tnef_extract(damaged, core::Limits{});
  ASSERT_TRUE(files);
  EXPECT_TRUE(files->empty());
}

}  // namespace
}  // namespace emotriage::outlook
