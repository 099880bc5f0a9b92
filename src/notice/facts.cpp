#include "notice/facts.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "core/text.hpp"
#include "profile/domain.hpp"
#include "profile/matcher.hpp"
#include "report/format.hpp"

namespace emotriage::notice {

namespace {

using Json = nlohmann::ordered_json;
using report::Lang;

// Bidi embedding/override/isolate controls (U+202A..U+202E, U+2066..U+2069) and the marks
// U+200E/U+200F: they reorder what a reader sees ("exe.pdf" shown as "fdp.exe").
bool is_bidi_control(char32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F;
}

std::string escape_bidi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    // Bidi controls are all three-byte sequences starting with 0xE2 0x80 / 0xE2 0x81.
    if (i + 2 < utf8.size() && static_cast<unsigned char>(utf8[i]) == 0xE2) {
      char32_t c = ((static_cast<unsigned char>(utf8[i]) & 0x0F) << 12) |
                   ((static_cast<unsigned char>(utf8[i + 1]) & 0x3F) << 6) |
                   (static_cast<unsigned char>(utf8[i + 2]) & 0x3F);
      if (is_bidi_control(c)) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(c >> shift) & 15]);
        i += 3;
        continue;
      }
    }
    out.push_back(utf8[i++]);
  }
  return out;
}

std::string str(const Json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return clean_value(it->get_ref<const std::string&>());
}

std::uint64_t count(const Json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned()) return 0;
  return it->get<std::uint64_t>();
}

