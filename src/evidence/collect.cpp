// collect(): identity and routing passes, and the finding bookkeeping they share with the
// content pass (content.cpp).
#include <algorithm>
#include <cstdlib>

#include "core/text.hpp"
#include "evidence/collector.hpp"
#include "evidence/routing.hpp"

namespace emotriage::evidence {

Evidence collect(const core::Message& message, const profile::Matcher& matcher) {
  Evidence evidence;
  Collector collector(message, matcher, evidence);
  collector.identity();
  collector.routing();
  collector.content();
  return evidence;
}

std::string from_line(const core::Envelope& envelope) {
  const core::Header* from = envelope.find("From");
  return from == nullptr ? std::string() : "From: " + from->raw;
}

void Collector::add(std::string_view id, core::Severity severity, std::string ja, std::string en,
                    std::string evidence_text, std::string part) {
  if (findings_capped_) return;
  if (evidence_.findings.size() + 1 >= kMaxFindings) {
    evidence_.findings.push_back(core::limit_finding("evidence_findings", kMaxFindings));
    findings_capped_ = true;
    return;
  }
  evidence_.findings.push_back(core::Finding{std::string(id), severity, std::move(ja),
                                             std::move(en), std::move(evidence_text),
                                             std::move(part)});
}

void Collector::reference(int employee, std::string_view where, bool in_inline_forward) {
  const auto& employees = matcher_.profile().employees;
  if (employee < 0 || static_cast<std::size_t>(employee) >= employees.size()) return;
  auto add_to = [&](std::vector<EmployeeReference>& references) {
    auto found = std::ranges::find(references, employee, &EmployeeReference::employee);
    if (found == references.end()) {
      const profile::Employee& person = employees[static_cast<std::size_t>(employee)];
      EmployeeReference added;
      added.employee = employee;
      if (!person.names.empty()) added.name = person.names.front();
      if (!person.emails.empty()) added.email = person.emails.front();
      references.push_back(std::move(added));
      found = std::prev(references.end());
    }
    if (std::ranges::find(found->where, where) == found->where.end()) {
      found->where.emplace_back(where);
    }
  };
  add_to(evidence_.employees_referenced);
  if (in_inline_forward && evidence_.inline_forward) add_to(evidence_.inline_forward->references);
}

std::optional<int> Collector::employee_of(std::string_view address,
                                          std::string_view display_name) const {
  if (auto employee = matcher_.employee_by_address(address)) return employee;
  if (display_name.empty()) return std::nullopt;
  const std::vector<int> named = matcher_.employees_by_display_name(display_name);
  return named.size() == 1 ? std::optional<int>(named.front()) : std::nullopt;
}

std::string Collector::employee_label(int employee) const {
  const auto& employees = matcher_.profile().employees;
  if (employee < 0 || static_cast<std::size_t>(employee) >= employees.size()) return {};
  const profile::Employee& person = employees[static_cast<std::size_t>(employee)];
  std::string label = person.names.empty() ? std::string() : person.names.front();
  if (!person.emails.empty()) {
    label += label.empty() ? person.emails.front() : " (" + person.emails.front() + ")";
  }
  return label;
}

bool Collector::sender_is_ours() const {
  return evidence_.from_domain_match.kind == profile::DomainKind::own &&
         evidence_.origin != Origin::external;
}

namespace {

// Every address written inside a display name: "t.yamada@x.example via Service" ->
// t.yamada@x.example. rspamd's FROM_NEQ_DISPLAY_NAME reads the same thing (reference E01).
std::vector<std::string> addresses_in(std::string_view text) {
  std::vector<std::string> found;
  auto is_address_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("._%+-").find(c) != std::string_view::npos;
  };
  for (std::size_t at = text.find('@'); at != std::string_view::npos && found.size() < 8;
       at = text.find('@', at + 1)) {
    std::size_t start = at, end = at + 1;
    while (start > 0 && is_address_char(text[start - 1])) --start;
    while (end < text.size() && is_address_char(text[end])) ++end;
    std::string_view address = text.substr(start, end - start);
    while (address.ends_with('.')) address.remove_suffix(1);
    if (start < at && address.find('.', at - start) != std::string_view::npos) {
      found.emplace_back(address);
    }
  }
  return found;
}

std::string domain_of_id(std::string_view message_id) {
  std::size_t at = message_id.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view domain = message_id.substr(at + 1);
  if (domain.ends_with('>')) domain.remove_suffix(1);
  return core::ascii_lower(domain);
}

std::string kind_note_ja(profile::DomainKind kind) {
  switch (kind) {
    case profile::DomainKind::own:
      return "当社ドメイン";
    case profile::DomainKind::partner:
      return "取引先ドメイン";
    case profile::DomainKind::freemail:
      return "フリーメール";
    default:
      return "外部ドメイン";
  }
}

}  // namespace

