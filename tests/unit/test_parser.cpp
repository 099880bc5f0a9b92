// The whole-message parse on small hand-written mails, including every real-world breakage the
// corpus tests found (each reproduced here in a few lines).
#include <gtest/gtest.h>

#include <string>

#include "core/hash.hpp"
#include "growth.hpp"
#include "mime/parser.hpp"

namespace emotriage::mime {
namespace {

core::Message parse(std::string_view raw) {
  return parse_message(raw, "test.eml", core::Limits{});
}

bool has_finding(const core::Message& message, std::string_view id) {
  for (const auto& finding : message.findings) {
    if (finding.id == id) return true;
  }
  return false;
}

const core::Part* first_attachment(const core::Message& message) {
  for (const auto& part : message.parts) {
    if (part.is_attachment) return &part;
  }
  return nullptr;
}

TEST(Parser, HeadersAndTextBody) {
  auto message = parse(
      "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQiAbJEJCQE86GyhC?= <t.yamada@example.jp>\n"
      "To: a@example.jp, \"B\" <b@example.jp>\n"
      "Subject: =?UTF-8?B?6KuL5rGC5pu4?=\n"
      "Date: Mon, 5 Jan 2026 09:12:00 +0900\n"
      "Message-ID: <x@example.jp>\n"
      "Content-Type: text/plain; charset=utf-8\n\n"
      "本文\r\n");
  EXPECT_EQ(message.envelope.subject, "請求書");
  ASSERT_EQ(message.envelope.from.size(), 1u);
  EXPECT_EQ(message.envelope.from[0].display_name, "山田 太郎");
  EXPECT_EQ(message.envelope.to.size(), 2u);
  EXPECT_EQ(message.envelope.date, "2026-01-05T09:12:00+09:00");
  EXPECT_EQ(message.envelope.message_id, "<x@example.jp>");
  ASSERT_EQ(message.parts.size(), 1u);
  EXPECT_EQ(message.parts[0].path, "1");
  EXPECT_EQ(message.parts[0].text, "本文\n");  // CRLF normalised
  EXPECT_FALSE(message.parts[0].is_attachment);
  EXPECT_TRUE(message.findings.empty());
}

TEST(Parser, PartPathsAndAttachedMessage) {
  auto message = parse(
      "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b1\n\n"
      "--b1\nContent-Type: text/plain\n\nhello\n"
      "--b1\nContent-Type: message/rfc822\n\n"
      "From: inner@example.jp\nSubject: inner\nContent-Type: multipart/alternative; boundary=b2\n\n"
      "--b2\nContent-Type: text/plain\n\nx\n--b2\nContent-Type: text/html\n\n<a "
      "href=\"http://h.example/\">y</a>\n--b2--\n"
      "--b1--\n");
  std::vector<std::string> paths;
  for (const auto& part : message.parts) paths.push_back(part.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"0", "1", "2", "2.0", "2.1", "2.2"}));
  ASSERT_TRUE(message.parts[2].message);
  EXPECT_EQ(message.parts[2].message->subject, "inner");
  EXPECT_EQ(message.parts[5].links, std::vector<std::string>{"http://h.example/"});
  EXPECT_EQ(message.parts[5].html_text, "y");
}

TEST(Parser, UnpaddedBase64KeepsEveryByte) {
  // GMime's own decoder drops the last bytes; a hash of the attachment would then be wrong.
  auto message = parse(
      "From: a@example.jp\nContent-Type: application/octet-stream\n"
      "Content-Transfer-Encoding: base64\n\nYWJjZA\n");
  const auto* part = first_attachment(message);
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->content, "abcd");
  EXPECT_EQ(part->sha256, core::sha256_hex("abcd"));
}

TEST(Parser, CrlfCloseDelimiterAtEndOfFile) {
  auto message = parse(
      "From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n"
      "Content-Type: application/octet-stream\r\n\r\nabc\r\n--XX--");
  const auto* part = first_attachment(message);
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->content, "abc");
}

