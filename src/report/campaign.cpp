#include "report/campaign.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include "core/text.hpp"
#include "evidence/routing.hpp"
#include "profile/matcher.hpp"
#include "report/format.hpp"
#include "verdict/verdict.hpp"

namespace emotriage::report {

namespace {

using Json = nlohmann::ordered_json;

void add_unique(std::vector<std::string>& list, std::string_view value) {
  if (!value.empty() && std::ranges::find(list, value) == list.end()) list.emplace_back(value);
}

bool has_finding(const verdict::Analysis& analysis, std::string_view id) {
  auto findings = verdict::all_findings(analysis.message, analysis.evidence, analysis.inspection);
  return std::ranges::any_of(findings, [&](const core::Finding* f) { return f->id == id; });
}

// The finding ids that describe how a mail attacks (not parse trouble, not routing facts).
bool is_technique(const core::Finding& finding) {
  return finding.severity != core::Severity::info && !finding.id.starts_with("parse.") &&
         !finding.id.starts_with("routing.");
}

std::string person_label(const evidence::EmployeeReference& reference) {
  if (reference.email.empty()) return reference.name;
  return reference.name + " <" + reference.email + ">";
}

bool impersonates(const evidence::EmployeeReference& reference) {
  return std::ranges::any_of(reference.where, [](const std::string& where) {
    return where == "display-name" || where == "signature" || where == "from-address";
  });
}

// Most messages first, then by name: the order every list of the view uses.
template <typename T>
void sort_by_messages(std::vector<T>& items, auto key) {
  std::ranges::stable_sort(items, [&](const T& a, const T& b) {
    if (a.messages != b.messages) return a.messages > b.messages;
    return key(a) < key(b);
  });
}

Json counts_json(const std::vector<KeyCount>& items) {
  Json out = Json::array();
  for (const auto& item : items)
    out.push_back({{"target", item.target}, {"messages", item.messages}});
  return out;
}

}  // namespace

std::string_view to_string(Certainty certainty) {
  switch (certainty) {
    case Certainty::confirmed:
      return "confirmed";
    case Certainty::likely:
      return "likely";
    case Certainty::possible:
      return "possible";
  }
  return "possible";
}

Campaign::Campaign(const profile::Profile* profile, const AbuseContacts* contacts)
    : profile_(profile), contacts_(contacts) {}

std::string Campaign::employee_name(std::string_view address) const {
  if (profile_ == nullptr) return {};
  std::string lowered = core::ascii_lower(address);
  for (const auto& employee : profile_->employees) {
    if (std::ranges::find(employee.emails, lowered) != employee.emails.end() &&
        !employee.names.empty()) {
      return employee.names.front();
    }
  }
  return {};
}

void Campaign::add_account(const std::string& account, Certainty certainty,
                           const std::vector<std::string>& evidence, std::string_view source,
                           bool counts_message) {
  if (account.empty()) return;
  Account& entry = accounts_[core::ascii_lower(account)];
  if (counts_message) ++entry.messages;
  entry.certainty = std::min(entry.certainty, certainty);  // confirmed < likely < possible
  for (const auto& item : evidence) add_unique(entry.evidence, item);
  add_unique(entry.sources, source);
}

void Campaign::add(const verdict::Analysis& analysis) {
  ++messages_;
  const auto& v = analysis.verdict;
  const auto& ev = analysis.evidence;
  std::string scenario(verdict::to_string(v.scenario));
  auto known = std::ranges::find(scenarios_, scenario, &KeyCount::target);
  if (known == scenarios_.end())
    scenarios_.push_back({scenario, 1});
  else
    ++known->messages;
  add_time(analysis);
  if (!v.suspicious) return;
  ++suspicious_;
  if (v.emotet_like) ++emotet_like_;

  if (v.scenario == verdict::Scenario::own_account_compromised) {
    // Step ⑤ with the mail's own proof: an account our server authenticated is certain; a mail
    // that only passed our servers names its From account as likely; without a Received chain
    // nothing shows which way it came.
    std::string authenticated = core::ascii_lower(ev.authenticated_account);
    std::vector<std::string> evidence{"origin:" + std::string(origin_id(ev.origin))};
    for (std::string_view id : {"sender.own-domain", "routing.own-server"}) {
      if (has_finding(analysis, id)) evidence.emplace_back(id);
    }
    for (const auto& account : v.accounts_to_reset) {
      bool confirmed = authenticated.empty()
                           ? ev.origin == evidence::Origin::own_server_authenticated
                           : account == authenticated;
      std::vector<std::string> account_evidence = evidence;
      if (confirmed && !authenticated.empty())
        account_evidence.emplace_back("authenticated-account");
      Certainty certainty = confirmed                                ? Certainty::confirmed
                            : ev.origin == evidence::Origin::unknown ? Certainty::possible
                                                                     : Certainty::likely;
      add_account(account, certainty, account_evidence, "mail", true);
    }
  } else {
    for (const auto& account : v.accounts_to_reset) {
      add_account(account, Certainty::possible, {"identity.employee-in-quoted-thread"}, "mail",
                  true);
    }
  }
  add_people(analysis);
  add_sender(analysis);
  add_partners(analysis);
  std::set<std::string> techniques;
  for (const auto* finding : verdict::all_findings(analysis.message, ev, analysis.inspection)) {
    if (is_technique(*finding)) techniques.insert(finding->id);
  }
  for (const auto& id : techniques) ++techniques_[id];
}

void Campaign::add_people(const verdict::Analysis& analysis) {
  const auto& ev = analysis.evidence;
  // An inline forward by one of ours stands for the forwarded mail: its people, not the reporter's.
  const bool forwarded = verdict::judged_by_inline_forward(ev);
  for (const auto& reference :
       forwarded ? ev.inline_forward->references : ev.employees_referenced) {
    std::string target = reference.email.empty() ? reference.name : reference.email;
    add_unique(our_addresses_, reference.email);
    if (impersonates(reference)) {
      Person& person = impersonated_[target];
      person.name = reference.name;
      ++person.messages;
      for (const auto& where : reference.where) {
        if (where != "recipient" && where != "addressee") add_unique(person.where, where);
      }
    }
    if (std::ranges::find(analysis.verdict.check_pcs_first, person_label(reference)) !=
        analysis.verdict.check_pcs_first.end()) {
      Person& person = check_pcs_[target];
      person.name = reference.name;
      ++person.messages;
    }
  }
  bool real_send = analysis.verdict.scenario == verdict::Scenario::own_account_compromised ||
                   ev.from_employee.has_value();
  if (!forwarded && ev.from_domain_match.kind == profile::DomainKind::own && real_send) {
    add_unique(our_addresses_, core::ascii_lower(ev.from.address));
  }
}

void Campaign::add_sender(const verdict::Analysis& analysis) {
  const auto& ev = analysis.evidence;
  const auto scenario = analysis.verdict.scenario;
  // An inline forward by one of ours: the forwarded sender, not the colleague who reported it.
  const bool forwarded = verdict::judged_by_inline_forward(ev);
  const core::Mailbox& from = forwarded ? ev.inline_forward->sender : ev.from;
  const profile::DomainMatch& match =
      forwarded ? ev.inline_forward->domain_match : ev.from_domain_match;
  if (from.address.empty()) return;
  std::string address = core::ascii_lower(from.address);
  // Mail that pretends to be us without being a real send of ours: what the notice warns about.
  if (scenario == verdict::Scenario::own_address_spoofed ||
      scenario == verdict::Scenario::identity_misused_external) {
    ++forged_[{address, from.display_name}];
  }
  if (scenario != verdict::Scenario::identity_misused_external &&
      scenario != verdict::Scenario::external_malspam) {
    return;
  }
  Sender& sender = senders_[address];
  ++sender.messages;
  add_unique(sender.display_names, from.display_name);
  if (match.kind == profile::DomainKind::lookalike_own ||
      match.kind == profile::DomainKind::lookalike_partner) {
    sender.imitates = match.imitated;
  }
  if (match.kind == profile::DomainKind::partner) sender.partner = match.partner;
}

void Campaign::add_partners(const verdict::Analysis& analysis) {
  if (profile_ == nullptr) return;
  const auto& partners = profile_->partners;
  std::map<int, std::string> seen;  // partner -> the partner domain that matched
  for (const auto& participant : analysis.evidence.quoted_participants) {
    std::string domain = profile::address_domain(participant.address);
    if (domain.empty()) continue;
    for (std::size_t i = 0; i < partners.size(); ++i) {
      for (const auto& partner_domain : partners[i].domains) {
        if (domain == partner_domain || domain.ends_with("." + partner_domain)) {
          seen.emplace(static_cast<int>(i), partner_domain);
          add_unique(partners_[static_cast<int>(i)].addresses,
                     core::ascii_lower(participant.address));
        }
      }
    }
  }
  for (const auto& [index, domain] : seen) {
    Partner& partner = partners_[index];
    if (partner.domain.empty()) partner.domain = domain;
    ++partner.messages;
  }
}

void Campaign::add_time(const verdict::Analysis& analysis) {
  const auto& env = analysis.message.envelope;
  const auto& v = analysis.verdict;
  std::optional<std::int64_t> epoch = evidence::iso_to_epoch(env.date);
  if (epoch && env.date.size() >= 10) {
    Day& day = days_[env.date.substr(0, 10)];
    ++day.messages;
    if (v.suspicious) ++day.suspicious;
  }
  if (!v.suspicious) return;
  // Compared as instants: "10:00+09:00" is earlier than "02:00+00:00" though it sorts later.
  if (epoch) {
    if (!first_ || *epoch < first_->epoch) first_ = Dated{*epoch, env.date};
    if (!last_ || *epoch > last_->epoch) last_ = Dated{*epoch, env.date};
  }
  TimelineEntry entry{env.date,    analysis.message.locator,
                      env.subject, env.from.empty() ? std::string() : env.from.front().address,
                      v.scenario,  v.emotet_like};
  // Keeps the earliest kTimelineEntries; undated mail goes last.
  std::int64_t key = epoch.value_or(INT64_MAX);
  if (timeline_.size() >= kTimelineEntries) {
    ++timeline_omitted_;
    auto latest = std::prev(timeline_.end());
    if (key >= latest->first) return;
    timeline_.erase(latest);
  }
  timeline_.emplace(key, std::move(entry));
}

void Campaign::add_logs(const logs::LogReport& report) {
  logs_given_ = true;
  for (const auto& account : report.accounts) {
    if (!account.flagged) continue;
    MassSendingAccount entry{account.account, account.employee, account.messages, {}};
    for (auto reason : account.reasons) entry.reasons.emplace_back(logs::reason_id(reason));
    std::vector<std::string> evidence;
    for (const auto& reason : entry.reasons) evidence.push_back("logs:" + reason);
    add_account(account.account, Certainty::confirmed, evidence, "logs", false);
    // Several log files (rotated sets uploaded one by one) report the same account once.
    auto same = std::ranges::find(mass_sending_, entry.account, &MassSendingAccount::account);
    if (same == mass_sending_.end()) {
      mass_sending_.push_back(std::move(entry));
      continue;
    }
    same->messages += entry.messages;
    for (auto& reason : entry.reasons) {
      if (std::ranges::find(same->reasons, reason) == same->reasons.end())
        same->reasons.push_back(std::move(reason));
    }
  }
}

SenderToContact Campaign::sender_entry(const std::string& address, const Sender& sender) const {
  SenderToContact out;
  out.target = address;
  out.messages = sender.messages;
  out.display_names = sender.display_names;
  out.domain = profile::address_domain(address);
  out.imitates = sender.imitates;
  std::string registrable = profile::registrable_domain(out.domain);
  const MailProvider* provider = contacts_ ? contacts_->provider_for(out.domain) : nullptr;
  const profile::Partner* partner = nullptr;
  if (profile_ != nullptr && sender.partner >= 0 &&
      static_cast<std::size_t>(sender.partner) < profile_->partners.size()) {
    partner = &profile_->partners[static_cast<std::size_t>(sender.partner)];
    out.partner = partner->name;
  }
  if (provider != nullptr) {
    out.kind = "freemail";
    out.provider = provider->name;
    out.abuse_contact = provider->abuse;
  } else {
    out.kind = profile::Matcher::is_freemail(out.domain) ? "freemail" : "domain";
    out.abuse_contact = partner != nullptr && !partner->contact.empty()
                            ? partner->contact
                            : (registrable.empty() ? std::string() : "abuse@" + registrable);
  }
  return out;
}

CampaignSummary Campaign::summary() const {
  CampaignSummary out;
  out.messages = messages_;
  out.suspicious = suspicious_;
  out.emotet_like = emotet_like_;
  out.scenarios = scenarios_;

  for (const auto& [target, account] : accounts_) {
    out.accounts_to_reset.push_back({target, employee_name(target), account.messages,
                                     account.certainty, account.evidence, account.sources});
  }
  std::ranges::stable_sort(out.accounts_to_reset, [](const auto& a, const auto& b) {
    if (a.certainty != b.certainty) return a.certainty < b.certainty;
    if (a.messages != b.messages) return a.messages > b.messages;
    return a.target < b.target;
  });

  std::map<std::string, SenderGroup> groups;
  for (const auto& [address, sender] : senders_) {
    SenderToContact entry = sender_entry(address, sender);
    const MailProvider* provider = contacts_ ? contacts_->provider_for(entry.domain) : nullptr;
    std::string domain =
        provider != nullptr ? provider->domains.front() : profile::registrable_domain(entry.domain);
    SenderGroup& group = groups[(provider != nullptr ? "provider:" : "domain:") + domain];
    group.domain = domain;
    group.kind = entry.kind;
    group.provider = entry.provider;
    group.abuse_contact = entry.abuse_contact;
    if (!entry.partner.empty()) group.partner = entry.partner;
    group.addresses.push_back(address);
    group.messages += entry.messages;
    out.senders_to_contact.push_back(std::move(entry));
  }
  sort_by_messages(out.senders_to_contact, [](const auto& s) { return s.target; });
  for (auto& [key, group] : groups) out.sender_groups.push_back(std::move(group));
  sort_by_messages(out.sender_groups, [](const auto& g) { return g.domain; });

  for (const auto& [target, person] : impersonated_) {
    out.employees_impersonated.push_back({target, person.name, person.messages, person.where});
  }
  sort_by_messages(out.employees_impersonated, [](const auto& p) { return p.target; });
  for (const auto& [target, person] : check_pcs_) {
    out.check_pcs_first.push_back({target, person.name, person.messages, {}});
  }
  sort_by_messages(out.check_pcs_first, [](const auto& p) { return p.target; });

  for (const auto& [index, partner] : partners_) {
    if (partner.messages == 0) continue;
    const auto& known = profile_->partners[static_cast<std::size_t>(index)];
    out.partners_in_threads.push_back(
        {known.name, partner.domain, known.contact, partner.addresses, partner.messages});
  }
  sort_by_messages(out.partners_in_threads, [](const auto& p) { return p.target; });

  for (const auto& [key, messages] : forged_) {
    out.forged_senders.push_back({key.first, key.second, messages});
  }
  sort_by_messages(out.forged_senders,
                   [](const auto& f) { return std::pair(f.address, f.display_name); });

  out.our_addresses = our_addresses_;
  std::ranges::sort(out.our_addresses);
  for (const auto& [id, messages] : techniques_) out.techniques.push_back({id, messages});
  sort_by_messages(out.techniques, [](const auto& t) { return t.target; });
  for (const auto& [date, day] : days_) out.per_day.push_back({date, day.messages, day.suspicious});
  for (const auto& [epoch, entry] : timeline_) out.timeline.push_back(entry);
  out.timeline_omitted = timeline_omitted_;
  if (first_) out.first_seen = first_->text;
  if (last_) out.last_seen = last_->text;
  out.logs_given = logs_given_;
  out.mass_sending = mass_sending_;
  return out;
}

Json Campaign::to_json() const {
  CampaignSummary s = summary();
  Json scenarios = Json::object();
  for (const auto& item : s.scenarios) scenarios[item.target] = item.messages;
  Json accounts = Json::array();
  for (const auto& a : s.accounts_to_reset) {
    accounts.push_back({{"target", a.target},
                        {"messages", a.messages},
                        {"employee", a.employee},
                        {"certainty", to_string(a.certainty)},
                        {"evidence", a.evidence},
                        {"sources", a.sources}});
  }
  Json senders = Json::array();
  for (const auto& c : s.senders_to_contact) {
    Json entry = {{"target", c.target},
                  {"messages", c.messages},
                  {"display_names", c.display_names},
                  {"domain", c.domain},
                  {"kind", c.kind},
                  {"provider", c.provider},
                  {"abuse_contact", c.abuse_contact},
                  {"partner", c.partner}};
    if (!c.imitates.empty()) entry["imitates"] = c.imitates;
    senders.push_back(std::move(entry));
  }
  Json groups = Json::array();
  for (const auto& g : s.sender_groups) {
    groups.push_back({{"domain", g.domain},
                      {"kind", g.kind},
                      {"provider", g.provider},
                      {"abuse_contact", g.abuse_contact},
                      {"partner", g.partner},
                      {"addresses", g.addresses},
                      {"messages", g.messages}});
  }
  Json impersonated = Json::array();
  for (const auto& p : s.employees_impersonated) {
    impersonated.push_back(
        {{"target", p.target}, {"name", p.name}, {"messages", p.messages}, {"where", p.where}});
  }
  Json pcs = Json::array();
  for (const auto& p : s.check_pcs_first) {
    pcs.push_back({{"target", p.target}, {"name", p.name}, {"messages", p.messages}});
  }
  Json partners = Json::array();
  for (const auto& p : s.partners_in_threads) {
    partners.push_back({{"target", p.target},
                        {"domain", p.domain},
                        {"contact", p.contact},
                        {"addresses", p.addresses},
                        {"messages", p.messages}});
  }
  Json forged = Json::array();
  for (const auto& f : s.forged_senders) {
    forged.push_back(
        {{"address", f.address}, {"display_name", f.display_name}, {"messages", f.messages}});
  }
  Json per_day = Json::array();
  for (const auto& d : s.per_day) {
    per_day.push_back({{"date", d.date}, {"messages", d.messages}, {"suspicious", d.suspicious}});
  }
  Json out = {{"messages", s.messages},
              {"suspicious", s.suspicious},
              {"emotet_like", s.emotet_like},
              {"scenarios", std::move(scenarios)},
              {"accounts_to_reset", std::move(accounts)},
              {"senders_to_contact", std::move(senders)},
              {"sender_groups", std::move(groups)},
              {"employees_impersonated", std::move(impersonated)},
              {"check_pcs_first", std::move(pcs)},
              {"partners_in_threads", std::move(partners)},
              {"forged_senders", std::move(forged)},
              {"our_addresses", s.our_addresses},
              {"techniques", counts_json(s.techniques)},
              {"per_day", std::move(per_day)},
              {"first_seen", s.first_seen},
              {"last_seen", s.last_seen}};
  if (s.logs_given) {
    Json mass = Json::array();
    for (const auto& account : s.mass_sending) {
      mass.push_back({{"account", account.account},
                      {"employee", account.employee},
                      {"messages", account.messages},
                      {"reasons", account.reasons}});
    }
    out["mass_sending_accounts"] = std::move(mass);
  }
  return out;
}

std::string_view certainty_label(Certainty certainty, Lang lang) {
  switch (certainty) {
    case Certainty::confirmed:
      return pick(lang, "確実", "confirmed");
    case Certainty::likely:
      return pick(lang, "可能性大", "likely");
    case Certainty::possible:
      return pick(lang, "念のため", "possible");
  }
  return {};
}

std::string evidence_label(std::string_view evidence, Lang lang) {
  if (!evidence.starts_with("logs:")) return std::string(evidence);
  return std::string(pick(lang, "ログ: ", "logs: ")) +
         std::string(logs::reason_label(evidence.substr(5), lang == Lang::ja));
}

std::string messages_label(std::size_t messages, Lang lang) {
  if (lang == Lang::ja) return std::to_string(messages) + " 通";
  return std::to_string(messages) + (messages == 1 ? " message" : " messages");
}

std::string Campaign::text(const TextOptions& options) const {
  const Lang lang = options.lang;
  CampaignSummary s = summary();
  std::ostringstream out;
  out << "━━ " << pick(lang, "まとめ", "Summary") << ": " << s.messages
      << pick(lang, " 通中 ", " messages, ") << s.suspicious
      << pick(lang, " 通が不審 (Emotet 型 ", " suspicious (Emotet-like ") << s.emotet_like
      << pick(lang, " 通)", ")") << "\n";
  auto heading = [&](std::string_view ja, std::string_view en) {
    out << "  " << pick(lang, ja, en) << ":\n";
  };
  auto count = [&](std::size_t messages) {
    return messages == 0 ? std::string(pick(lang, "ログから", "from the logs"))
                         : messages_label(messages, lang);
  };
  if (!s.accounts_to_reset.empty()) {
    heading("パスワードを変更するアカウント (確実なものから)",
            "Accounts to reset (most certain first)");
    for (const auto& a : s.accounts_to_reset) {
      out << "    [" << certainty_label(a.certainty, lang) << "] " << one_line(a.target);
      if (!a.employee.empty()) out << " (" << one_line(a.employee) << ")";
      out << "  " << count(a.messages) << "  ";
      for (std::size_t i = 0; i < a.evidence.size(); ++i)
        out << (i ? ", " : "") << evidence_label(a.evidence[i], lang);
      out << "\n";
    }
  }
  if (s.logs_given) {
    out << "  "
        << pick(lang, "メールサーバーのログで大量送信が見つかったアカウント",
                "Accounts mass-sending in the mail-server logs")
        << ": " << s.mass_sending.size() << "\n";
    for (const auto& account : s.mass_sending) {
      out << "    " << one_line(account.account);
      if (!account.employee.empty()) out << " (" << one_line(account.employee) << ")";
      out << " " << account.messages << pick(lang, " 通, 理由: ", " messages, reasons: ");
      for (std::size_t i = 0; i < account.reasons.size(); ++i)
        out << (i ? ", " : "") << logs::reason_label(account.reasons[i], lang == Lang::ja);
      out << "\n";
    }
  }
  if (!s.sender_groups.empty()) {
    heading("連絡先 (送信元のドメイン・事業者ごと)",
            "Whom to contact (by owner domain or provider)");
    for (const auto& g : s.sender_groups) {
      out << "    " << one_line(g.provider.empty() ? g.domain : g.provider);
      if (!g.partner.empty())
        out << pick(lang, " (取引先 ", " (partner ") << one_line(g.partner) << ")";
      out << "  " << messages_label(g.messages, lang) << pick(lang, "  連絡先: ", "  contact: ")
          << one_line(g.abuse_contact) << "\n      ";
      for (std::size_t i = 0; i < g.addresses.size(); ++i)
        out << (i ? ", " : "") << one_line(g.addresses[i]);
      out << "\n";
    }
  }
  auto people = [&](std::string_view ja, std::string_view en,
                    const std::vector<PersonCount>& items) {
    if (items.empty()) return;
    heading(ja, en);
    for (const auto& p : items) {
      out << "    " << one_line(p.name);
      if (p.target != p.name) out << " <" << one_line(p.target) << ">";
      out << "  " << messages_label(p.messages, lang);
      if (!p.where.empty()) {
        out << "  (";
        for (std::size_t i = 0; i < p.where.size(); ++i) out << (i ? ", " : "") << p.where[i];
        out << ")";
      }
      out << "\n";
    }
  };
  people("名前を使われた社員", "Employees whose names are used", s.employees_impersonated);
  people("最初に確認する PC", "PCs to check first", s.check_pcs_first);
  if (!s.partners_in_threads.empty()) {
    heading("引用されたやり取りに出てくる取引先", "Partners in the quoted threads");
    for (const auto& p : s.partners_in_threads) {
      out << "    " << one_line(p.target) << " (" << one_line(p.domain) << ")  "
          << messages_label(p.messages, lang);
      if (!p.contact.empty()) out << pick(lang, "  連絡先: ", "  contact: ") << one_line(p.contact);
      out << "\n";
    }
  }
  if (!s.forged_senders.empty()) {
    heading("偽の差出人", "Forged senders");
    for (const auto& f : s.forged_senders) {
      out << "    ";
      if (!f.display_name.empty()) out << "\"" << one_line(f.display_name) << "\" ";
      out << "<" << one_line(f.address) << ">  " << messages_label(f.messages, lang) << "\n";
    }
  }
  if (!s.techniques.empty()) {
    out << "  " << pick(lang, "手口", "Techniques") << ": ";
    for (std::size_t i = 0; i < s.techniques.size(); ++i) {
      out << (i ? ", " : "") << s.techniques[i].target << " ×" << s.techniques[i].messages;
    }
    out << "\n";
  }
  if (!s.first_seen.empty()) {
    out << "  " << pick(lang, "期間", "Period") << ": " << one_line(s.first_seen) << " – "
        << one_line(s.last_seen) << "\n";
  }
  return out.str();
}

}  // namespace emotriage::report