void Collector::identity() {
  const core::Envelope& envelope = message_.envelope;
  const std::string from_evidence = from_line(envelope);
  if (!envelope.from.empty()) evidence_.from = envelope.from.front();
  const core::Mailbox& from = evidence_.from;
  evidence_.from_domain = profile::address_domain(from.address);
  if (!evidence_.from_domain.empty()) {
    evidence_.from_domain_match = matcher_.classify_domain(evidence_.from_domain);
  }
  evidence_.from_employee = matcher_.employee_by_address(from.address);
  if (evidence_.from_employee) reference(*evidence_.from_employee, "from-address");

  const profile::DomainMatch& match = evidence_.from_domain_match;
  const std::string& domain = evidence_.from_domain;
  switch (match.kind) {
    case profile::DomainKind::own:
      add("sender.own-domain", core::Severity::info,
          "差出人アドレス " + from.address + " は当社のドメイン（" + domain + "）です。",
          "The sender address " + from.address + " is in our own domain (" + domain + ").",
          from_evidence);
      break;
    case profile::DomainKind::lookalike_own:
    case profile::DomainKind::lookalike_partner: {
      bool own = match.kind == profile::DomainKind::lookalike_own;
      add("sender.lookalike-domain", core::Severity::high,
          "差出人のドメイン " + domain + " は" + (own ? "当社" : "取引先") + "のドメイン " +
              match.imitated + " に似せた偽のドメインです（手口: " + match.technique + "）。",
          "The sender domain " + domain + " imitates " + (own ? "our" : "a partner's") +
              " domain " + match.imitated + " (technique: " + match.technique + ").",
          from_evidence);
      break;
    }
    case profile::DomainKind::freemail:
      add("sender.freemail", core::Severity::low,
          "差出人アドレス " + from.address + " はフリーメール（" + domain +
              "）です。会社の正式なやり取りには通常使われません。",
          "The sender address " + from.address + " is a free-mail address (" + domain +
              "), unusual for business correspondence.",
          from_evidence);
      break;
    default:
      break;
  }

  // The display name against what the address is.
  const std::string& display = from.display_name;
  if (!display.empty()) {
    for (const std::string& written : addresses_in(display)) {
      if (core::iequals(written, from.address)) continue;
      profile::DomainKind written_kind =
          matcher_.classify_domain(profile::address_domain(written)).kind;
      bool ours_or_partner =
          written_kind == profile::DomainKind::own || written_kind == profile::DomainKind::partner;
      evidence_.display_name_mismatch = true;
      add("sender.display-name-mismatch",
          ours_or_partner ? core::Severity::high : core::Severity::medium,
          "差出人の表示名に別のアドレス " + written + "（" + kind_note_ja(written_kind) +
              "）が書かれていますが、実際の送信元アドレスは " + from.address + " です。",
          "The sender's display name shows another address, " + written +
              ", but the real sender address is " + from.address + ".",
          from_evidence);
    }
    for (int employee : matcher_.employees_by_display_name(display)) {
      reference(employee, "display-name");
      if (evidence_.from_employee == employee) continue;
      evidence_.display_name_mismatch = true;
      std::string person = employee_label(employee);
      add("sender.display-name-mismatch", core::Severity::high,
          "差出人の表示名「" + display + "」は当社社員 " + person + " ですが、アドレス " +
              from.address + " はこの社員のものではありません。",
          "The display name \"" + display + "\" is our employee " + person + ", but the address " +
              from.address + " is not theirs.",
          from_evidence);
      add("identity.employee-in-display-name", core::Severity::high,
          "当社社員 " + person + " の名前が、社員のものではないアドレス " + from.address +
              " の表示名に使われています。",
          "Our employee " + person + "'s name is used as the display name of " + from.address +
              ", an address that is not theirs.",
          from_evidence);
    }
    // "株式会社サンプル商事 山田 太郎": the company name is often one part of the display name.
    if (match.kind != profile::DomainKind::own && matcher_.find_company_name(display)) {
      evidence_.display_name_mismatch = true;
      add("sender.display-name-mismatch", core::Severity::high,
          "差出人の表示名「" + display + "」は当社の社名ですが、アドレス " + from.address +
              " は当社のものではありません。",
          "The display name \"" + display + "\" is our company's name, but the address " +
              from.address + " is not ours.",
          from_evidence);
    }
    const auto& partners = matcher_.profile().partners;
    std::string display_key = profile::normalize_name(display);
    for (std::size_t index = 0; index < partners.size() && !display_key.empty(); ++index) {
      bool their_address =
          match.kind == profile::DomainKind::partner && match.partner == static_cast<int>(index);
      // Contained, not equal: "取引先株式会社 中村" names the partner and a person there. Very
      // short names (one or two characters) would match by accident.
      std::string partner_key = profile::normalize_name(partners[index].name);
      constexpr std::size_t kMinPartnerKeyBytes = 6;
      if (their_address || partner_key.size() < kMinPartnerKeyBytes ||
          display_key.find(partner_key) == std::string::npos) {
        continue;
      }
      evidence_.display_name_mismatch = true;
      add("sender.display-name-mismatch", core::Severity::high,
          "差出人の表示名「" + display + "」は取引先「" + partners[index].name +
              "」の名前ですが、アドレス " + from.address + " はこの取引先のものではありません。",
          "The display name \"" + display + "\" is our partner \"" + partners[index].name +
              "\", but the address " + from.address + " is not theirs.",
          from_evidence);
    }
  }

  // Reply-To: replies go elsewhere than the sender (E01 family; the attacker reads the answers).
  if (!envelope.reply_to.empty() && !domain.empty()) {
    const std::string& reply_address = envelope.reply_to.front().address;
    std::string reply_domain = profile::address_domain(reply_address);
    if (!reply_domain.empty() &&
        profile::registrable_domain(reply_domain) != profile::registrable_domain(domain)) {
      profile::DomainKind reply_kind = matcher_.classify_domain(reply_domain).kind;
      bool pointed = reply_kind == profile::DomainKind::freemail ||
                     reply_kind == profile::DomainKind::lookalike_own ||
                     reply_kind == profile::DomainKind::lookalike_partner ||
                     match.kind == profile::DomainKind::own ||
                     match.kind == profile::DomainKind::partner;
      const core::Header* header = envelope.find("Reply-To");
      add("sender.reply-to-differs", pointed ? core::Severity::medium : core::Severity::low,
          "返信先 (Reply-To) " + reply_address + " のドメインが差出人 " + from.address +
              " のドメインと異なります。返信は別の相手に届きます。",
          "The Reply-To address " + reply_address + " is in another domain than the sender " +
              from.address + "; replies go elsewhere.",
          header == nullptr ? std::string() : "Reply-To: " + header->raw);
    }
  }

  auto note_domain = [&](std::string_view header, const std::vector<core::Mailbox>& boxes) {
    if (boxes.empty()) return;
    std::string other = profile::address_domain(boxes.front().address);
    if (other.empty() || other == domain) return;
    evidence_.identity_notes.push_back(std::string(header) + ": " + boxes.front().address +
                                       " (domain " + other + ", From domain " + domain + ")");
  };
  note_domain("Sender", envelope.sender);
  note_domain("Return-Path", envelope.return_path);
  if (std::string id_domain = domain_of_id(envelope.message_id);
      !id_domain.empty() &&
      profile::registrable_domain(id_domain) != profile::registrable_domain(domain)) {
    evidence_.identity_notes.push_back("Message-ID: " + envelope.message_id + " (domain " +
                                       id_domain + ", From domain " + domain + ")");
  }
  for (const core::DkimSignature& signature : envelope.dkim_signatures) {
    if (signature.domain.empty() || domain.empty() ||
        profile::registrable_domain(signature.domain) == profile::registrable_domain(domain)) {
      continue;
    }
    evidence_.identity_notes.push_back("DKIM-Signature: d=" + signature.domain +
                                       " (not the From domain " + domain + ")");
  }
}

