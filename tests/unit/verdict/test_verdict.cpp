// The decision table of steps ③–⑦: findings and identity facts in, scenario, score and plan out.
#include <gtest/gtest.h>

#include <algorithm>

#include "verdict/verdict.hpp"

namespace emotriage::verdict {
namespace {

core::Finding finding(std::string id, core::Severity severity = core::Severity::high) {
  return core::Finding{std::move(id), severity, "ja", "en", "evidence", {}};
}

profile::Profile sample_profile() {
  profile::Profile p;
  p.company.name = "株式会社サンプル商事";
  p.company.website = "https://www.sample-shoji.example";
  p.company.domains = {"sample-shoji.example"};
  p.employees.push_back({{"山田 太郎", "Taro Yamada"}, {"t.yamada@sample-shoji.example"}, ""});
  p.partners.push_back({"取引先株式会社", {"partner.example"}, "it@partner.example"});
  return p;
}

struct Case {
  std::string name;
  profile::DomainKind from_kind = profile::DomainKind::other;
  std::string from_address = "someone@other.example";
  evidence::Origin origin = evidence::Origin::external;
  std::vector<std::string> employee_where;  // the one employee's reference, if any
  bool company_named = false;
  bool dmarc_fail = false;
  std::vector<core::Finding> evidence_findings;
  std::vector<core::Finding> inspection_findings;
  Scenario expected;
  bool emotet_like;
};

struct Built {
  core::Message message;
  evidence::Evidence evidence;
  inspect::Result inspection;
  profile::Profile profile = sample_profile();
};

Built build(const Case& c) {
  Built b;
  b.message.locator = c.name + ".eml";
  b.evidence.from = {"", c.from_address};
  b.evidence.from_domain = c.from_address.substr(c.from_address.find('@') + 1);
  b.evidence.from_domain_match.kind = c.from_kind;
  if (c.from_kind == profile::DomainKind::partner) b.evidence.from_domain_match.partner = 0;
  b.evidence.origin = c.origin;
  b.evidence.dmarc_fail = c.dmarc_fail;
  if (!c.employee_where.empty()) {
    b.evidence.employees_referenced.push_back(
        {0, "山田 太郎", "t.yamada@sample-shoji.example", c.employee_where});
    if (c.from_address == "t.yamada@sample-shoji.example") b.evidence.from_employee = 0;
  }
  if (c.company_named) b.evidence.company_reference = "株式会社サンプル商事";
  b.evidence.findings = c.evidence_findings;
  b.inspection.findings = c.inspection_findings;
  return b;
}

Verdict decide_case(const Case& c) {
  Built b = build(c);
  return decide({b.message, b.evidence, b.inspection, b.profile});
}

bool has_action(const Verdict& v, std::string_view kind, std::string_view target = {}) {
  return std::ranges::any_of(v.actions, [&](const Action& a) {
    return a.kind == kind && (target.empty() || a.target == target);
  });
}

TEST(Verdict, ScenarioTable) {
  const auto macro = finding("attachment.macro-autoexec");
  const auto zip_password = finding("attachment.encrypted-archive-password-in-body");
  const auto hijack = finding("thread.hijacked-reply");
  const auto lure = finding("content.lure-keywords", core::Severity::low);
  const std::vector<Case> cases = {
      {"own account, authenticated submission",
       profile::DomainKind::own,
       "t.yamada@sample-shoji.example",
       evidence::Origin::own_server_authenticated,
       {"from-address"},
       false,
       false,
       {hijack, lure},
       {zip_password},
       Scenario::own_account_compromised,
       true},
      {"own address, external origin",
       profile::DomainKind::own,
       "h.suzuki@sample-shoji.example",
       evidence::Origin::external,
       {},
       false,
       true,
       {finding("auth.dmarc-fail")},
       {macro},
       Scenario::own_address_spoofed,
       true},
      {"own address, no Received, DMARC fail",
       profile::DomainKind::own,
       "h.suzuki@sample-shoji.example",
       evidence::Origin::unknown,
       {},
       false,
       true,
       {},
       {macro},
       Scenario::own_address_spoofed,
       false},
      {"our employee's name on free mail",
       profile::DomainKind::freemail,
       "yamada.taro@gmail.com",
       evidence::Origin::external,
       {"display-name", "quoted-thread"},
       false,
       false,
       {finding("sender.display-name-mismatch"), hijack},
       {finding("attachment.xlm-macro")},
       Scenario::identity_misused_external,
       true},
      {"company name in signature",
       profile::DomainKind::other,
       "info@other.example",
       evidence::Origin::external,
       {},
       true,
       false,
       {lure},
       {macro},
       Scenario::identity_misused_external,
       false},
      {"stranger with OneNote",
       profile::DomainKind::other,
       "billing@acme.example",
       evidence::Origin::external,
       {},
       false,
       false,
       {lure},
       {finding("attachment.onenote-embedded-file"), finding("yara.match", core::Severity::medium)},
       Scenario::external_malspam,
       true},
      {"addressee only is not misuse",
       profile::DomainKind::other,
       "billing@acme.example",
       evidence::Origin::external,
       {"recipient", "addressee"},
       false,
       false,
       {hijack},
       {finding("attachment.lnk")},
       Scenario::external_malspam,
       true},
      {"partner invoice PDF",
       profile::DomainKind::partner,
       "it@partner.example",
       evidence::Origin::external,
       {"recipient"},
       false,
       false,
       {lure},
       {},
       Scenario::not_suspicious,
       false},
      {"legitimate PPAP zip",
       profile::DomainKind::partner,
       "it@partner.example",
       evidence::Origin::external,
       {},
       false,
       false,
       {lure},
       {finding("attachment.encrypted-archive", core::Severity::low)},
       Scenario::not_suspicious,
       false},
      {"internal notice",
       profile::DomainKind::own,
       "k.sato@sample-shoji.example",
       evidence::Origin::own_server_authenticated,
       {},
       false,
       false,
       {lure},
       {},
       Scenario::not_suspicious,
       false},
      {"harmless macro workbook",
       profile::DomainKind::partner,
       "it@partner.example",
       evidence::Origin::external,
       {},
       false,
       false,
       {},
       {finding("attachment.office-macro", core::Severity::medium)},
       Scenario::not_suspicious,
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Verdict v = decide_case(c);
    EXPECT_EQ(to_string(v.scenario), to_string(c.expected));
    EXPECT_EQ(v.emotet_like, c.emotet_like) << "score " << v.score;
    EXPECT_EQ(v.suspicious, c.expected != Scenario::not_suspicious);
    EXPECT_GE(v.score, 0);
    EXPECT_LE(v.score, 100);
    EXPECT_FALSE(v.summary_ja.empty());
    EXPECT_FALSE(v.summary_en.empty());
    EXPECT_EQ(v.actions.empty(), !v.suspicious);
  }
}

TEST(Verdict, ContributionsExplainTheScore) {
  Case c{"explained",
         profile::DomainKind::other,
         "x@other.example",
         evidence::Origin::external,
         {},
         false,
         false,
         {finding("thread.hijacked-reply"), finding("content.lure-keywords", core::Severity::low)},
         {finding("attachment.macro-autoexec"),
          finding("attachment.office-macro", core::Severity::medium),
          finding("attachment.macro-autoexec")},
         Scenario::external_malspam,
         true};
  Verdict v = decide_case(c);
  int sum = 0;
  for (const auto& contribution : v.contributions) sum += contribution.points;
  EXPECT_EQ(std::min(sum, 100), v.score);
  // One id counts once however often it was found; the strongest first.
  ASSERT_FALSE(v.contributions.empty());
  EXPECT_EQ(v.contributions.front().id, "attachment.macro-autoexec");
  EXPECT_EQ(std::ranges::count(v.contributions, std::string("attachment.macro-autoexec"),
                               &Verdict::Contribution::id),
            1);
}

TEST(Verdict, ContextAloneIsSuspiciousButNotEmotetLike) {
  Case c{"no payload",
         profile::DomainKind::freemail,
         "x@gmail.com",
         evidence::Origin::external,
         {"display-name"},
         false,
         false,
         {finding("thread.hijacked-reply"), finding("sender.display-name-mismatch"),
          finding("content.password-in-body"), finding("content.lure-keywords")},
         {},
         Scenario::identity_misused_external,
         false};
  Verdict v = decide_case(c);
  EXPECT_TRUE(v.suspicious);
  EXPECT_FALSE(v.emotet_like);
  EXPECT_LE(v.score, 45);
}

TEST(Verdict, CompromisedAccountPlan) {
  Case c{"compromised",
         profile::DomainKind::own,
         "t.yamada@sample-shoji.example",
         evidence::Origin::own_server_authenticated,
         {"from-address"},
         false,
         false,
         {},
         {finding("attachment.macro-autoexec"), finding("url.download-link")},
         Scenario::own_account_compromised,
         true};
  Built b = build(c);
  b.evidence.authenticated_account = "T.Yamada@sample-shoji.example";
  Verdict v = decide({b.message, b.evidence, b.inspection, b.profile});
  ASSERT_EQ(v.accounts_to_reset.size(), 1u);  // the login and the From address are one account
  EXPECT_EQ(v.accounts_to_reset[0], "t.yamada@sample-shoji.example");
  EXPECT_TRUE(has_action(v, "reset-password", "t.yamada@sample-shoji.example"));
  EXPECT_TRUE(has_action(v, "check-logs"));
  EXPECT_TRUE(has_action(v, "check-pc"));
  EXPECT_TRUE(has_action(v, "publish-notice"));
  EXPECT_TRUE(has_action(v, "keep-evidence"));
  EXPECT_TRUE(std::ranges::is_sorted(v.actions, {}, &Action::step));
}

TEST(Verdict, SpoofedPlanTightensDmarcForEveryDomain) {
  Case c{"spoofed",
         profile::DomainKind::own,
         "h.suzuki@sample-shoji.example",
         evidence::Origin::external,
         {},
         false,
         true,
         {finding("auth.dmarc-fail")},
         {finding("attachment.macro-autoexec")},
         Scenario::own_address_spoofed,
         true};
  Verdict v = decide_case(c);
  EXPECT_TRUE(has_action(v, "tighten-dmarc", "sample-shoji.example"));
  EXPECT_TRUE(v.accounts_to_reset.empty());
}

TEST(Verdict, MisusedPlanNamesWhomToContactAndWhosePcToCheck) {
  Case c{"misused",
         profile::DomainKind::freemail,
         "yamada.taro@gmail.com",
         evidence::Origin::external,
         {"display-name", "quoted-thread"},
         false,
         false,
         {finding("thread.hijacked-reply")},
         {finding("attachment.xlm-macro")},
         Scenario::identity_misused_external,
         true};
  Built b = build(c);
  b.evidence.quoted_participants.push_back({"取引先 担当", "tanaka@partner.example", -1});
  Verdict v = decide({b.message, b.evidence, b.inspection, b.profile});
  EXPECT_TRUE(has_action(v, "report-provider-abuse", "gmail.com"));
  EXPECT_TRUE(has_action(v, "check-pc", "山田 太郎 <t.yamada@sample-shoji.example>"));
  EXPECT_TRUE(has_action(v, "contact-partner", "取引先株式会社 <it@partner.example>"));
  EXPECT_EQ(v.check_pcs_first,
            std::vector<std::string>{"山田 太郎 <t.yamada@sample-shoji.example>"});
}

TEST(Verdict, CompromisedPartnerIsContacted) {
  Case c{"partner sent it",
         profile::DomainKind::partner,
         "it@partner.example",
         evidence::Origin::external,
         {},
         false,
         false,
         {finding("thread.hijacked-reply")},
         {finding("attachment.encrypted-archive-password-in-body")},
         Scenario::external_malspam,
         true};
  Verdict v = decide_case(c);
  EXPECT_EQ(v.scenario, Scenario::external_malspam);
  EXPECT_TRUE(has_action(v, "contact-partner", "取引先株式会社 <it@partner.example>"));
}

TEST(Verdict, InfoFindingsAndUnknownIdsAddNothing) {
  Case c{"info",
         profile::DomainKind::other,
         "x@other.example",
         evidence::Origin::external,
         {},
         false,
         false,
         {finding("attachment.macro-autoexec", core::Severity::info), finding("something.new")},
         {},
         Scenario::not_suspicious,
         false};
  Verdict v = decide_case(c);
  EXPECT_EQ(v.score, 0);
  EXPECT_TRUE(v.contributions.empty());
}

}  // namespace
}  // namespace emotriage::verdict
