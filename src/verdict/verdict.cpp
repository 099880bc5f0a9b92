#include "verdict/verdict.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "core/text.hpp"

namespace emotriage::verdict {

std::string_view to_string(Scenario scenario) {
  switch (scenario) {
    case Scenario::own_account_compromised:
      return "own-account-compromised";
    case Scenario::own_address_spoofed:
      return "own-address-spoofed";
    case Scenario::identity_misused_external:
      return "identity-misused-external";
    case Scenario::external_malspam:
      return "external-malspam";
    case Scenario::not_suspicious:
      return "not-suspicious";
  }
  return "not-suspicious";
}

namespace {

// "{}" placeholders filled in order (GCC 12 has no std::format). Sentences are written whole in
// each language, so word order stays natural.
template <typename... Args>
std::string sentence(std::string_view pattern, const Args&... values) {
  const std::string_view args[] = {std::string_view(values)...};
  std::string out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' &&
        next < sizeof...(values)) {
      out += args[next++];
      ++i;
    } else {
      out.push_back(pattern[i]);
    }
  }
  return out;
}

// Points a finding adds at severity high (scaled down for medium/low). Payload findings are the
// attachment or link Emotet needs to infect; context findings are how the mail earns trust. The
// weights follow reference/emotet-mail.md: every Emotet wave carried a payload, and most waves
// quoted stolen threads or borrowed a known sender's name.
struct Weight {
  std::string_view id;
  int points;
  bool payload;
};
constexpr Weight kWeights[] = {
    {"ioc.hash", 60, true},
    {"ioc.url", 60, true},
    {"attachment.macro-autoexec", 45, true},
    {"attachment.xlm-macro", 45, true},
    {"attachment.padded-large-file", 45, true},
    {"attachment.lnk", 45, true},
    {"attachment.onenote-embedded-file", 45, true},
    {"attachment.encrypted-archive-password-in-body", 40, true},
    {"attachment.executable", 40, true},
    {"attachment.double-extension", 40, true},
    {"yara.match", 30, true},
    {"attachment.office-macro", 25, true},
    {"attachment.disk-image", 25, true},
    {"url.download-link", 20, true},
    {"content.enable-macro-lure", 20, true},
    {"attachment.encrypted-document", 15, true},
    {"attachment.encrypted-archive", 10, true},
    {"ioc.ip", 40, false},
    {"thread.hijacked-reply", 25, false},
    {"sender.lookalike-domain", 25, false},
    {"sender.display-name-mismatch", 15, false},
    {"auth.dmarc-fail", 10, false},
    {"content.lure-keywords", 10, false},
    {"content.password-in-body", 10, false},
    {"auth.spf-fail", 8, false},
    {"sender.reply-to-differs", 8, false},
    {"auth.dkim-fail", 5, false},
    {"routing.date-after-received", 5, false},
    {"sender.freemail", 5, false},
};
// A payload alone cannot reach 100; context alone stays below kEmotetLikeScore and, without a
// payload, a mail is at most "suspicious".
constexpr int kPayloadCap = 75;
constexpr int kContextCap = 45;

int severity_percent(core::Severity severity) {
  switch (severity) {
    case core::Severity::high:
      return 100;
    case core::Severity::medium:
      return 70;
    case core::Severity::low:
      return 40;
    case core::Severity::info:
      return 0;
  }
  return 0;
}

const Weight* weight_of(std::string_view id) {
  for (const auto& weight : kWeights) {
    if (weight.id == id) return &weight;
  }
  return nullptr;
}

struct Scored {
  int payload = 0;
  int context = 0;
  std::vector<Verdict::Contribution> contributions;
};

// Each id counts once, at its strongest finding; further payload kinds count half, so three
// weak signals do not outweigh one strong one.
Scored score_findings(const std::vector<const core::Finding*>& findings) {
  std::map<std::string_view, int> best;
  for (const auto* finding : findings) {
    const Weight* weight = weight_of(finding->id);
    if (weight == nullptr) continue;
    int points = weight->points * severity_percent(finding->severity) / 100;
    int& slot = best[weight->id];
    slot = std::max(slot, points);
  }
  std::vector<std::pair<const Weight*, int>> ranked;
  for (const auto& [id, points] : best) {
    if (points > 0) ranked.emplace_back(weight_of(id), points);
  }
  std::ranges::sort(ranked, [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first->id < b.first->id;
  });
  Scored scored;
  bool first_payload = true;
  for (const auto& [weight, points] : ranked) {
    int counted = points;
    if (weight->payload) {
      if (!first_payload) counted = points / 2;
      first_payload = false;
      counted = std::min(counted, kPayloadCap - scored.payload);
      scored.payload += counted;
    } else {
      counted = std::min(counted, kContextCap - scored.context);
      scored.context += counted;
    }
    if (counted > 0) scored.contributions.push_back({std::string(weight->id), counted});
  }
  return scored;
}