TEST(Parser, LeadingBlankLineBeforeHeaders) {
  auto message = parse(" \nFrom: a@example.jp\nSubject: invoice\n\nbody\n");
  EXPECT_EQ(message.envelope.subject, "invoice");
  EXPECT_TRUE(has_finding(message, core::kParseMalformed));
}

TEST(Parser, UnterminatedBoundaryQuoteStillFindsParts) {
  // Real phishing hides its parts from strict parsers this way.
  auto message = parse(
      "From: a@example.jp\nContent-Type: multipart/mixed; boundary=\"XYZ\n\n"
      "--XYZ\nContent-Type: text/html\n\n<a href=\"http://198.51.100.7/x\">open</a>\n"
      "--XYZ\nContent-Type: application/zip; name=\"invoice.zip\"\n"
      "Content-Transfer-Encoding: base64\n\nUEsDBA==\n--XYZ--\n");
  const auto* part = first_attachment(message);
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->filename, "invoice.zip");
  EXPECT_TRUE(has_finding(message, core::kParseMalformed));
}

TEST(Parser, InvalidContentTypeIsTextPlain) {
  auto message = parse("From: a@example.jp\nContent-Type: text\n\nhello\n");
  ASSERT_EQ(message.parts.size(), 1u);
  EXPECT_EQ(message.parts[0].content_type, "text/plain");
  EXPECT_EQ(message.parts[0].text, "hello\n");
}

TEST(Parser, NoHeadersIsAFindingNotAFailure) {
  auto message = parse("");
  EXPECT_TRUE(has_finding(message, core::kParseMalformed));
  EXPECT_TRUE(message.parts.empty());
}

TEST(Parser, PartCountLimitReported) {
  std::string raw = "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 50; ++i) raw += "--b\nContent-Type: text/plain\n\nx\n";
  raw += "--b--\n";
  core::Limits limits;
  limits.part_count = 10;
  auto message = parse_message(raw, "t", limits);
  EXPECT_EQ(message.parts.size(), 10u);
  EXPECT_TRUE(has_finding(message, core::kParseLimitExceeded));
}

TEST(Parser, DeepNestingIsBoundedAndReported) {
  std::string raw = "From: a@example.jp\n";
  const int depth = 5000;
  for (int i = 0; i < depth; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
           std::to_string(i) + "\n";
  }
  raw += "Content-Type: text/plain\n\nx\n";
  auto message = parse(raw);
  EXPECT_LE(message.parts.size(), core::Limits{}.mime_depth + 2);
  EXPECT_TRUE(has_finding(message, core::kParseLimitExceeded));
}

TEST(Parser, TenThousandHeadersAreCapped) {
  std::string raw;
  for (int i = 0; i < 10000; ++i) raw += "X-H" + std::to_string(i) + ": v\n";
  raw += "From: a@example.jp\n\nbody\n";
  auto message = parse(raw);
  EXPECT_EQ(message.envelope.headers.size(), core::Limits{}.header_count);
  EXPECT_TRUE(has_finding(message, core::kParseLimitExceeded));
}

TEST(Parser, HugeHeaderLineIsCut) {
  std::string raw = "From: a@example.jp\nSubject: " + std::string(1 << 20, 'A') + "\n\nbody\n";
  auto message = parse(raw);
  EXPECT_LE(message.envelope.subject.size(), core::Limits{}.header_bytes);
  EXPECT_TRUE(has_finding(message, core::kParseLimitExceeded));
}

