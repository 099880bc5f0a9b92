// collect() on whole mails (tests/data/evidence/*.eml) against a small profile built in code:
// one mail per scenario of DESIGN.md, and the ordinary partner reply that must stay quiet.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "evidence/evidence.hpp"
#include "mime/parser.hpp"

namespace emotriage::evidence {
namespace {

profile::Profile sample_profile() {
  profile::Profile profile;
  profile.company.name = "株式会社サンプル商事";
  profile.company.name_en = "Sample Shoji Co., Ltd.";
  profile.company.domains = {"sample-shoji.example"};
  profile.company.mail_servers = {"mail.sample-shoji.example", "192.0.2.25"};
  profile.employees.push_back(
      {{"山田 太郎", "ヤマダ タロウ", "Taro Yamada"}, {"t.yamada@sample-shoji.example"}, "営業部"});
  profile.employees.push_back({{"佐藤 花子"}, {"h.sato@sample-shoji.example"}, ""});
  profile.partners.push_back({"取引先株式会社", {"partner.example"}, "it@partner.example"});
  return profile;
}

const profile::Matcher& matcher() {
  static const profile::Matcher instance(sample_profile());
  return instance;
}

core::Message load(const std::string& name) {
  std::ifstream in(std::string(EMOTRIAGE_SOURCE_DIR) + "/tests/data/evidence/" + name,
                   std::ios::binary);
  std::stringstream raw;
  raw << in.rdbuf();
  EXPECT_FALSE(raw.str().empty()) << name;
  mime::initialize();
  return mime::parse_message(raw.str(), name, core::Limits{});
}

const core::Finding* find(const Evidence& evidence, std::string_view id) {
  auto found = std::ranges::find(evidence.findings, id, &core::Finding::id);
  return found == evidence.findings.end() ? nullptr : &*found;
}

std::vector<std::string> ids(const Evidence& evidence) {
  std::vector<std::string> result;
  for (const core::Finding& finding : evidence.findings) result.push_back(finding.id);
  return result;
}

const EmployeeReference* employee(const Evidence& evidence, int index) {
  auto found =
      std::ranges::find(evidence.employees_referenced, index, &EmployeeReference::employee);
  return found == evidence.employees_referenced.end() ? nullptr : &*found;
}

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::ranges::find(list, item) != list.end();
}

TEST(Collect, HijackedReplyFromAnOutsideAddress) {
  Evidence evidence = collect(load("hijacked_reply.eml"), matcher());
  SCOPED_TRACE(::testing::PrintToString(ids(evidence)));
  EXPECT_EQ(evidence.from.address, "kojima@compromised-trading.example");
  EXPECT_TRUE(evidence.display_name_mismatch);
  EXPECT_EQ(evidence.origin, Origin::external);
  EXPECT_TRUE(evidence.reply_subject);
  EXPECT_TRUE(evidence.reply_without_thread);
  EXPECT_TRUE(evidence.has_quoted_thread);

  const core::Finding* mismatch = find(evidence, "sender.display-name-mismatch");
  ASSERT_NE(mismatch, nullptr);
  EXPECT_EQ(mismatch->severity, core::Severity::high);
  EXPECT_NE(mismatch->message_ja.find("山田 太郎"), std::string::npos);
  EXPECT_NE(mismatch->message_ja.find("kojima@compromised-trading.example"), std::string::npos);
  ASSERT_NE(find(evidence, "identity.employee-in-display-name"), nullptr);

  const core::Finding* hijack = find(evidence, "thread.hijacked-reply");
  ASSERT_NE(hijack, nullptr);
  EXPECT_EQ(hijack->severity, core::Severity::high);
  const core::Finding* quoted = find(evidence, "identity.employee-in-quoted-thread");
  ASSERT_NE(quoted, nullptr);
  EXPECT_NE(quoted->message_ja.find("JPCERT/CC"), std::string::npos);
  EXPECT_NE(quoted->message_ja.find("取引先株式会社"), std::string::npos);

  const core::Finding* password = find(evidence, "content.password-in-body");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->evidence, "Xk29Lq");
  EXPECT_EQ(evidence.password_candidates.front(), "Xk29Lq");

  const core::Finding* date = find(evidence, "routing.date-after-received");
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(*evidence.date_lead_seconds, 23 * 3600 + 6 * 60 + 48);

  ASSERT_NE(find(evidence, "routing.external-origin"), nullptr);
  EXPECT_EQ(find(evidence, "routing.external-origin")->severity, core::Severity::info);
  EXPECT_NE(evidence.origin_evidence.find("203.0.113.45"), std::string::npos);
  EXPECT_EQ(find(evidence, "auth.spf-fail"), nullptr);