bool uses_our_identity(const evidence::Evidence& ev) {
  if (!ev.company_reference.empty()) return true;
  if (ev.from_domain_match.kind == profile::DomainKind::lookalike_own) return true;
  for (const auto& reference : ev.employees_referenced) {
    for (const auto& where : reference.where) {
      // Being the recipient (or the addressee greeted in the body) is being targeted, not
      // having one's identity borrowed.
      if (where != "recipient" && where != "addressee") return true;
    }
  }
  return false;
}

std::string person_label(const evidence::EmployeeReference& reference) {
  if (reference.email.empty()) return reference.name;
  return reference.name + " <" + reference.email + ">";
}

void add_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty()) return;
  if (std::ranges::find(list, value) == list.end()) list.push_back(std::move(value));
}

class Planner {
 public:
  // `reporter`: who forwarded the judged mail inline, empty when the mail is judged as it came.
  Planner(const Inputs& inputs, std::string_view reporter, Verdict& verdict)
      : in_(inputs), ev_(inputs.evidence), reporter_(reporter), v_(verdict) {}

  void plan() {
    const bool headers_missing =
        core::has_finding(in_.message.findings, core::kParseHeadersMissing);
    if (!v_.suspicious) {
      // Below the line, yet something scored, and the forward lost what tells a forgery: ask.
      if (!reporter_.empty() && v_.score > 0) ask_for_original();
      if (headers_missing) ask_for_headers();
      return;
    }
    handle_mail();
    if (!reporter_.empty()) ask_for_original();
    if (headers_missing) ask_for_headers();
    switch (v_.scenario) {
      case Scenario::own_account_compromised:
        own_account();
        break;
      case Scenario::own_address_spoofed:
        spoofed();
        break;
      case Scenario::identity_misused_external:
        misused();
        break;
      case Scenario::external_malspam:
        malspam();
        break;
      case Scenario::not_suspicious:
        break;
    }
    partner_side();
    if (v_.scenario != Scenario::external_malspam) notice();
    std::ranges::stable_sort(v_.actions, {}, &Action::step);
  }

 private:
  void add(int step, std::string_view kind, std::string target, std::string ja, std::string en) {
    for (const auto& action : v_.actions) {
      if (action.kind == kind && action.target == target) return;
    }
    v_.actions.push_back(
        {step, std::string(kind), std::move(target), std::move(ja), std::move(en)});
  }

  void handle_mail() {
    add(1, "keep-evidence", in_.message.locator,
        "このメールの添付ファイルや URL は開かず、メールそのもの (.eml / .msg) "
        "を証拠として保存してください。"
        "すでに開いた人がいれば、その PC をネットワークから外し、EmoCheck などで確認してください。",
        "Do not open this mail's attachments or links; keep the mail itself (.eml/.msg) as "
        "evidence. If anyone opened them, disconnect that PC from the network and check it (e.g. "
        "with EmoCheck).");
  }

  // The inline forward kept the text but not the headers that tell a real send from a forgery.
  void ask_for_original() {
    add(1, "get-original-mail", std::string(reporter_),
        sentence("{} さんに、不審なメールを「添付ファイルとして転送」(.msg / .eml) で送り直して"
                 "もらってください。本文に貼り付けた転送では、元のメールの経路と認証結果が失われて"
                 "います。",
                 reporter_),
        sentence("Ask {} to forward the suspicious mail again as an attachment (.msg/.eml): "
                 "the inline forward lost the original's route and authentication headers.",
                 reporter_));
  }

  // A winmail.dat on its own: only the mail around it tells who sent it and how.
  void ask_for_headers() {
    add(1, "get-original-mail", "",
        "winmail.dat だけでなく、元のメールそのもの (全ヘッダー付きの .msg / .eml) "
        "を受け取った人から入手してください。差出人と経路はそれでしか確認できません。",
        "Get the original mail itself (.msg/.eml with all its headers) from whoever received "
        "it, not only its winmail.dat: only that shows the sender and the route.");
  }

