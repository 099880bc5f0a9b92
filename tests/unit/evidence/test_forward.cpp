// Inline forwards: the reporter's "FW:" with the suspicious mail pasted into the body
// (forward.inline), in the header blocks Outlook (ja/en), Gmail and Thunderbird write; a reply's
// identical Outlook block is not a forward.
#include <gtest/gtest.h>

#include "evidence/evidence.hpp"
#include "mime/parser.hpp"

namespace emotriage::evidence {
namespace {

const profile::Matcher& matcher() {
  static const profile::Matcher instance([] {
    profile::Profile profile;
    profile.company.name = "株式会社サンプル商事";
    profile.company.domains = {"sample-shoji.example"};
    profile.employees.push_back({{"山田 太郎"}, {"t.yamada@sample-shoji.example"}, ""});
    return profile;
  }());
  return instance;
}

Evidence collect_mail(std::string_view subject, std::string_view body) {
  mime::initialize();
  const std::string raw =
      "From: =?UTF-8?B?6auZ5qmLIOS4gOmDjg==?= <i.takahashi@sample-shoji.example>\n"
      "To: security@sample-shoji.example\nSubject: " +
      std::string(subject) + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n" +
      std::string(body);
  return collect(mime::parse_message(raw, "fw.eml", core::Limits{}), matcher());
}

const core::Finding* forward_finding(const Evidence& evidence) {
  for (const auto& finding : evidence.findings) {
    if (finding.id == "forward.inline") return &finding;
  }
  return nullptr;
}

TEST(InlineForward, OutlookJapaneseBlockUnderForwardSubject) {
  const Evidence evidence = collect_mail(
      "FW: =?UTF-8?B?6KuL5rGC5pu4?=",
      "確認をお願いします。\n\n________________________________\n"
      "差出人: 山田 太郎 <yamada.taro1985@gmail.com>\n送信日時: 2022年3月7日 8:41\n"
      "宛先: i.takahashi@sample-shoji.example\n件名: 請求書の件\n\n添付をご確認ください。\n");
  ASSERT_TRUE(evidence.inline_forward.has_value());
  const InlineForward& forward = *evidence.inline_forward;
  EXPECT_EQ(forward.sender.address, "yamada.taro1985@gmail.com");
  EXPECT_EQ(forward.sender.display_name, "山田 太郎");
  EXPECT_EQ(forward.date, "2022年3月7日 8:41");
  EXPECT_EQ(forward.subject, "請求書の件");
  EXPECT_EQ(forward.domain_match.kind, profile::DomainKind::freemail);
  EXPECT_EQ(forward.named_employee, 0);  // our employee's name over a free-mail address
  EXPECT_FALSE(forward.employee.has_value());
  const core::Finding* finding = forward_finding(evidence);
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->severity, core::Severity::info);
  EXPECT_NE(finding->message_ja.find("添付ファイルとして転送"), std::string::npos);
  EXPECT_NE(finding->message_en.find("as an attachment"), std::string::npos);
  EXPECT_NE(finding->message_en.find("free mail"), std::string::npos);
}

TEST(InlineForward, GmailAndThunderbirdSeparatorsNeedNoForwardSubject) {
  const Evidence gmail = collect_mail(
      "check this",
      "---------- Forwarded message ---------\nFrom: Billing <bill@sample-shoj1.example>\n"
      "Date: Mon, Mar 7, 2022 at 8:41 AM\nSubject: Invoice\nTo: <i@x.example>\n\nbody\n");
  ASSERT_TRUE(gmail.inline_forward.has_value());
  EXPECT_EQ(gmail.inline_forward->sender.address, "bill@sample-shoj1.example");
  EXPECT_EQ(gmail.inline_forward->domain_match.kind, profile::DomainKind::lookalike_own);

  const Evidence thunderbird = collect_mail(
      "=?UTF-8?B?6Lui6YCBOiDoq4vmsYLmm7g=?=",
      "-------- 転送メッセージ --------\n件名: 請求書\n日付: Mon, 7 Mar 2022 08:41:00 +0900\n"
      "差出人: t.yamada@sample-shoji.example\n宛先: i.takahashi@sample-shoji.example\n\n本文\n");
  ASSERT_TRUE(thunderbird.inline_forward.has_value());
  EXPECT_EQ(thunderbird.inline_forward->employee, 0);
  EXPECT_EQ(thunderbird.inline_forward->subject, "請求書");
}

TEST(InlineForward, EnglishOutlookBlockUnderReplySubjectIsAReply) {
  const std::string block =
      "Thanks.\n\n-----Original Message-----\nFrom: Partner <p@partner.example>\n"
      "Sent: Monday, March 7, 2022 8:41 AM\nTo: i.takahashi@sample-shoji.example\n"
      "Subject: Order\n\ntext\n";
  EXPECT_FALSE(collect_mail("RE: Order", block).inline_forward.has_value());
  EXPECT_EQ(forward_finding(collect_mail("RE: Order", block)), nullptr);
  EXPECT_TRUE(collect_mail("FW: Order", block).inline_forward.has_value());
  // "> " quoting first: a reply, whatever follows.
  EXPECT_FALSE(collect_mail("FW: Order", "> old text\n> more\n" + block).inline_forward);
}

TEST(InlineForward, BlockRecipientsAreRecipientsAndTheOriginalsThreadIsKept) {
  // The forwarded mail is itself a hijacked reply: the thread below its block is quoted; the
  // block's 宛先 (the reporter, 髙橋) is not.
  const Evidence evidence = collect_mail(
      "FW: RE: =?UTF-8?B?6KuL5rGC5pu4?=",
      "確認をお願いします。\n\n________________________________\n"
      "差出人: Partner <p@partner.example>\n送信日時: 2022年3月7日 8:41\n"
      "宛先: 髙橋 <i.takahashi@sample-shoji.example>\n件名: RE: 請求書\n\n"
      "ご確認ください。\n\n-----Original Message-----\n"
      "差出人: 山田 太郎 <t.yamada@sample-shoji.example>\n送信日時: 2022年2月1日 9:00\n"
      "宛先: p@partner.example\n件名: 請求書\n\n前回の件です。\n");
  ASSERT_TRUE(evidence.inline_forward.has_value());
  const InlineForward& forward = *evidence.inline_forward;
  ASSERT_EQ(forward.recipients.size(), 1u);
  EXPECT_EQ(forward.recipients.front().address, "i.takahashi@sample-shoji.example");
  EXPECT_LT(forward.block_start, forward.body_start);
  for (const QuotedParticipant& person : evidence.quoted_participants) {
    EXPECT_NE(person.address, "i.takahashi@sample-shoji.example");
  }
  // 山田 is in the original's own quoted thread: that counts, for the forwarded mail too.
  ASSERT_EQ(forward.references.size(), 1u);
  EXPECT_EQ(forward.references.front().email, "t.yamada@sample-shoji.example");
  EXPECT_EQ(forward.references.front().where, std::vector<std::string>{"quoted-thread"});
}

}  // namespace
}  // namespace emotriage::evidence