  ASSERT_NE(find(evidence, "content.lure-keywords"), nullptr);
  EXPECT_TRUE(has(evidence.lure_keywords, "請求書"));
  EXPECT_TRUE(has(evidence.lure_keywords, "ご確認お願いします"));

  ASSERT_EQ(evidence.urls.size(), 1u);
  EXPECT_TRUE(evidence.urls[0].download_link);
  ASSERT_NE(find(evidence, "url.download-link"), nullptr);

  const EmployeeReference* yamada = employee(evidence, 0);
  ASSERT_NE(yamada, nullptr);
  EXPECT_TRUE(has(yamada->where, "display-name"));
  EXPECT_TRUE(has(yamada->where, "quoted-thread"));
  // The quoted signature's company name is not the new text's.
  EXPECT_EQ(find(evidence, "identity.company-in-body"), nullptr);
  // Japanese and English text for every finding.
  for (const core::Finding& finding : evidence.findings) {
    EXPECT_FALSE(finding.message_ja.empty()) << finding.id;
    EXPECT_FALSE(finding.message_en.empty()) << finding.id;
  }
}

TEST(Collect, OrdinaryPartnerReplyIsNotHijacked) {
  Evidence evidence = collect(load("partner_reply.eml"), matcher());
  SCOPED_TRACE(::testing::PrintToString(ids(evidence)));
  EXPECT_EQ(evidence.from_domain_match.kind, profile::DomainKind::partner);
  EXPECT_TRUE(evidence.reply_subject);
  EXPECT_FALSE(evidence.reply_without_thread);
  EXPECT_TRUE(evidence.has_quoted_thread);
  EXPECT_EQ(find(evidence, "thread.hijacked-reply"), nullptr);
  EXPECT_EQ(find(evidence, "sender.display-name-mismatch"), nullptr);
  EXPECT_EQ(find(evidence, "identity.employee-in-body"), nullptr);
  // 山田様 in the greeting is the addressee, and he is in the quoted thread.
  const EmployeeReference* yamada = employee(evidence, 0);
  ASSERT_NE(yamada, nullptr);
  EXPECT_TRUE(has(yamada->where, "recipient"));
  EXPECT_TRUE(has(yamada->where, "quoted-thread"));
  EXPECT_FALSE(has(yamada->where, "signature"));
  ASSERT_NE(find(evidence, "identity.employee-in-quoted-thread"), nullptr);
  EXPECT_EQ(find(evidence, "identity.employee-in-quoted-thread")->severity, core::Severity::medium);
  // Our MX received it from the partner's server.
  EXPECT_EQ(evidence.origin, Origin::external);
  EXPECT_EQ(find(evidence, "content.password-in-body"), nullptr);
  EXPECT_TRUE(evidence.urls.empty());
}

TEST(Collect, OwnAccountSentThroughOurServerWithLogin) {
  Evidence evidence = collect(load("own_account.eml"), matcher());
  SCOPED_TRACE(::testing::PrintToString(ids(evidence)));
  EXPECT_EQ(evidence.origin, Origin::own_server_authenticated);
  EXPECT_EQ(evidence.authenticated_account, "t.yamada@sample-shoji.example");
  ASSERT_NE(find(evidence, "sender.own-domain"), nullptr);
  const core::Finding* routing = find(evidence, "routing.own-server");
  ASSERT_NE(routing, nullptr);
  EXPECT_NE(routing->message_ja.find("t.yamada@sample-shoji.example"), std::string::npos);
  EXPECT_EQ(evidence.from_employee, 0);
  EXPECT_FALSE(evidence.display_name_mismatch);
  EXPECT_FALSE(evidence.reply_without_thread);  // a forward needs no thread headers
  EXPECT_EQ(find(evidence, "thread.hijacked-reply"), nullptr);
  EXPECT_EQ(evidence.password_candidates, std::vector<std::string>{"P4ss-2022"});
  EXPECT_TRUE(has(evidence.lure_keywords, "invoice"));
}