  void own_account() {
    std::vector<std::string> accounts;
    add_unique(accounts, core::ascii_lower(ev_.authenticated_account));
    add_unique(accounts, core::ascii_lower(ev_.from.address));
    for (const auto& account : accounts) {
      add_unique(v_.accounts_to_reset, account);
      add(5, "reset-password", account,
          sentence("アカウント {} のメールボックスのパスワードと、メールサーバー (SMTP 認証) の"
                   "パスワードをすぐに変更してください。同じパスワードを使っている他のサービスも"
                   "変更が必要です。",
                   account),
          sentence("Change the mailbox password and the mail-server (SMTP AUTH) password of "
                   "{} now, and every other service that shares that password.",
                   account));
      add(5, "check-logs", account,
          sentence("メールサーバーのログで {} からの送信量と送信先を確認してください "
                   "(emotriage logs でまとめて調べられます)。",
                   account),
          sentence("Check the mail-server logs for what {} sent and to whom "
                   "(emotriage logs does this).",
                   account));
    }
    if (ev_.from_employee) {
      for (const auto& reference : ev_.employees_referenced) {
        if (reference.employee == *ev_.from_employee) check_pc(reference, true);
      }
    }
  }

  void check_pc(const evidence::EmployeeReference& reference, bool sender) {
    std::string label = person_label(reference);
    add_unique(v_.check_pcs_first, label);
    add(8, "check-pc", label,
        sender
            ? sentence("{} さんの PC を最初に確認してください (EmoCheck、ウイルス対策ソフトのフル"
                       "スキャン)。メモリ上だけで動くマルウェアは見逃されることがあります。",
                       reference.name)
            : sentence("{} さんの過去のメールのやり取りが引用されています。メールが盗まれたのは"
                       "{} さん側か相手側の PC です。{} さんの PC を最初に確認してください。",
                       reference.name, reference.name, reference.name),
        sender ? sentence("Check {}'s PC first (EmoCheck, a full antivirus scan); malware "
                          "that lives only in memory can evade antivirus.",
                          reference.name)
               : sentence("A past thread of {} is quoted: the mailbox it was stolen from is on "
                          "{}'s side or on the other party's side. Check {}'s PC first.",
                          reference.name, reference.name, reference.name));
  }

  void spoofed() {
    for (const auto& domain : in_.profile.company.domains) {
      add(9, "tighten-dmarc", domain,
          sentence(
              "当社のアドレスが偽装されています。{} の SPF を -all で締め、DKIM 署名を有効にし、"
              "DMARC を p=quarantine 以上で公開してください。",
              domain),
          sentence("Our address is being forged. Publish a strict SPF (-all) for {}, sign with "
                   "DKIM and publish DMARC with p=quarantine or stronger.",
                   domain));
    }
    if (!reporter_.empty()) {
      // Without the original's headers, a forgery and a send from a stolen account look alike.
      add(5, "check-logs", ev_.from.address,
          sentence("メールサーバーのログで、このメールが {} から当社のサーバーを通って送られたかを"
                   "確認してください (emotriage logs)。通っていれば、そのアカウントが乗っ取られて"
                   "います。すぐにパスワードを変更してください。",
                   ev_.from.address),
          sentence("Check in the mail-server logs whether this mail left our servers from {} "
                   "(emotriage logs). If it did, that account is compromised: change its "
                   "passwords at once.",
                   ev_.from.address));
      return;
    }
    add(5, "check-logs", ev_.from.address,
        "念のため、メールサーバーのログでこのメールが当社のサーバーを通っていないことを確認してくだ"
        "さい "
        "(emotriage logs)。",
        "To be sure, confirm in the mail-server logs that this mail did not pass our servers "
        "(emotriage logs).");
  }

  void misused() {
    contact_sender();
    for (const auto& reference : ev_.employees_referenced) {
      if (std::ranges::find(reference.where, "quoted-thread") != reference.where.end()) {
        check_pc(reference, false);
        add(5, "reset-password", reference.email,
            sentence("念のため、{} さんのメールアカウントのパスワードも変更してください。",
                     reference.name),
            sentence("As a precaution, also change the mail password of {}.", reference.name));
        add_unique(v_.accounts_to_reset, reference.email);
      }
    }
  }

  void malspam() {
    if (ev_.from.address.empty()) {
      add(1, "warn-recipients", "",
          "このメールを受け取った社員に、添付ファイルやリンクを開かないよう知らせてください。",
          "Tell the employees who received it not to open its attachments or links.");
      return;
    }
    add(1, "block-sender", ev_.from.address,
        sentence("このメールを受け取った社員に開かないよう知らせ、送信元 {} をメールフィルターで"
                 "ブロックしてください。",
                 ev_.from.address),
        sentence("Tell the employees who received it not to open it, and block the sender {} "
                 "in the mail filter.",
                 ev_.from.address));
    contact_sender();
  }

