// A reporter's inline forward ("FW:" with the suspicious mail pasted into the body), parsed,
// read for evidence and decided: the verdict is about the forwarded mail, and the employee who
// forwarded it (named in the block's 宛先 as its recipient) is never the one blamed.
#include <gtest/gtest.h>

#include <algorithm>

#include "evidence/evidence.hpp"
#include "mime/parser.hpp"
#include "verdict/verdict.hpp"

namespace emotriage::verdict {
namespace {

profile::Profile sample_profile() {
  profile::Profile p;
  p.company.name = "株式会社サンプル商事";
  p.company.website = "https://www.sample-shoji.example";
  p.company.domains = {"sample-shoji.example"};
  p.employees.push_back({{"山田 太郎"}, {"t.yamada@sample-shoji.example"}, ""});
  p.employees.push_back({{"鈴木 花子"}, {"h.suzuki@sample-shoji.example"}, ""});
  return p;
}

struct Decided {
  evidence::Evidence evidence;
  Verdict verdict;
};

// `reporter` forwards inline a mail from `original_sender` that was sent to her, with `subject`
// and `text`; the forward keeps the original's attachment, judged by `attachment_finding` (none
// when empty; a macro by default).
Decided decide_forward(std::string_view reporter, std::string_view original_sender,
                       std::string_view attachment_finding = "attachment.macro-autoexec",
                       std::string_view subject = "Invoice 4821",
                       std::string_view text = "Please find the invoice attached.") {
  mime::initialize();
  static const profile::Profile profile = sample_profile();
  static const profile::Matcher matcher(profile);
  const std::string raw =
      "From: " + std::string(reporter) +
      "\nTo: security@sample-shoji.example\nSubject: FW: " + std::string(subject) +
      "\n"
      "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n"
      "情報システム部 御中\n\n不審なメールが届きました。\n\n"
      "________________________________\n差出人: " +
      std::string(original_sender) +
      "\n送信日時: 2022年3月8日 9:58\n宛先: 鈴木 花子 <h.suzuki@sample-shoji.example>\n"
      "件名: " +
      std::string(subject) + "\n\n" + std::string(text) + "\n";
  const core::Message message = mime::parse_message(raw, "fw.eml", core::Limits{});
  Decided decided{evidence::collect(message, matcher), {}};
  inspect::Result inspection;
  if (!attachment_finding.empty()) {
    inspection.findings.push_back(core::Finding{std::string(attachment_finding),
                                                core::Severity::high, "ja", "en", "AutoOpen", "2"});
  }
  decided.verdict = decide({message, decided.evidence, inspection, profile});
  return decided;
}

bool names(const std::vector<std::string>& list, std::string_view needle) {
  return std::ranges::any_of(
      list, [&](const std::string& item) { return item.find(needle) != std::string::npos; });
}

bool targets(const Verdict& v, std::string_view kind, std::string_view needle) {
  return std::ranges::any_of(v.actions, [&](const Action& action) {
    return action.kind == kind && action.target.find(needle) != std::string::npos;
  });
}

void expect_reporter_not_blamed(const Verdict& v) {
  EXPECT_FALSE(names(v.accounts_to_reset, "h.suzuki"));
  EXPECT_FALSE(names(v.senders_to_contact, "h.suzuki"));
  EXPECT_FALSE(names(v.check_pcs_first, "鈴木"));
  EXPECT_FALSE(targets(v, "reset-password", "h.suzuki"));
  EXPECT_FALSE(targets(v, "check-pc", "鈴木"));
  EXPECT_TRUE(targets(v, "get-original-mail", "h.suzuki@sample-shoji.example"));
}

bool has_finding(const evidence::Evidence& ev, std::string_view id) {
  return std::ranges::any_of(ev.findings, [&](const auto& f) { return f.id == id; });
}

// Found in audit: a forward below the suspicious line still lost the headers that would tell a
// forgery, so when anything scored the original is asked for (and the report shows it); a
// forward where nothing scored (a lunch invitation) asks for nothing.
TEST(InlineForwardVerdict, ForwardBelowTheLineAsksForTheOriginalWhenSomethingScored) {
  const Decided weak =
      decide_forward("鈴木 花子 <h.suzuki@sample-shoji.example>",
                     "Billing <billing@acme-invoices.example>", "content.lure-keywords");
  ASSERT_FALSE(weak.verdict.suspicious);
  ASSERT_GT(weak.verdict.score, 0);
  EXPECT_TRUE(targets(weak.verdict, "get-original-mail", "h.suzuki@sample-shoji.example"));
  EXPECT_EQ(weak.verdict.actions.size(), 1u);

  const Decided harmless =
      decide_forward("鈴木 花子 <h.suzuki@sample-shoji.example>", "Lunch <lunch@bento.example>", "",
                     "Friday lunch", "Shall we meet at noon on Friday?");
  EXPECT_EQ(harmless.verdict.score, 0);
  EXPECT_TRUE(harmless.verdict.actions.empty());
}

TEST(InlineForwardVerdict, PlainOutsideMalspamIsExternalMalspam) {
  const Decided d = decide_forward("鈴木 花子 <h.suzuki@sample-shoji.example>",
                                   "Billing <billing@acme-invoices.example>");
  EXPECT_EQ(d.verdict.scenario, Scenario::external_malspam);
  EXPECT_TRUE(d.verdict.suspicious);
  EXPECT_TRUE(targets(d.verdict, "block-sender", "billing@acme-invoices.example"));
  EXPECT_EQ(d.verdict.senders_to_contact,
            std::vector<std::string>{"billing@acme-invoices.example"});
  expect_reporter_not_blamed(d.verdict);
  // The block's 宛先 is who received the mail, not a thread stolen from her.
  EXPECT_FALSE(has_finding(d.evidence, "identity.employee-in-quoted-thread"));
  EXPECT_TRUE(d.evidence.quoted_participants.empty());
}

TEST(InlineForwardVerdict, ReporterOutsideTheProfileStillDoesNotMakeItMisuse) {
  // A shared mailbox of ours forwards a mail that 鈴木 received: 鈴木 is its recipient.
  const Decided d = decide_forward("総務 <soumu@sample-shoji.example>",
                                   "Billing <billing@acme-invoices.example>");
  EXPECT_EQ(d.verdict.scenario, Scenario::external_malspam);
  EXPECT_TRUE(d.verdict.accounts_to_reset.empty());
  EXPECT_TRUE(d.verdict.check_pcs_first.empty());
}

TEST(InlineForwardVerdict, EmployeeNameOverFreeMailIsIdentityMisuse) {
  const Decided d = decide_forward("鈴木 花子 <h.suzuki@sample-shoji.example>",
                                   "山田 太郎 <yamada.taro.0415@gmail.com>");
  EXPECT_EQ(d.verdict.scenario, Scenario::identity_misused_external);
  EXPECT_TRUE(targets(d.verdict, "report-provider-abuse", "gmail.com"));
  EXPECT_EQ(d.verdict.senders_to_contact, std::vector<std::string>{"yamada.taro.0415@gmail.com"});
  expect_reporter_not_blamed(d.verdict);
  // 山田's name was borrowed in a display name; no thread of his is quoted, so his account is
  // not to be reset either.
  EXPECT_TRUE(d.verdict.accounts_to_reset.empty());
  EXPECT_TRUE(d.verdict.check_pcs_first.empty());
  EXPECT_FALSE(has_finding(d.evidence, "identity.employee-in-quoted-thread"));
}

TEST(InlineForwardVerdict, OwnDomainSenderCannotBeToldForgedOrCompromised) {
  const Decided d = decide_forward("鈴木 花子 <h.suzuki@sample-shoji.example>",
                                   "山田 太郎 <t.yamada@sample-shoji.example>");
  EXPECT_EQ(d.verdict.scenario, Scenario::own_address_spoofed);
  EXPECT_TRUE(targets(d.verdict, "check-logs", "t.yamada@sample-shoji.example"));
  EXPECT_TRUE(d.verdict.accounts_to_reset.empty());  // unconfirmed until the logs say so
  EXPECT_NE(d.verdict.summary_en.find("cannot be told"), std::string::npos);
  EXPECT_NE(d.verdict.summary_ja.find("判断できません"), std::string::npos);
  expect_reporter_not_blamed(d.verdict);
}

}  // namespace
}  // namespace emotriage::verdict