TEST(Parser, MessageBytesLimitCutsButReports) {
  core::Limits limits;
  limits.message_bytes = 100;
  auto message =
      parse_message("From: a@example.jp\nSubject: s\n\n" + std::string(1000, 'x'), "t", limits);
  EXPECT_EQ(message.size, 1031u);
  EXPECT_TRUE(has_finding(message, core::kParseLimitExceeded));
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

TEST(Parser, TimeBudgetTurnsARunawayIntoALimitFinding) {
  std::string raw = "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 4000; ++i) {
    raw += "--b\nContent-Type: text/html\n\n<p>" + std::string(200, 'x') + "</p>\n";
  }
  raw += "--b--\n";
  core::Limits limits;
  limits.message_millis = 1;
  auto message = parse_message(raw, "t", limits);
  bool timed_out = false;
  for (const auto& finding : message.findings) {
    timed_out = timed_out || finding.evidence.starts_with("message_millis=");
  }
  EXPECT_TRUE(timed_out);
  EXPECT_LT(message.parts.size(), 4001u);
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

// Outlook folds a long quoted boundary; the quote closes on the continuation line.
TEST(Parser, FoldedQuotedBoundaryIsNotRepaired) {
  auto message = parse_message(
      "From: a@example.jp\nContent-Type: multipart/mixed;\n    boundary=\"----=_NextPart\n "
      "_000_1\"\n\n"
      "------=_NextPart _000_1\nContent-Type: image/png; name=\"a.png\"\n\nPNG\n"
      "------=_NextPart _000_1--\n",
      "t", core::Limits{});
  ASSERT_EQ(message.parts.size(), 2u);
  EXPECT_EQ(message.parts[1].filename, "a.png");
  for (const auto& finding : message.findings) EXPECT_NE(finding.id, core::kParseMalformed);
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

// Text after the padded end of a base64 body (here a broken close delimiter and more text) is not
// part of the attachment: readers and scanners stop at the padding, so must its hash.
TEST(Parser, Base64BodyStopsAtPadding) {
  auto message = parse_message(
      "From: a@example.jp\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\n"
      "Content-Type: text/html; name=\"t.html\"\nContent-Transfer-Encoding: base64\n"
      "Content-Disposition: attachment\n\nPGh0bWw+Cg==\n\n--B-->\nPotentially malicious content\n",
      "t", core::Limits{});
  ASSERT_GE(message.parts.size(), 2u);
  EXPECT_EQ(message.parts[1].content, "<html>\n");
  bool reported = false;
  for (const auto& finding : message.findings) reported |= finding.id == core::kParseMalformed;
  EXPECT_TRUE(reported);
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

// Found by fuzzing: the boundary parameter as the very last bytes of the input.
TEST(Parser, BoundaryParameterAtEndOfInput) {
  for (std::string raw :
       {"Content-Type: multipart/mixed; boundary=\"",
        "From: a@x\nContent-Type: multipart/mixed; boundary=\"a\"\n boundary=\""}) {
    auto message = parse_message(raw, "t", core::Limits{});
    EXPECT_EQ(message.size, raw.size());
  }
}

}  // namespace
}  // namespace emotriage::mime

namespace emotriage::mime {
namespace {

// Found in review: a line of nothing but boundary parameters was quadratic (25 s per MiB).
TEST(Parser, ManyBoundaryParametersOnOneLineAreLinear) {
  auto message_with = [](std::size_t bytes) {
    std::string raw = "From: a@example.jp\nSubject: x\n\nx";
    for (std::size_t i = 0; i < bytes / 9; ++i) raw += "oundary=\"";
    return raw + "\n";
  };
  EXPECT_EQ(parse_message(message_with(1u << 20), "t", core::Limits{}).envelope.subject, "x");
  test_support::expect_linear_growth(
      [&](std::size_t scale) { parse_message(message_with(scale << 13), "t", core::Limits{}); });
}

// Found in review: broken headers in many attached messages multiplied findings and headers.
TEST(Parser, FindingsAndHeadersAreBoundedPerMessage) {
  std::string raw = "From: a@example.jp\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int m = 0; m < 50; ++m) {
    raw += "--b\nContent-Type: message/rfc822\n\n";
    for (int h = 0; h < 200; ++h) raw += "X: =?x?q?=?=\n";
    raw += "\nbody\n";
  }
  raw += "--b--\n";
  auto message = parse_message(raw, "t", core::Limits{});
  EXPECT_LE(message.findings.size(), core::Message::kMaxFindings + 1);
  EXPECT_EQ(message.findings.back().id, core::kParseLimitExceeded);
  std::size_t headers = message.envelope.headers.size();
  for (const auto& part : message.parts) {
    if (part.message) headers += part.message->headers.size();
  }
  EXPECT_LE(headers, core::Limits{}.header_count);
}

}  // namespace
}  // namespace emotriage::mime