  // Step 6: whose account sent it, and who can stop it.
  void contact_sender() {
    const std::string& address = ev_.from.address;
    if (address.empty()) return;
    add_unique(v_.senders_to_contact, address);
    switch (ev_.from_domain_match.kind) {
      case profile::DomainKind::freemail:
        add(6, "report-provider-abuse", ev_.from_domain,
            sentence(
                "送信元 {} はフリーメールです。{} の不正利用窓口 (abuse) に、このメールを添えて"
                "アカウントの停止を依頼してください。",
                address, ev_.from_domain),
            sentence("The sender {} is a free-mail account: report it with this mail to {}'s "
                     "abuse desk and ask them to suspend it.",
                     address, ev_.from_domain));
        break;
      case profile::DomainKind::lookalike_own:
      case profile::DomainKind::lookalike_partner:
        add(6, "report-lookalike-domain", ev_.from_domain,
            sentence("{} は {} に似せたドメインです。そのドメインのレジストラ/ホスティング事業者の"
                     "abuse 窓口に報告してください。",
                     ev_.from_domain, ev_.from_domain_match.imitated),
            sentence("{} imitates {}: report it to that domain's registrar or hosting abuse desk.",
                     ev_.from_domain, ev_.from_domain_match.imitated));
        break;
      case profile::DomainKind::partner:
        break;  // partner_side() says what to ask
      default:
        add(6, "contact-sender-owner", address,
            sentence(
                "{} の持ち主 (またはドメイン {} の管理者) に、アカウントが乗っ取られ当社の情報が"
                "悪用されている可能性を伝え、パスワード変更と PC の確認を依頼してください。",
                address, ev_.from_domain),
            sentence("Tell the owner of {} (or the administrator of {}) that the account is "
                     "probably compromised and misusing our information; ask them to change "
                     "its password and check their PCs.",
                     address, ev_.from_domain));
    }
  }

  // A partner's address or a partner in the quoted thread: the stolen mailbox may be theirs.
  void partner_side() {
    const auto& partners = in_.profile.partners;
    auto contact_partner = [&](int index, bool sent_it) {
      if (index < 0 || static_cast<std::size_t>(index) >= partners.size()) return;
      const auto& partner = partners[static_cast<std::size_t>(index)];
      std::string target =
          partner.contact.empty() ? partner.name : partner.name + " <" + partner.contact + ">";
      add_unique(v_.senders_to_contact, target);
      add(6, "contact-partner", target,
          sent_it
              ? sentence("送信元は取引先 {} のアドレスです。{} に、そのアカウントが乗っ取られている"
                         "可能性を伝え、パスワード変更と PC の確認を依頼してください。",
                         partner.name, partner.name)
              : sentence("取引先 {} とのやり取りが引用されています。{} 側の PC からメールが盗まれた"
                         "可能性も伝え、確認を依頼してください。",
                         partner.name, partner.name),
          sent_it
              ? sentence("The sender address belongs to our partner {}: tell them the account is "
                         "probably compromised and ask them to change its password and check "
                         "their PCs.",
                         partner.name)
              : sentence("A thread with our partner {} is quoted: tell them the mail may have "
                         "been stolen from their side and ask them to check.",
                         partner.name));
    };
    if (ev_.from_domain_match.kind == profile::DomainKind::partner) {
      contact_partner(ev_.from_domain_match.partner, true);
    }
    for (const auto& participant : ev_.quoted_participants) {
      std::string domain = profile::address_domain(participant.address);
      for (std::size_t i = 0; i < partners.size(); ++i) {
        for (const auto& partner_domain : partners[i].domains) {
          if (!domain.empty() &&
              (domain == partner_domain || domain.ends_with("." + partner_domain))) {
            contact_partner(static_cast<int>(i), false);
          }
        }
      }
    }
  }

  void notice() {
    add(7, "publish-notice", in_.profile.company.website,
        "当社を装ったメールについて、ウェブサイトにお知らせ (お詫びと注意喚起) "
        "を掲載してください。",
        "Publish a notice on our website about mail that pretends to come from us (an apology "
        "and a warning).");
  }

  const Inputs& in_;
  const evidence::Evidence& ev_;
  std::string_view reporter_;
  Verdict& v_;
};

