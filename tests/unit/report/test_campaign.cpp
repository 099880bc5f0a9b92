// The campaign view: ranking by certainty, grouping of outside senders, partners in threads,
// forged senders, techniques, mails per day and the period compared as instants.
#include <gtest/gtest.h>

#include "report/campaign.hpp"

namespace emotriage::report {
namespace {

using verdict::Scenario;

profile::Profile sample_profile() {
  profile::Profile p;
  p.company.domains = {"sample-shoji.example"};
  p.employees.push_back({{"山田 太郎"}, {"t.yamada@sample-shoji.example"}, ""});
  p.employees.push_back({{"鈴木 花子"}, {"h.suzuki@sample-shoji.example"}, ""});
  p.partners.push_back({"取引先株式会社", {"partner.example"}, "it@partner.example"});
  return p;
}

AbuseContacts sample_contacts() {
  auto contacts = AbuseContacts::parse(R"toml([[provider]]
name = "Gmail (Google)"
domains = ["gmail.com", "googlemail.com"]
abuse = "https://support.google.com/mail/contact/abuse"
source = "test"
)toml",
                                       "test.toml");
  EXPECT_TRUE(contacts.has_value());
  return *contacts;
}

verdict::Analysis mail(Scenario scenario, std::string from, std::string date = {}) {
  verdict::Analysis a;
  a.message.locator = "mail/" + from + ".eml";
  a.message.envelope.date = std::move(date);
  a.message.envelope.from.push_back({"", from});
  a.evidence.from = a.message.envelope.from.front();
  a.verdict.scenario = scenario;
  a.verdict.suspicious = scenario != Scenario::not_suspicious;
  a.verdict.emotet_like = a.verdict.suspicious;
  return a;
}

verdict::Analysis own_account(std::string account, evidence::Origin origin,
                              std::string authenticated = {}) {
  auto a = mail(Scenario::own_account_compromised, account);
  a.evidence.from_domain_match.kind = profile::DomainKind::own;
  a.evidence.origin = origin;
  a.evidence.authenticated_account = std::move(authenticated);
  a.evidence.findings.push_back({"routing.own-server", core::Severity::info, "", "", "", ""});
  a.verdict.accounts_to_reset = {account};
  return a;
}

class CampaignTest : public ::testing::Test {
 protected:
  profile::Profile profile_ = sample_profile();
  AbuseContacts contacts_ = sample_contacts();
  Campaign campaign_{&profile_, &contacts_};
};

TEST_F(CampaignTest, AccountsAreRankedByCertaintyBeforeCount) {
  // Quoted-thread only, five mails: possible.
  for (int i = 0; i < 5; ++i) {
    auto a = mail(Scenario::identity_misused_external, "x@other.example");
    a.verdict.accounts_to_reset = {"h.suzuki@sample-shoji.example"};
    campaign_.add(a);
  }
  // Passed our server without authentication, three mails: likely.
  for (int i = 0; i < 3; ++i)
    campaign_.add(own_account("k.sato@sample-shoji.example", evidence::Origin::own_server));
  // Authenticated submission, one mail: confirmed.
  campaign_.add(own_account("t.yamada@sample-shoji.example",
                            evidence::Origin::own_server_authenticated,
                            "T.Yamada@sample-shoji.example"));
  logs::LogReport logs;
  logs::AccountSummary flagged;
  flagged.account = "m.watanabe@sample-shoji.example";
  flagged.flagged = true;
  flagged.messages = 2000;
  flagged.reasons = {logs::Reason::burst};
  logs.accounts.push_back(flagged);
  campaign_.add_logs(logs);

  auto s = campaign_.summary();
  ASSERT_EQ(s.accounts_to_reset.size(), 4u);
  // Both confirmed: the one with a sample mail first, the logs-only one (0 mails) after it.
  EXPECT_EQ(s.accounts_to_reset[0].target, "t.yamada@sample-shoji.example");
  EXPECT_EQ(s.accounts_to_reset[1].target, "m.watanabe@sample-shoji.example");
  EXPECT_EQ(s.accounts_to_reset[2].target, "k.sato@sample-shoji.example");
  EXPECT_EQ(s.accounts_to_reset[3].target, "h.suzuki@sample-shoji.example");
  EXPECT_EQ(s.accounts_to_reset[0].certainty, Certainty::confirmed);
  EXPECT_EQ(s.accounts_to_reset[0].employee, "山田 太郎");
  EXPECT_NE(std::ranges::find(s.accounts_to_reset[0].evidence, "authenticated-account"),
            s.accounts_to_reset[0].evidence.end());
  EXPECT_EQ(s.accounts_to_reset[1].certainty, Certainty::confirmed);
  EXPECT_EQ(s.accounts_to_reset[1].messages, 0u);
  EXPECT_EQ(s.accounts_to_reset[1].sources, std::vector<std::string>{"logs"});
  EXPECT_EQ(s.accounts_to_reset[1].evidence, std::vector<std::string>{"logs:burst"});
  EXPECT_EQ(s.accounts_to_reset[2].certainty, Certainty::likely);
  EXPECT_EQ(s.accounts_to_reset[2].messages, 3u);
  EXPECT_EQ(s.accounts_to_reset[3].certainty, Certainty::possible);
  EXPECT_EQ(s.accounts_to_reset[3].messages, 5u);
  auto json = campaign_.to_json();
  EXPECT_EQ(json["accounts_to_reset"][2]["certainty"], "likely");
  EXPECT_EQ(json["mass_sending_accounts"][0]["reasons"][0], "burst");
}

TEST_F(CampaignTest, LaterProofRaisesCertaintyAndJoinsSources) {
  campaign_.add(own_account("t.yamada@sample-shoji.example", evidence::Origin::own_server));
  logs::LogReport logs;
  logs::AccountSummary flagged;
  flagged.account = "T.Yamada@sample-shoji.example";
  flagged.flagged = true;
  logs.accounts.push_back(flagged);
  campaign_.add_logs(logs);
  auto s = campaign_.summary();
  ASSERT_EQ(s.accounts_to_reset.size(), 1u);
  EXPECT_EQ(s.accounts_to_reset[0].certainty, Certainty::confirmed);
  EXPECT_EQ(s.accounts_to_reset[0].messages, 1u);
  EXPECT_EQ(s.accounts_to_reset[0].sources, (std::vector<std::string>{"mail", "logs"}));
}

TEST_F(CampaignTest, OutsideSendersAreGroupedByProviderAndOwnerDomain) {
  auto add = [&](std::string from, std::string display, Scenario scenario) {
    auto a = mail(scenario, std::move(from));
    a.evidence.from.display_name = a.message.envelope.from[0].display_name = std::move(display);
    if (a.evidence.from.address.ends_with("partner.example")) {
      a.evidence.from_domain_match.kind = profile::DomainKind::partner;
      a.evidence.from_domain_match.partner = 0;
    }
    campaign_.add(a);
  };
  add("yamada.taro@gmail.com", "山田 太郎", Scenario::identity_misused_external);
  add("Yamada.Taro@gmail.com", "Taro", Scenario::identity_misused_external);
  add("someone@googlemail.com", "", Scenario::external_malspam);
  add("a@mail.other.example", "", Scenario::external_malspam);
  add("b@other.example", "", Scenario::external_malspam);
  add("o.nakamura@partner.example", "中村", Scenario::identity_misused_external);
  auto s = campaign_.summary();

  ASSERT_EQ(s.senders_to_contact.size(), 5u);
  EXPECT_EQ(s.senders_to_contact[0].target, "yamada.taro@gmail.com");  // 2 mails, one address
  EXPECT_EQ(s.senders_to_contact[0].messages, 2u);
  EXPECT_EQ(s.senders_to_contact[0].display_names, (std::vector<std::string>{"山田 太郎", "Taro"}));
  EXPECT_EQ(s.senders_to_contact[0].kind, "freemail");
  EXPECT_EQ(s.senders_to_contact[0].provider, "Gmail (Google)");

  ASSERT_EQ(s.sender_groups.size(), 3u);
  EXPECT_EQ(s.sender_groups[0].provider, "Gmail (Google)");
  EXPECT_EQ(s.sender_groups[0].domain, "gmail.com");
  EXPECT_EQ(s.sender_groups[0].messages, 3u);
  EXPECT_EQ(s.sender_groups[0].addresses,
            (std::vector<std::string>{"someone@googlemail.com", "yamada.taro@gmail.com"}));
  EXPECT_EQ(s.sender_groups[0].abuse_contact, "https://support.google.com/mail/contact/abuse");
  EXPECT_EQ(s.sender_groups[1].domain, "other.example");  // a sub-domain joins its owner
  EXPECT_EQ(s.sender_groups[1].kind, "domain");
  EXPECT_EQ(s.sender_groups[1].messages, 2u);
  EXPECT_EQ(s.sender_groups[1].abuse_contact, "abuse@other.example");
  EXPECT_EQ(s.sender_groups[2].domain, "partner.example");
  EXPECT_EQ(s.sender_groups[2].partner, "取引先株式会社");
  EXPECT_EQ(s.sender_groups[2].abuse_contact, "it@partner.example");  // the profile's contact

  // Mail pretending to be us; plain malspam is not a forgery of ours.
  ASSERT_EQ(s.forged_senders.size(), 3u);
  EXPECT_EQ(s.forged_senders[0].address, "o.nakamura@partner.example");
}

TEST_F(CampaignTest, PartnersInQuotedThreadsAndPeople) {
  auto a = mail(Scenario::identity_misused_external, "x@other.example");
  a.evidence.quoted_participants.push_back({"中村", "o.nakamura@Partner.example", -1});
  a.evidence.quoted_participants.push_back({"経理", "keiri@jp.partner.example", -1});
  a.evidence.quoted_participants.push_back({"他社", "z@partner.example.evil", -1});
  evidence::EmployeeReference yamada{0,
                                     "山田 太郎",
                                     "t.yamada@sample-shoji.example",
                                     {"display-name", "quoted-thread", "recipient"}};
  a.evidence.employees_referenced.push_back(yamada);
  a.verdict.check_pcs_first = {"山田 太郎 <t.yamada@sample-shoji.example>"};
  campaign_.add(a);
  campaign_.add(a);
  auto s = campaign_.summary();
  ASSERT_EQ(s.partners_in_threads.size(), 1u);
  EXPECT_EQ(s.partners_in_threads[0].target, "取引先株式会社");
  EXPECT_EQ(s.partners_in_threads[0].contact, "it@partner.example");
  EXPECT_EQ(s.partners_in_threads[0].messages, 2u);
  EXPECT_EQ(s.partners_in_threads[0].addresses,
            (std::vector<std::string>{"o.nakamura@partner.example", "keiri@jp.partner.example"}));
  ASSERT_EQ(s.employees_impersonated.size(), 1u);
  EXPECT_EQ(s.employees_impersonated[0].target, "t.yamada@sample-shoji.example");
  EXPECT_EQ(s.employees_impersonated[0].name, "山田 太郎");
  EXPECT_EQ(s.employees_impersonated[0].where,
            (std::vector<std::string>{"display-name", "quoted-thread"}));
  ASSERT_EQ(s.check_pcs_first.size(), 1u);
  EXPECT_EQ(s.check_pcs_first[0].messages, 2u);
  EXPECT_EQ(s.our_addresses, std::vector<std::string>{"t.yamada@sample-shoji.example"});
}

TEST_F(CampaignTest, PeriodIsComparedAsInstantsAndDaysAreTheSendersOwn) {
  // 01:00Z, 02:00Z and 04:30Z: as text the -05:00 one would sort first.
  campaign_.add(mail(Scenario::external_malspam, "a@x.example", "2026-01-05T10:00:00+09:00"));
  campaign_.add(mail(Scenario::external_malspam, "b@x.example", "2026-01-04T23:30:00-05:00"));
  campaign_.add(mail(Scenario::external_malspam, "c@x.example", "2026-01-05T02:00:00+00:00"));
  campaign_.add(mail(Scenario::not_suspicious, "d@x.example", "2026-01-01T00:00:00+09:00"));
  campaign_.add(mail(Scenario::external_malspam, "e@x.example"));  // undated
  auto s = campaign_.summary();
  EXPECT_EQ(s.first_seen, "2026-01-05T10:00:00+09:00");  // benign mail is outside the period
  EXPECT_EQ(s.last_seen, "2026-01-04T23:30:00-05:00");
  ASSERT_EQ(s.per_day.size(), 3u);
  EXPECT_EQ(s.per_day[0].date, "2026-01-01");
  EXPECT_EQ(s.per_day[0].suspicious, 0u);
  EXPECT_EQ(s.per_day[1].date, "2026-01-04");
  EXPECT_EQ(s.per_day[2].date, "2026-01-05");
  EXPECT_EQ(s.per_day[2].messages, 2u);
  ASSERT_EQ(s.timeline.size(), 4u);
  EXPECT_EQ(s.timeline[0].from, "a@x.example");
  EXPECT_EQ(s.timeline[1].from, "c@x.example");
  EXPECT_EQ(s.timeline[2].from, "b@x.example");
  EXPECT_EQ(s.timeline[3].from, "e@x.example");  // undated last
}

TEST_F(CampaignTest, TechniquesCountMailsNotFindings) {
  for (int i = 0; i < 2; ++i) {
    auto a = mail(Scenario::external_malspam, "a@x.example");
    a.inspection.findings.push_back(
        {"attachment.office-macro", core::Severity::medium, "", "", "", "2"});
    a.inspection.findings.push_back(
        {"attachment.office-macro", core::Severity::medium, "", "", "", "3"});
    a.evidence.findings.push_back(
        {"routing.external-origin", core::Severity::high, "", "", "", ""});
    a.message.findings.push_back({"parse.malformed", core::Severity::low, "", "", "", ""});
    campaign_.add(a);
  }
  auto benign = mail(Scenario::not_suspicious, "b@x.example");
  benign.inspection.findings.push_back({"attachment.lnk", core::Severity::high, "", "", "", ""});
  campaign_.add(benign);
  auto s = campaign_.summary();
  ASSERT_EQ(s.techniques.size(), 1u);
  EXPECT_EQ(s.techniques[0].target, "attachment.office-macro");
  EXPECT_EQ(s.techniques[0].messages, 2u);
}

TEST(Campaign, WorksWithoutProfileOrContacts) {
  Campaign campaign;
  auto a = mail(Scenario::external_malspam, "x@gmail.com");
  a.evidence.quoted_participants.push_back({"", "o@partner.example", -1});
  campaign.add(a);
  auto s = campaign.summary();
  ASSERT_EQ(s.senders_to_contact.size(), 1u);
  EXPECT_EQ(s.senders_to_contact[0].kind, "freemail");  // the profile module's list
  EXPECT_EQ(s.senders_to_contact[0].abuse_contact, "abuse@gmail.com");
  EXPECT_TRUE(s.partners_in_threads.empty());
  EXPECT_FALSE(campaign.text({Lang::ja, false}).empty());
}

}  // namespace
}  // namespace emotriage::report
