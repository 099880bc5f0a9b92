// The campaign view: what a batch of analysed mails adds up to, for each party that must hear
// something (docs/report-schema.md, CAMPAIGN). Accounts of ours to reset, ranked by certainty;
// outside senders grouped by owner domain or free-mail provider with the abuse desk; employees
// and partners whose names or threads are used; forged senders; techniques; mails per day.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "logs/logs.hpp"
#include "profile/profile.hpp"
#include "report/abuse_contacts.hpp"
#include "report/analysis_report.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::report {

enum class Certainty { confirmed, likely, possible };  // most certain first
std::string_view to_string(Certainty certainty);
std::string_view certainty_label(Certainty certainty, Lang lang);
// "3 通" / "1 message"
std::string messages_label(std::size_t messages, Lang lang);
// An account's evidence for a person: "logs:burst" in words; finding ids as they are.
std::string evidence_label(std::string_view evidence, Lang lang);

struct AccountToReset {
  std::string target;    // the account (address), lower case
  std::string employee;  // profile name of its owner, if any
  std::size_t messages = 0;
  Certainty certainty = Certainty::possible;
  std::vector<std::string> evidence;  // finding ids, "origin:…", "authenticated-account", "logs:…"
  std::vector<std::string> sources;  // "mail", "logs"
};

struct SenderToContact {
  std::string target;  // the From address, lower case
  std::size_t messages = 0;
  std::vector<std::string> display_names;
  std::string domain;    // the address's domain
  std::string kind;      // "freemail" or "domain"
  std::string provider;  // free-mail provider name
  std::string abuse_contact;
  std::string partner;   // the profile partner owning the domain
  std::string imitates;  // a lookalike of this own/partner domain
};

struct SenderGroup {
  std::string domain;  // registrable domain, or the provider's first domain
  std::string kind;
  std::string provider;
  std::string abuse_contact;
  std::string partner;
  std::vector<std::string> addresses;
  std::size_t messages = 0;
};

struct PersonCount {
  std::string target;  // email, or the name when the profile lists no email
  std::string name;
  std::size_t messages = 0;
  std::vector<std::string> where;  // employees_impersonated only
};

struct PartnerInThread {
  std::string target;  // partner name
  std::string domain;
  std::string contact;
  std::vector<std::string> addresses;  // the partner's people seen in the quoted threads
  std::size_t messages = 0;
};

struct ForgedSender {
  std::string address, display_name;
  std::size_t messages = 0;
};

struct KeyCount {
  std::string target;
  std::size_t messages = 0;
};

struct DayCount {
  std::string date;  // YYYY-MM-DD in the sender's own offset
  std::size_t messages = 0, suspicious = 0;
};

struct MassSendingAccount {
  std::string account, employee;
  std::uint64_t messages = 0;
  std::vector<std::string> reasons;
};

// One suspicious mail on the timeline, in time order.
struct TimelineEntry {
  std::string date, source, subject, from;
  verdict::Scenario scenario = verdict::Scenario::not_suspicious;
  bool emotet_like = false;
};

struct CampaignSummary {
  std::size_t messages = 0, suspicious = 0, emotet_like = 0;
  std::vector<KeyCount> scenarios;  // in the order first seen
  std::vector<AccountToReset> accounts_to_reset;
  std::vector<SenderToContact> senders_to_contact;
  std::vector<SenderGroup> sender_groups;
  std::vector<PersonCount> employees_impersonated;
  std::vector<PersonCount> check_pcs_first;
  std::vector<PartnerInThread> partners_in_threads;
  std::vector<ForgedSender> forged_senders;
  std::vector<std::string> our_addresses;
  std::vector<KeyCount> techniques;
  std::vector<DayCount> per_day;
  std::vector<TimelineEntry> timeline;  // at most kTimelineEntries
  std::size_t timeline_omitted = 0;
  std::string first_seen, last_seen;
  bool logs_given = false;
  std::vector<MassSendingAccount> mass_sending;
};

inline constexpr std::size_t kTimelineEntries = 1000;

class Campaign {
 public:
  // Without a profile there are no partners or employee names; without contacts every outside
  // domain gets abuse@<registrable domain>. Both must outlive the campaign.
  explicit Campaign(const profile::Profile* profile = nullptr,
                    const AbuseContacts* contacts = nullptr);

  void add(const verdict::Analysis& analysis);
  // `analyze --logs`: accounts the mail-server logs flag as mass-sending join the accounts to
  // reset (step ⑤) as confirmed, even when no sample mail of theirs was given.
  void add_logs(const logs::LogReport& report);

  CampaignSummary summary() const;
  nlohmann::ordered_json to_json() const;
  std::string text(const TextOptions& options) const;
  std::size_t suspicious() const { return suspicious_; }
  // Something to act on: a suspicious mail or a mass-sending account in the logs (exit status 1).
  bool needs_action() const { return suspicious_ > 0 || !mass_sending_.empty(); }

 private:
  struct Account {
    std::size_t messages = 0;
    Certainty certainty = Certainty::possible;
    std::vector<std::string> evidence, sources;
  };
  struct Sender {
    std::size_t messages = 0;
    std::vector<std::string> display_names;
    std::string imitates;
    int partner = -1;
  };
  struct Person {
    std::string name;
    std::size_t messages = 0;
    std::vector<std::string> where;
  };
  struct Partner {
    std::string domain;
    std::vector<std::string> addresses;
    std::size_t messages = 0;
  };
  struct Day {
    std::size_t messages = 0, suspicious = 0;
  };
  struct Dated {
    std::int64_t epoch = 0;
    std::string text;
  };

  void add_account(const std::string& account, Certainty certainty,
                   const std::vector<std::string>& evidence, std::string_view source,
                   bool counts_message);
  void add_people(const verdict::Analysis& analysis);
  void add_sender(const verdict::Analysis& analysis);
  void add_partners(const verdict::Analysis& analysis);
  void add_time(const verdict::Analysis& analysis);
  SenderToContact sender_entry(const std::string& address, const Sender& sender) const;
  std::string employee_name(std::string_view address) const;

  const profile::Profile* profile_;
  const AbuseContacts* contacts_;
  std::size_t messages_ = 0, suspicious_ = 0, emotet_like_ = 0;
  std::vector<KeyCount> scenarios_;
  std::map<std::string, Account> accounts_;
  std::map<std::string, Sender> senders_;
  std::map<std::string, Person> impersonated_, check_pcs_;
  std::map<int, Partner> partners_;
  std::map<std::pair<std::string, std::string>, std::size_t> forged_;
  std::vector<std::string> our_addresses_;
  std::map<std::string, std::size_t> techniques_;
  std::map<std::string, Day> days_;
  std::multimap<std::int64_t, TimelineEntry> timeline_;  // by time; equal times in input order
  std::size_t timeline_omitted_ = 0;
  std::optional<Dated> first_, last_;
  std::vector<MassSendingAccount> mass_sending_;
  bool logs_given_ = false;
};

}  // namespace emotriage::report