// The evidence as if the forwarded mail had arrived itself: its sender from the forward's block,
// route and authentication unknown (the original's headers are gone), and only what the
// forwarded mail itself uses of ours (not the reporter's address, note and signature, nor the
// block's recipients as a quoted thread).
evidence::Evidence as_forwarded_sender(const evidence::Evidence& ev) {
  const evidence::InlineForward& forward = *ev.inline_forward;
  evidence::Evidence view = ev;
  view.from = forward.sender;
  view.from_domain = forward.domain;
  view.from_domain_match = forward.domain_match;
  view.from_employee = forward.employee;
  view.origin = evidence::Origin::unknown;
  view.origin_evidence.clear();
  view.authenticated_account.clear();
  view.spf_fail = view.dkim_fail = view.dmarc_fail = false;
  view.employees_referenced = forward.references;
  view.company_reference = forward.company_reference;
  return view;
}

// Small context points for what the forwarded sender's address says: the block is text anyone
// can write, so it counts far less than the same fact in a real From header.
void add_forwarded_sender_points(const evidence::InlineForward& forward, Scored& scored) {
  int points = 0;
  switch (forward.domain_match.kind) {
    case profile::DomainKind::lookalike_own:
    case profile::DomainKind::lookalike_partner:
      points = 10;
      break;
    case profile::DomainKind::freemail:
      points = 3;
      break;
    default:
      break;
  }
  if (forward.named_employee) points = std::max(points, 8);
  const int counted = std::min(points, kContextCap - scored.context);
  if (counted <= 0) return;
  scored.context += counted;
  scored.contributions.push_back({"forward.inline", counted});
}

// `forwarded_inline`: `ev` is the view of an inline-forwarded mail, whose headers are lost.
Scenario choose_scenario(const evidence::Evidence& ev, bool forwarded_inline) {
  if (ev.from_domain_match.kind == profile::DomainKind::own) {
    // Our address in a pasted block is text anyone can write: a forgery until the mail-server
    // logs show it left our servers (the plan asks for exactly that check).
    if (forwarded_inline) return Scenario::own_address_spoofed;
    switch (ev.origin) {
      case evidence::Origin::own_server_authenticated:
      case evidence::Origin::own_server:
        return Scenario::own_account_compromised;
      case evidence::Origin::external:
        return Scenario::own_address_spoofed;
      case evidence::Origin::unknown:
        // Without a Received chain only authentication can tell a forgery.
        return ev.spf_fail || ev.dmarc_fail ? Scenario::own_address_spoofed
                                            : Scenario::own_account_compromised;
    }
  }
  return uses_our_identity(ev) ? Scenario::identity_misused_external : Scenario::external_malspam;
}