void Collector::routing() {
  const core::Envelope& envelope = message_.envelope;
  Routing route = walk_received(
      envelope.received, [this](std::string_view host) { return matcher_.is_own_server(host); });
  evidence_.origin = route.origin;
  evidence_.origin_evidence = route.evidence;
  evidence_.authenticated_account = route.authenticated_account;
  bool own_address = evidence_.from_domain_match.kind == profile::DomainKind::own;
  const std::string& address = evidence_.from.address;

  switch (route.origin) {
    case Origin::own_server_authenticated: {
      std::string account = route.authenticated_account.empty()
                                ? std::string("（アカウント名は記録されていません）")
                                : route.authenticated_account;
      std::string account_en = route.authenticated_account.empty()
                                   ? std::string("(account not logged)")
                                   : route.authenticated_account;
      add("routing.own-server", core::Severity::info,
          "このメールは当社のメールサーバーに認証済みで投稿され、当社から送信されています。"
          "ログイン アカウント: " +
              account + "。",
          "This mail was submitted to our mail server with authentication and sent from it. "
          "Account: " +
              account_en + ".",
          "Received: " + route.evidence);
      break;
    }
    case Origin::own_server:
      add("routing.own-server", core::Severity::info,
          "このメールは当社のメールサーバーを経由しています（送信時の認証は記録されていません）。",
          "This mail passed through our mail server (no authenticated submission was logged).",
          "Received: " + route.evidence);
      break;
    case Origin::external: {
      std::string forged_ja, forged_en;
      if (!route.unconnected_own_hop.empty()) {
        forged_ja =
            " 当社サーバーを名乗る Received 行がありますが、前後の経路とつながっておらず、"
            "偽造と考えられます。";
        forged_en =
            " A Received line naming our server is not connected to the route and is "
            "likely forged.";
      }
      if (own_address) {
        add("routing.external-origin", core::Severity::high,
            "差出人は当社アドレス " + address +
                " ですが、このメールは当社のサーバーを通らず外部から届いています（なりすまし）。" +
                forged_ja,
            "The sender is our own address " + address +
                ", but the mail did not pass our servers: it came from outside (spoofed)." +
                forged_en,
            "Received: " + route.evidence);
      } else {
        add("routing.external-origin",
            route.unconnected_own_hop.empty() ? core::Severity::info : core::Severity::medium,
            "このメールは外部のサーバーから届いています。" + forged_ja,
            "This mail came from a server outside our company." + forged_en,
            "Received: " + route.evidence);
      }
      break;
    }
    case Origin::unknown:
      break;
  }

  AuthSummary auth = read_authentication_results(envelope.auth_results);
  evidence_.spf_fail = auth.spf_fail || auth.spf_softfail;
  evidence_.dkim_fail = auth.dkim_fail;
  evidence_.dmarc_fail = auth.dmarc_fail;
  std::string header = "Authentication-Results: " + auth.authserv_id + "; ";
  if (evidence_.spf_fail) {
    core::Severity severity = auth.spf_softfail ? core::Severity::low
                              : own_address     ? core::Severity::high
                                                : core::Severity::medium;
    add("auth.spf-fail", severity,
        "受信側の SPF 検査が失敗しました（" + auth.spf +
            "）。送信元のサーバーは差出人ドメインの送信を許可されていません。",
        "The receiving side's SPF check failed (" + auth.spf +
            "): the sending server is not allowed to send for the sender's domain.",
        header + auth.spf);
  }
  if (auth.dkim_fail) {
    add("auth.dkim-fail", own_address ? core::Severity::medium : core::Severity::low,
        "受信側の DKIM 署名検査が失敗しました（" + auth.dkim + "）。途中で改変されたか偽造です。",
        "The receiving side's DKIM check failed (" + auth.dkim +
            "): the mail was altered on the way or forged.",
        header + auth.dkim);
  }
  if (auth.dmarc_fail) {
    add("auth.dmarc-fail", own_address ? core::Severity::high : core::Severity::medium,
        "受信側の DMARC 検査が失敗しました（" + auth.dmarc +
            "）。差出人ドメインの正規の送信ではありません。",
        "The receiving side's DMARC check failed (" + auth.dmarc +
            "): this is not a legitimate send of the sender's domain.",
        header + auth.dmarc);
  }

  // Victims' notices (kyokko-tsushin; reference E27): the forged mails carried "the next day".
  constexpr std::int64_t kToleratedLeadSeconds = 3600;  // clock skew of ordinary PCs
  evidence_.date_lead_seconds = date_lead_seconds(envelope);
  if (evidence_.date_lead_seconds && *evidence_.date_lead_seconds > kToleratedLeadSeconds) {
    std::int64_t hours = *evidence_.date_lead_seconds / 3600;
    auto first = std::ranges::find_if(envelope.received, [](const core::ReceivedHop& hop) {
      return iso_to_epoch(hop.timestamp).has_value();
    });
    std::string received_at = first == envelope.received.end() ? std::string() : first->timestamp;
    add("routing.date-after-received", core::Severity::medium,
        "Date ヘッダーの送信日時（" + envelope.date + "）が、受信側の受信時刻（" + received_at +
            "）より約 " + std::to_string(hours) +
            " 時間後になっています。送信日時が偽装されています。",
        "The Date header (" + envelope.date + ") is about " + std::to_string(hours) +
            " hours later than the time the receiving server logged (" + received_at +
            "): the send date is forged.",
        "Date: " + envelope.date_raw);
  }
}

}  // namespace emotriage::evidence