TEST(Collect, OwnAddressSpoofedFromOutside) {
  Evidence evidence = collect(load("spoofed_own.eml"), matcher());
  SCOPED_TRACE(::testing::PrintToString(ids(evidence)));
  EXPECT_EQ(evidence.origin, Origin::external);
  const core::Finding* external = find(evidence, "routing.external-origin");
  ASSERT_NE(external, nullptr);
  EXPECT_EQ(external->severity, core::Severity::high);
  ASSERT_NE(find(evidence, "auth.spf-fail"), nullptr);
  EXPECT_EQ(find(evidence, "auth.spf-fail")->severity, core::Severity::high);
  ASSERT_NE(find(evidence, "auth.dmarc-fail"), nullptr);
  EXPECT_EQ(find(evidence, "auth.dkim-fail"), nullptr);  // dkim=none is no failure
  const core::Finding* reply_to = find(evidence, "sender.reply-to-differs");
  ASSERT_NE(reply_to, nullptr);
  EXPECT_EQ(reply_to->severity, core::Severity::medium);
  EXPECT_TRUE(has(evidence.lure_keywords, "至急"));
}

TEST(Collect, OutsiderSignsWithOurEmployeeAndCompany) {
  Evidence evidence = collect(load("signature_outsider.eml"), matcher());
  SCOPED_TRACE(::testing::PrintToString(ids(evidence)));
  ASSERT_NE(find(evidence, "sender.freemail"), nullptr);
  ASSERT_NE(find(evidence, "sender.display-name-mismatch"), nullptr);  // "Taro Yamada"
  const core::Finding* body = find(evidence, "identity.employee-in-body");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->severity, core::Severity::medium);  // in the signature
  EXPECT_EQ(body->part, "1");
  const EmployeeReference* yamada = employee(evidence, 0);
  ASSERT_NE(yamada, nullptr);
  EXPECT_TRUE(has(yamada->where, "signature"));
  ASSERT_NE(find(evidence, "identity.company-in-body"), nullptr);
  EXPECT_FALSE(evidence.company_reference.empty());
  EXPECT_EQ(evidence.origin, Origin::unknown);
  // The text link and the HTML link, both downloads.
  ASSERT_EQ(evidence.urls.size(), 2u);
  EXPECT_EQ(evidence.urls[0].where, "text");
  EXPECT_EQ(evidence.urls[1].url, "http://203.0.113.7/order.doc");
  EXPECT_EQ(evidence.urls[1].where, "html");
  EXPECT_TRUE(evidence.urls[1].download_link);
}

Evidence collect_raw(const std::string& raw) {
  mime::initialize();
  return collect(mime::parse_message(raw, "inline", core::Limits{}), matcher());
}

// The same outside sender: 山田様 in the greeting is the addressee, 山田 太郎 under a "--" rule
// at the end is a signature.
TEST(Collect, GreetingAddresseeVersusSignature) {
  const std::string head =
      "From: sales@vendor.example\nSubject: =?UTF-8?B?5qGI5YaF?=\nContent-Type: text/plain; "
      "charset=UTF-8\n\n";
  Evidence greeting = collect_raw(head + "山田様\n\nいつもお世話になっております。\n案内です。\n");
  EXPECT_EQ(find(greeting, "identity.employee-in-body"), nullptr);
  ASSERT_NE(employee(greeting, 0), nullptr);
  EXPECT_EQ(employee(greeting, 0)->where, std::vector<std::string>{"recipient"});

  Evidence signature = collect_raw(head + "ご担当者様\n\n資料を送ります。\n\n--\n山田 太郎\n");
  const core::Finding* body = find(signature, "identity.employee-in-body");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->severity, core::Severity::medium);
  EXPECT_EQ(employee(signature, 0)->where, std::vector<std::string>{"signature"});
}

// A message built in code: display name holding another address, lookalike domain.
TEST(Collect, DisplayNameAddressAndLookalike) {
  Evidence evidence = collect_raw(
      "From: \"t.yamada@sample-shoji.example\" <info@sample-shojl.example>\n"
      "Subject: hello\n\nbody\n");
  SCOPED_TRACE(::testing::PrintToString(ids(evidence)));
  const core::Finding* mismatch = find(evidence, "sender.display-name-mismatch");
  ASSERT_NE(mismatch, nullptr);
  EXPECT_EQ(mismatch->severity, core::Severity::high);  // the address shown is ours
  const core::Finding* lookalike = find(evidence, "sender.lookalike-domain");
  ASSERT_NE(lookalike, nullptr);
  EXPECT_NE(lookalike->message_en.find("sample-shoji.example"), std::string::npos);
}

TEST(Collect, EmptyMessageGivesNoFindings) {
  Evidence evidence = collect_raw("");
  EXPECT_TRUE(evidence.findings.empty());
  EXPECT_EQ(evidence.origin, Origin::unknown);
}

}  // namespace
}  // namespace emotriage::evidence