void summarise(const Inputs& inputs, bool forwarded_inline, Verdict& v) {
  const auto& ev = inputs.evidence;
  const std::string& from = ev.from.address;
  // No sender at all: a winmail.dat or a header-less fragment given on its own.
  const std::string from_ja = from.empty() ? "差出人不明" : from;
  const std::string from_en = from.empty() ? "sender unknown" : from;
  switch (v.scenario) {
    case Scenario::own_account_compromised:
      v.summary_ja = sentence(
          "当社のアカウント {} から{}送信された Emotet 型のメールです。このアカウントのパスワードを"
          "すぐに変更してください。",
          v.accounts_to_reset.empty() ? from : v.accounts_to_reset.front(),
          ev.origin == evidence::Origin::unknown ? "" : "当社のメールサーバーを通って実際に");
      v.summary_en = sentence(
          "Emotet-style mail {}sent from our account {}. Change that account's passwords now.",
          ev.origin == evidence::Origin::unknown ? "" : "really ",
          v.accounts_to_reset.empty() ? from : v.accounts_to_reset.front());
      if (ev.origin == evidence::Origin::unknown) {
        v.summary_ja +=
            "(経路ヘッダーがないため、受信者側から全ヘッダー付きのメールを入手して確認してください"
            "。)";
        v.summary_en +=
            " (The mail has no Received headers: get the full-header copy from a recipient to "
            "confirm.)";
      }
      break;
    case Scenario::own_address_spoofed:
      if (forwarded_inline) {
        v.summary_ja = sentence(
            "当社のアドレス {} を差出人とする Emotet 型のメールが、本文に貼り付けて転送されました。"
            "元のヘッダーが失われているため、偽装か、このアカウントの乗っ取りかは判断できません。"
            "メールサーバーのログで当社のサーバーを通ったかを確認してください。",
            from);
        v.summary_en = sentence(
            "Emotet-style mail with our address {} as sender, forwarded inline. Its headers are "
            "lost, so a forgery cannot be told from a compromised account: check the mail-server "
            "logs for whether it left our servers.",
            from);
        break;
      }
      v.summary_ja = sentence(
          "当社のアドレス {} を偽装した Emotet 型のメールです。当社のサーバーは通っていません。"
          "SPF/DKIM/DMARC を強化し、お知らせを掲載してください。",
          from);
      v.summary_en = sentence(
          "Emotet-style mail forging our address {}; it did not pass our servers. Tighten "
          "SPF/DKIM/DMARC and publish a notice.",
          from);
      break;
    case Scenario::identity_misused_external:
      v.summary_ja = sentence(
          "社外のアドレス {} から、当社の社員または会社の情報を悪用して送られた Emotet "
          "型のメールです。"
          "送信元の持ち主 (または事業者) に連絡してください。",
          from_ja);
      v.summary_en = sentence(
          "Emotet-style mail from the outside address {} that misuses our employees' or company's "
          "information. Contact the sender's owner (or provider).",
          from_en);
      if (!v.check_pcs_first.empty()) {
        v.summary_ja += "引用されたやり取りの当事者の PC を確認してください。";
        v.summary_en += " Check the PCs of the people in the quoted thread.";
      }
      break;
    case Scenario::external_malspam:
      v.summary_ja = sentence(
          "社外 ({}) からの Emotet 型のメールです。当社の情報は使われていません。開かずに削除し、"
          "送信元をブロックしてください。",
          from_ja);
      v.summary_en = sentence(
          "Emotet-style mail from outside ({}) that uses nothing of ours. Delete it unopened and "
          "block the sender.",
          from_en);
      break;
    case Scenario::not_suspicious:
      v.summary_ja = "Emotet 型の特徴は見つかりませんでした。";
      v.summary_en = "Nothing Emotet-like was found.";
      break;
  }
  if (v.suspicious && forwarded_inline && v.scenario != Scenario::own_address_spoofed) {
    v.summary_ja += "(本文に貼り付けた転送から判定しました。元のメールを添付で入手してください。)";
    v.summary_en += " (Judged from an inline forward: get the original mail as an attachment.)";
  }
  if (v.suspicious && !v.emotet_like) {
    v.summary_ja +=
        "(添付ファイルや URL "
        "による感染の仕掛けは確認できていないため、疑わしいが確定ではありません。)";
    v.summary_en += " (No infecting attachment or link was confirmed: suspicious, not certain.)";
  }
}

}  // namespace

std::vector<const core::Finding*> all_findings(const core::Message& message,
                                               const evidence::Evidence& evidence,
                                               const inspect::Result& inspection) {
  std::vector<const core::Finding*> out;
  for (const auto& finding : message.findings) out.push_back(&finding);
  for (const auto& finding : evidence.findings) out.push_back(&finding);
  for (const auto& finding : inspection.findings) out.push_back(&finding);
  return out;
}

// The mail to judge is the forwarded one, so its sender takes the sender's place and the
// reporter is not blamed.
bool judged_by_inline_forward(const evidence::Evidence& ev) {
  return ev.inline_forward &&
         (ev.from_domain_match.kind == profile::DomainKind::own || ev.from_employee.has_value());
}

Verdict decide(const Inputs& inputs) {
  Verdict v;
  Scored scored = score_findings(all_findings(inputs.message, inputs.evidence, inputs.inspection));
  std::optional<evidence::Evidence> forwarded;
  if (judged_by_inline_forward(inputs.evidence)) {
    forwarded = as_forwarded_sender(inputs.evidence);
    add_forwarded_sender_points(*inputs.evidence.inline_forward, scored);
  }
  const Inputs judged{inputs.message, forwarded ? *forwarded : inputs.evidence, inputs.inspection,
                      inputs.profile};
  v.contributions = std::move(scored.contributions);
  v.score = std::min(100, scored.payload + scored.context);
  v.suspicious = v.score >= kSuspiciousScore;
  v.emotet_like = v.score >= kEmotetLikeScore && scored.payload > 0;
  v.scenario = v.suspicious ? choose_scenario(judged.evidence, forwarded.has_value())
                            : Scenario::not_suspicious;
  Planner(judged, forwarded ? std::string_view(inputs.evidence.from.address) : std::string_view(),
          v)
      .plan();
  summarise(judged, forwarded.has_value(), v);
  return v;
}

}  // namespace emotriage::verdict