const Json& member(const Json& object, std::string_view key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string lower(std::string_view text) {
  return core::ascii_lower(text);
}

// "山田 太郎 <t.yamada@x>" (the campaign lists before the extension) or a bare target.
std::pair<std::string, std::string> split_target(const std::string& target) {
  auto open = target.rfind(" <");
  if (open != std::string::npos && target.ends_with('>')) {
    return {target.substr(0, open), lower(target.substr(open + 2, target.size() - open - 3))};
  }
  return {"", target.find('@') != std::string::npos ? lower(target) : target};
}

bool domain_within(std::string_view domain, std::string_view parent) {
  return !parent.empty() &&
         (domain == parent || (domain.size() > parent.size() && domain.ends_with(parent) &&
                               domain[domain.size() - parent.size() - 1] == '.'));
}

bool is_own_domain(const profile::Profile& profile, std::string_view domain) {
  return std::any_of(profile.company.domains.begin(), profile.company.domains.end(),
                     [&](const std::string& own) { return domain_within(domain, lower(own)); });
}

const profile::Partner* partner_of(const profile::Profile& profile, std::string_view domain) {
  for (const auto& partner : profile.partners) {
    for (const auto& partner_domain : partner.domains) {
      if (domain_within(domain, lower(partner_domain))) return &partner;
    }
  }
  return nullptr;
}

std::string employee_name(const profile::Profile& profile, std::string_view address) {
  for (const auto& employee : profile.employees) {
    for (const auto& email : employee.emails) {
      if (lower(email) == address && !employee.names.empty()) return employee.names.front();
    }
  }
  return {};
}

// Finding ids a reader outside the company can recognise the mail by, with their wording.
struct TechniqueLabel {
  std::string_view id, ja, en;
};
constexpr std::array kTechniqueLabels{
    TechniqueLabel{"attachment.office-macro", "マクロ付きの Office 文書 (Word/Excel)",
                   "Office documents (Word/Excel) with macros"},
    TechniqueLabel{"attachment.macro-autoexec", "開くと自動で動くマクロ",
                   "macros that run when the document is opened"},
    TechniqueLabel{"attachment.xlm-macro", "Excel 4.0 (XLM) マクロ", "Excel 4.0 (XLM) macros"},
    TechniqueLabel{"attachment.encrypted-archive", "パスワード付き ZIP ファイル",
                   "password-protected ZIP files"},
    TechniqueLabel{"attachment.encrypted-archive-password-in-body",
                   "本文にパスワードが書かれたパスワード付き ZIP ファイル",
                   "password-protected ZIP files with the password in the mail text"},
    TechniqueLabel{"attachment.encrypted-document", "パスワード付きの文書",
                   "password-protected documents"},
    TechniqueLabel{"attachment.lnk", "ショートカット (.lnk) ファイル", "shortcut (.lnk) files"},
    TechniqueLabel{"attachment.onenote-embedded-file", "ファイルを埋め込んだ OneNote 文書",
                   "OneNote documents with embedded files"},
    TechniqueLabel{"attachment.disk-image", "ディスクイメージ (.iso/.img) ファイル",
                   "disk image (.iso/.img) files"},
    TechniqueLabel{"attachment.padded-large-file", "サイズを水増しした巨大なファイル",
                   "files padded to a very large size"},
    TechniqueLabel{"attachment.executable", "実行ファイル", "executable programs"},
    TechniqueLabel{"attachment.double-extension", "拡張子を偽装したファイル名",
                   "file names with a disguised extension"},
    TechniqueLabel{"url.download-link", "本文中のダウンロードリンク",
                   "download links in the mail text"},
    TechniqueLabel{"thread.hijacked-reply", "過去のメールのやり取りを引用した返信",
                   "replies that quote real earlier conversations"},
    TechniqueLabel{"content.enable-macro-lure", "「コンテンツの有効化」を促す文面",
                   "text urging you to click \"Enable Content\""},
    TechniqueLabel{"sender.lookalike-domain", "当社に似せたドメインのアドレス",
                   "addresses on domains that imitate ours"},
    TechniqueLabel{"sender.display-name-mismatch", "差出人名と実際のアドレスの不一致",
                   "sender names that do not match the real address"},
};

const TechniqueLabel* technique_label(std::string_view id) {
  for (const auto& label : kTechniqueLabels) {
    if (label.id == id) return &label;
  }
  return nullptr;
}

bool is_suspicious(const Json& message) {
  const Json& verdict = member(message, "verdict");
  const Json& flag = member(verdict, "suspicious");
  if (flag.is_boolean()) return flag.get<bool>();
  const Json& emotet = member(verdict, "emotet_like");
  return emotet.is_boolean() && emotet.get<bool>();
}

bool from_outside(const Json& message) {
  std::string scenario = str(member(message, "verdict"), "scenario");
  return scenario == "identity-misused-external" || scenario == "external-malspam";
}

std::string from_address(const Json& message) {
  return lower(str(member(message, "from"), "address"));
}

std::vector<std::string> finding_ids(const Json& message) {
  std::vector<std::string> ids;
  const Json& findings = member(message, "findings");
  if (!findings.is_array()) return ids;
  for (const auto& finding : findings) {
    std::string id = str(finding, "id");
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

// Evidence lines of the given finding-id prefix ("auth."), joined: the headers the recipient
// can look for in their own copy.
std::string finding_evidence(const Json& message, std::string_view prefix) {
  std::string joined;
  const Json& findings = member(message, "findings");
  if (!findings.is_array()) return joined;
  for (const auto& finding : findings) {
    if (!str(finding, "id").starts_with(prefix)) continue;
    std::string evidence = str(finding, "evidence");
    if (evidence.empty() || joined.find(evidence) != std::string::npos) continue;
    if (!joined.empty()) joined += " / ";
    joined += evidence;
  }
  return clean_value(joined);
}

Json message_evidence(const Json& message) {
  const Json& from = member(message, "from");
  std::string display = str(from, "display_name");
  std::string address = str(from, "address");
  return Json{{"date", str(message, "date")},
              {"subject", str(message, "subject")},
              {"message_id", str(message, "message_id")},
              {"from", display.empty() ? address : display + " <" + address + ">"},
              {"received", str(member(message, "origin"), "evidence")},
              {"authentication", finding_evidence(message, "auth.")}};
}

template <typename Less>
void sort_and_cap(Json& list, Less less) {
  std::stable_sort(list.begin(), list.end(), less);
  if (list.size() > kMaxListEntries) list.erase(list.begin() + kMaxListEntries, list.end());
}

bool more_messages(const Json& a, const Json& b) {
  return a["messages"].get<std::uint64_t>() > b["messages"].get<std::uint64_t>();
}

// An entry's `target`-keyed list from the campaign, in either the old ("name <address>") or the
// extended form, as {address, name, messages, ...extra string fields}.
Json people_list(const Json& list, const profile::Profile& profile,
                 std::initializer_list<std::string_view> name_keys) {
  Json out = Json::array();
  if (!list.is_array()) return out;
  for (const auto& entry : list) {
    auto [name, address] = split_target(str(entry, "target"));
    for (auto key : name_keys) {
      if (name.empty()) name = str(entry, key);
    }
    if (name.empty()) name = clean_value(employee_name(profile, address));
    if (address.empty()) continue;
    Json person{{"address", address}, {"name", name}, {"messages", count(entry, "messages")}};
    if (std::string certainty = str(entry, "certainty"); !certainty.empty()) {
      person["certainty"] = certainty;
    }
    if (out.size() == kMaxListEntries) break;
    out.push_back(std::move(person));
  }
  return out;
}

std::string join_strings(const Json& list, std::string_view separator) {
  std::string joined;
  if (!list.is_array()) return joined;
  for (const auto& item : list) {
    if (!item.is_string()) continue;
    if (!joined.empty()) joined += separator;
    joined += clean_value(item.get_ref<const std::string&>());
  }
  return joined;
}

// Keeps only characters that are safe in a file name: [a-z0-9.-], at most 63.
std::string file_domain(std::string_view domain) {
  std::string out;
  for (char c : lower(domain)) {
    if (out.size() == 63) break;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || (c == '.' && !out.empty()))
      out.push_back(c);
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out.empty() ? "unknown" : out;
}

class FactsBuilder {
 public:
  FactsBuilder(const Json& analysis, const profile::Profile& profile, Lang lang)
      : profile_(profile), matcher_(profile), lang_(lang), campaign_(member(analysis, "campaign")) {
    const Json& messages = member(analysis, "messages");
    if (messages.is_array()) {
      for (const auto& message : messages) {
        ++messages_seen_;
        if (is_suspicious(message)) suspicious_.push_back(&message);
      }
    }
  }

  Json build() const {
    Json facts{{"lang", lang_ == Lang::ja ? "ja" : "en"}, {"company", company()}};
    facts["period"] = period();
    facts["counts"] = {
        {"messages", has_count("messages") ? count(campaign_, "messages") : messages_seen_},
        {"suspicious",
         has_count("suspicious") ? count(campaign_, "suspicious") : suspicious_.size()}};
    facts["identity_involved"] = identity_involved();
    facts["our_addresses"] = our_addresses();
    Json forged = forged_senders();
    Json techniques = this->techniques();
    auto uses = [&](std::string_view prefix) {
      return std::any_of(techniques.begin(), techniques.end(), [&](const Json& t) {
        return t["id"].get_ref<const std::string&>().starts_with(prefix);
      });
    };
    facts["uses_attachments"] = uses("attachment.");
    facts["uses_macros"] = uses("attachment.office-macro") || uses("attachment.macro-autoexec") ||
                           uses("attachment.xlm-macro") || uses("content.enable-macro-lure");
    facts["uses_links"] = uses("url.");
    facts["techniques"] = std::move(techniques);
    Json groups = sender_groups();
    for (auto& group : groups) {
      group["impersonates_us"] = std::any_of(forged.begin(), forged.end(), [&](const Json& f) {
        return std::find(group["addresses"].begin(), group["addresses"].end(),
                         Json{{"address", f["address"]}}) != group["addresses"].end();
      });
    }
    facts["forged_senders"] = std::move(forged);
    facts["freemail_providers"] = freemail_providers(groups);
    facts["sender_groups"] = std::move(groups);
    facts["partners_in_threads"] = partners_in_threads();
    facts["employees_impersonated"] = employees_impersonated();
    facts["accounts_to_reset"] =
        people_list(member(campaign_, "accounts_to_reset"), profile_, {"employee", "name"});
    facts["check_pcs_first"] =
        people_list(member(campaign_, "check_pcs_first"), profile_, {"name", "employee"});
    // Mustache cannot test a list for emptiness without iterating it: has_<list> says it.
    std::vector<std::pair<std::string, bool>> flags;
    for (const auto& [key, value] : facts.items()) {
      if (value.is_array()) flags.emplace_back("has_" + key, !value.empty());
    }
    for (const auto& [key, flag] : flags) facts[key] = flag;
    return facts;
  }

 private:
  bool has_count(std::string_view key) const { return member(campaign_, key).is_number_unsigned(); }

  Json company() const {
    const auto& company = profile_.company;
    std::string name = clean_value(company.name), name_en = clean_value(company.name_en);
    std::string website = clean_value(company.website);
    // Only a web address may become a link in the HTML notice (no javascript: or data: URLs).
    if (!website.starts_with("https://") && !website.starts_with("http://")) website.clear();
    Json domains = Json::array();
    for (const auto& domain : company.domains) domains.push_back(clean_value(lower(domain)));
    return Json{
        {"name", lang_ == Lang::ja || name_en.empty() ? (name.empty() ? name_en : name) : name_en},
        {"name_ja", name},
        {"name_en", name_en},
        {"website", website},
        {"domains", domains},
        {"domain_list", join_strings(domains, ", ")},
        {"contact",
         {{"department", clean_value(company.contact.department)},
          {"phone", clean_value(company.contact.phone)},
          {"email", clean_value(lower(company.contact.email))}}}};
  }

  Json period() const {
    std::string first = str(campaign_, "first_seen"), last = str(campaign_, "last_seen");
    if (first.empty() || last.empty()) {
      for (const Json* message : suspicious_) {
        std::string date = str(*message, "date");
        if (date.empty()) continue;
        if (first.empty() || date < first) first = date;
        if (last.empty() || date > last) last = date;
      }
    }
    // The date part of an ISO stamp; whatever a hand-edited analysis holds there, the cut stays
    // on a character boundary (a cut inside one made the notices' JSON dump throw).
    auto day = [](const std::string& stamp) { return std::string(core::utf8_prefix(stamp, 10)); };
    return Json{{"known", !first.empty()},
                {"first_seen", first},
                {"last_seen", last},
                {"first_date", day(first)},
                {"last_date", day(last)}};
  }

  // Whether the mails used our identity (our accounts, our addresses, our names or domain); a
  // batch of outside malspam only calls for the staff alert, not a public notice.
  bool identity_involved() const {
    static constexpr std::array<std::string_view, 3> kIdentityScenarios{
        "own-account-compromised", "own-address-spoofed", "identity-misused-external"};
    if (const Json& scenarios = member(campaign_, "scenarios"); scenarios.is_object()) {
      return std::any_of(kIdentityScenarios.begin(), kIdentityScenarios.end(),
                         [&](std::string_view s) { return count(scenarios, s) > 0; });
    }
    return std::any_of(suspicious_.begin(), suspicious_.end(), [](const Json* message) {
      std::string scenario = str(member(*message, "verdict"), "scenario");
      return std::find(kIdentityScenarios.begin(), kIdentityScenarios.end(), scenario) !=
             kIdentityScenarios.end();
    });
  }

  // The domain of ours (or of a partner) that `domain` imitates: the campaign's `imitates` of
  // a sender on it, else the profile's lookalike check.
  std::string imitated_domain(const std::string& domain) const {
    if (const Json& senders = member(campaign_, "senders_to_contact"); senders.is_array()) {
      for (const auto& sender : senders) {
        if (lower(str(sender, "domain")) == domain) {
          if (std::string imitates = lower(str(sender, "imitates")); !imitates.empty())
            return imitates;
        }
      }
    }
    profile::DomainMatch match = matcher_.classify_domain(domain);
    bool lookalike = match.kind == profile::DomainKind::lookalike_own ||
                     match.kind == profile::DomainKind::lookalike_partner;
    return lookalike ? clean_value(lower(match.imitated)) : "";
  }

  // A sender pretends to be us when its address is on our domain or a lookalike of it, or its
  // display name is our company's or one of our employees' (a family name alone is too weak).
  bool pretends_to_be_us(const std::string& address, const std::string& display_name) const {
    std::string domain = profile::address_domain(address);
    if (matcher_.is_own_domain(domain)) return true;
    if (matcher_.classify_domain(domain).kind == profile::DomainKind::lookalike_own) return true;
    if (display_name.empty()) return false;
    if (!matcher_.employees_by_display_name(display_name).empty() ||
        matcher_.is_company_name(display_name) ||
        matcher_.find_company_name(display_name).has_value()) {
      return true;
    }
    auto hits = matcher_.find_employee_names(display_name);
    return std::any_of(hits.begin(), hits.end(),
                       [](const profile::NameHit& hit) { return !hit.family_only; });
  }

  Json our_addresses() const {
    std::set<std::string> addresses;
    if (const Json& listed = member(campaign_, "our_addresses"); listed.is_array()) {
      for (const auto& item : listed) {
        if (item.is_string()) addresses.insert(clean_value(lower(item.get<std::string>())));
      }
    } else {
      for (const Json* message : suspicious_) {
        const Json& employees = member(*message, "employees_referenced");
        if (!employees.is_array()) continue;
        for (const auto& employee : employees) {
          std::string email = lower(str(employee, "email"));
          if (!email.empty()) addresses.insert(email);
        }
      }
      for (const auto& person : people_list(member(campaign_, "accounts_to_reset"), profile_, {})) {
        addresses.insert(person["address"].get<std::string>());
      }
    }
    Json out = Json::array();
    for (const auto& address : addresses) {
      if (address.empty() || out.size() == kMaxListEntries) continue;
      out.push_back(
          {{"address", address}, {"name", clean_value(employee_name(profile_, address))}});
    }
    return out;
  }

  Json forged_senders() const {
    Json out = Json::array();
    if (const Json& listed = member(campaign_, "forged_senders"); listed.is_array()) {
      for (const auto& entry : listed) {
        std::string address = lower(str(entry, "address"));
        if (address.empty()) continue;
        out.push_back({{"address", address},
                       {"display_name", str(entry, "display_name")},
                       {"messages", count(entry, "messages")}});
        if (out.size() == kMaxListEntries) break;
      }
    } else {
      // Every suspicious From that is not a real send from our servers.
      std::map<std::string, std::pair<std::vector<std::string>, std::uint64_t>> seen;
      for (const Json* message : suspicious_) {
        if (str(member(*message, "verdict"), "scenario") == "own-account-compromised") continue;
        std::string address = from_address(*message);
        if (address.empty()) continue;
        auto& [names, messages] = seen[address];
        std::string name = str(member(*message, "from"), "display_name");
        if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
          names.push_back(name);
        ++messages;
      }
      for (const auto& [address, entry] : seen) {
        std::string names;
        for (const auto& name : entry.first) names += (names.empty() ? "" : " / ") + name;
        out.push_back({{"address", address},
                       {"display_name", clean_value(names)},
                       {"messages", entry.second}});
      }
    }
    // Plain outside malspam senders are not "pretending to be us": the notice lists only these.
    Json pretending = Json::array();
    for (auto& entry : out) {
      if (!pretends_to_be_us(entry["address"].get<std::string>(),
                             entry["display_name"].get<std::string>()))
        continue;
      std::string domain = profile::address_domain(entry["address"].get<std::string>());
      entry["ours"] = is_own_domain(profile_, domain);
      std::string imitates = entry["ours"].get<bool>() ? "" : imitated_domain(domain);
      entry["imitates"] = is_own_domain(profile_, imitates) ? imitates : "";
      pretending.push_back(std::move(entry));
    }
    sort_and_cap(pretending, more_messages);
    return pretending;
  }

  Json techniques() const {
    std::vector<std::pair<std::string, std::uint64_t>> counted;
    if (const Json& listed = member(campaign_, "techniques"); listed.is_array()) {
      for (const auto& entry : listed)
        counted.emplace_back(str(entry, "target"), count(entry, "messages"));
    } else {
      std::map<std::string, std::uint64_t> by_id;
      for (const Json* message : suspicious_) {
        for (const auto& id : finding_ids(*message)) ++by_id[id];
      }
      counted.assign(by_id.begin(), by_id.end());
    }
    Json out = Json::array();
    for (const auto& [id, messages] : counted) {
      const TechniqueLabel* label = technique_label(id);
      if (label == nullptr) continue;  // internal signals mean nothing to a reader outside
      out.push_back({{"id", id},
                     {"label", lang_ == Lang::ja ? label->ja : label->en},
                     {"messages", messages}});
    }
    sort_and_cap(out, more_messages);
    return out;
  }

  // Sample mails (bounded) whose From is one of `addresses`.
  Json evidence_for(const Json& addresses) const {
    Json out = Json::array();
    for (const Json* message : suspicious_) {
      if (out.size() == kMaxEvidenceMessages) break;
      std::string address = from_address(*message);
      if (std::find(addresses.begin(), addresses.end(), Json(address)) != addresses.end()) {
        out.push_back(message_evidence(*message));
      }
    }
    return out;
  }

  Json group_entry(const std::string& domain, std::string kind, std::string provider,
                   std::string abuse_contact, std::string partner_name, Json addresses,
                   std::uint64_t messages) const {
    const profile::Partner* partner = partner_of(profile_, domain);
    if (partner_name.empty() && partner != nullptr) partner_name = clean_value(partner->name);
    std::string partner_contact = partner != nullptr ? clean_value(lower(partner->contact)) : "";
    if (abuse_contact.empty()) {
      abuse_contact = !partner_contact.empty()
                          ? partner_contact
                          : "abuse@" + clean_value(profile::registrable_domain(domain));
    }
    bool freemail = kind == "freemail";
    if (provider.empty() && freemail) provider = domain;
    bool contact_is_address = abuse_contact.find('@') != std::string::npos &&
                              abuse_contact.find("://") == std::string::npos;
    Json address_objects = Json::array();
    for (const auto& address : addresses) address_objects.push_back({{"address", address}});
    std::string imitates = freemail ? "" : imitated_domain(domain);
    return Json{
        {"domain", domain},
        {"file_domain", file_domain(domain)},
        {"kind", kind},
        {"freemail", freemail},
        {"provider", provider},
        {"abuse_contact", abuse_contact},
        {"abuse_address", contact_is_address ? abuse_contact : ""},
        {"abuse_form", contact_is_address ? "" : abuse_contact},
        {"partner", partner_name},
        {"partner_contact", partner_contact},
        {"imitates", imitates},
        {"imitates_ours", is_own_domain(profile_, imitates)},
        {"imitated_partner",
         imitates.empty() || is_own_domain(profile_, imitates) ? "" : partner_name_of(imitates)},
        {"registrable_domain", clean_value(profile::registrable_domain(domain))},
        {"addresses", address_objects},
        {"address_list", join_strings(addresses, ", ")},
        {"messages", messages},
        {"evidence", evidence_for(addresses)}};
  }

  std::string partner_name_of(std::string_view domain) const {
    const profile::Partner* partner = partner_of(profile_, domain);
    return partner != nullptr ? clean_value(partner->name) : "";
  }

  Json sender_groups() const {
    Json out = Json::array();
    if (const Json& listed = member(campaign_, "sender_groups"); listed.is_array()) {
      for (const auto& group : listed) {
        std::string domain = lower(str(group, "domain"));
        if (domain.empty()) continue;
        Json addresses = Json::array();
        if (const Json& list = member(group, "addresses"); list.is_array()) {
          for (const auto& address : list) {
            if (address.is_string() && addresses.size() < kMaxListEntries)
              addresses.push_back(clean_value(lower(address.get<std::string>())));
          }
        }
        out.push_back(group_entry(domain, str(group, "kind") == "freemail" ? "freemail" : "domain",
                                  str(group, "provider"), str(group, "abuse_contact"),
                                  str(group, "partner"), std::move(addresses),
                                  count(group, "messages")));
        if (out.size() == kMaxListEntries) break;
      }
    } else {
      struct Group {
        std::set<std::string> addresses;
        std::uint64_t messages = 0;
        bool freemail = false;
      };
      std::map<std::string, Group> groups;
      for (const Json* message : suspicious_) {
        if (!from_outside(*message)) continue;
        std::string address = from_address(*message);
        std::string domain = profile::address_domain(address);
        if (domain.empty() || is_own_domain(profile_, domain)) continue;
        Group& group = groups[domain];
        group.addresses.insert(address);
        ++group.messages;
        auto ids = finding_ids(*message);
        group.freemail = group.freemail || profile::is_freemail_domain(domain) ||
                         std::find(ids.begin(), ids.end(), "sender.freemail") != ids.end();
      }
      for (const auto& [domain, group] : groups) {
        Json addresses(group.addresses);
        out.push_back(group_entry(clean_value(domain), group.freemail ? "freemail" : "domain", "",
                                  "", "", std::move(addresses), group.messages));
      }
    }
    sort_and_cap(out, more_messages);
    return out;
  }

  // One abuse report per free-mail provider: its groups (domains) merged.
  static Json freemail_providers(const Json& groups) {
    Json out = Json::array();
    for (const auto& group : groups) {
      if (!group["freemail"].get<bool>()) continue;
      auto same = std::find_if(out.begin(), out.end(), [&](const Json& provider) {
        return provider["provider"] == group["provider"];
      });
      if (same == out.end()) {
        Json provider = group;
        provider["domains"] = Json::array({group["domain"]});
        out.push_back(std::move(provider));
        continue;
      }
      Json& provider = *same;
      provider["domains"].push_back(group["domain"]);
      provider["messages"] =
          provider["messages"].get<std::uint64_t>() + group["messages"].get<std::uint64_t>();
      provider["impersonates_us"] =
          provider["impersonates_us"].get<bool>() || group["impersonates_us"].get<bool>();
      for (const auto& address : group["addresses"]) {
        if (provider["addresses"].size() < kMaxListEntries)
          provider["addresses"].push_back(address);
      }
      provider["address_list"] = provider["address_list"].get<std::string>() + ", " +
                                 group["address_list"].get<std::string>();
      for (const auto& evidence : group["evidence"]) {
        if (provider["evidence"].size() < kMaxEvidenceMessages)
          provider["evidence"].push_back(evidence);
      }
    }
    return out;
  }

  Json partners_in_threads() const {
    Json out = Json::array();
    if (const Json& listed = member(campaign_, "partners_in_threads"); listed.is_array()) {
      for (const auto& entry : listed) {
        std::string name = str(entry, "target");
        if (name.empty()) continue;
        out.push_back({{"name", name},
                       {"domain", lower(str(entry, "domain"))},
                       {"contact", lower(str(entry, "contact"))},
                       {"messages", count(entry, "messages")}});
        if (out.size() == kMaxListEntries) break;
      }
    } else {
      std::map<const profile::Partner*, std::pair<std::string, std::uint64_t>> seen;
      for (const Json* message : suspicious_) {
        std::set<const profile::Partner*> in_message;
        std::map<const profile::Partner*, std::string> domain_of;
        const Json& participants = member(*message, "quoted_participants");
        if (!participants.is_array()) continue;
        for (const auto& participant : participants) {
          std::string domain = profile::address_domain(lower(str(participant, "address")));
          if (const profile::Partner* partner = partner_of(profile_, domain)) {
            if (in_message.insert(partner).second) domain_of[partner] = domain;
          }
        }
        for (const profile::Partner* partner : in_message) {
          auto& [domain, messages] = seen[partner];
          if (domain.empty()) domain = domain_of[partner];
          ++messages;
        }
      }
      for (const auto& partner : profile_.partners) {
        auto it = seen.find(&partner);
        if (it == seen.end()) continue;
        out.push_back({{"name", clean_value(partner.name)},
                       {"domain", clean_value(it->second.first)},
                       {"contact", clean_value(lower(partner.contact))},
                       {"messages", it->second.second}});
      }
    }
    for (auto& entry : out) entry["file_domain"] = file_domain(entry["domain"].get<std::string>());
    sort_and_cap(out, more_messages);
    return out;
  }

  Json employees_impersonated() const {
    Json out = Json::array();
    if (const Json& listed = member(campaign_, "employees_impersonated"); listed.is_array()) {
      out = people_list(listed, profile_, {"name", "employee"});
      for (std::size_t i = 0; i < out.size() && i < listed.size(); ++i) {
        out[i]["where"] = join_strings(member(listed[i], "where"), ", ");
      }
      return out;
    }
    std::map<std::string, std::pair<std::set<std::string>, std::uint64_t>> seen;
    for (const Json* message : suspicious_) {
      const Json& employees = member(*message, "employees_referenced");
      if (!employees.is_array()) continue;
      for (const auto& employee : employees) {
        std::string email = lower(str(employee, "email"));
        if (email.empty()) continue;
        auto& [where, messages] = seen[email];
        ++messages;
        if (const Json& places = member(employee, "where"); places.is_array()) {
          for (const auto& place : places) {
            if (place.is_string()) where.insert(clean_value(place.get<std::string>(), 40));
          }
        }
      }
    }
    for (const auto& [email, entry] : seen) {
      std::string where;
      for (const auto& place : entry.first) where += (where.empty() ? "" : ", ") + place;
      out.push_back({{"address", email},
                     {"name", clean_value(employee_name(profile_, email))},
                     {"messages", entry.second},
                     {"where", where}});
    }
    sort_and_cap(out, more_messages);
    return out;
  }

  const profile::Profile& profile_;
  profile::Matcher matcher_;
  Lang lang_;
  const Json& campaign_;
  std::vector<const Json*> suspicious_;
  std::uint64_t messages_seen_ = 0;
};

}  // namespace

std::string clean_value(std::string_view value, std::size_t max_bytes) {
  std::string repaired;
  core::repair_utf8(value, repaired);
  return escape_bidi(report::one_line(report::excerpt(repaired, max_bytes)));
}

nlohmann::ordered_json build_facts(const nlohmann::ordered_json& analysis,
                                   const profile::Profile& profile, report::Lang lang) {
  return FactsBuilder(analysis, profile, lang).build();
}

}  // namespace emotriage::notice
