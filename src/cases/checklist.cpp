#include "cases/checklist.hpp"

#include <algorithm>
#include <array>
#include <functional>

#include "core/hash.hpp"
#include "report/analysis_report.hpp"
#include "report/campaign.hpp"
#include "report/json_text.hpp"

namespace emotriage::cases {

namespace {

using Json = nlohmann::ordered_json;
constexpr std::string_view kEmotriage = "emotriage";

struct Kind {
  std::string_view kind;
  int rank;
  std::string_view marker;  // the step number of the procedure (DESIGN.md), if it has one
  std::string_view ja, en;
};

// In procedure order; `rank` orders a case's checklist.
constexpr std::array<Kind, 12> kKinds = {{
    {"collect", 1, "①", "メールの収集", "Mails collected"},
    {"analyse", 2, "②", "メールの解析", "Mails analysed"},
    {"identify-accounts", 3, "③", "差出人アカウントの特定", "Sending accounts identified"},
    {"identify-people", 4, "④", "情報を使われた人の特定",
     "People whose information is used identified"},
    {"reset-mailbox", 5, "⑤", "メールボックスのパスワード変更", "Mailbox password reset"},
    {"reset-smtp-auth", 5, "⑤", "メールサーバー (SMTP AUTH) ログインのパスワード変更",
     "Mail-server (SMTP AUTH) login password reset"},
    {"contact", 6, "⑥", "送信元の所有者・ドメインへの連絡", "Sender's owner or domain contacted"},
    {"advise-partner", 6, "⑥", "スレッドを盗まれた取引先への注意喚起",
     "Partner whose thread was stolen advised"},
    {"notice", 7, "⑦", "お知らせの掲載", "Notice published"},
    {"check-logs", 8, "", "メールサーバーのログ確認", "Mail-server logs checked"},
    {"check-pc", 9, "", "PC の確認", "PC checked"},
    {"close", 10, "", "対応の完了", "Case closed"},
}};

const Kind* find_kind(std::string_view kind) {
  auto found = std::ranges::find(kKinds, kind, &Kind::kind);
  return found == kKinds.end() ? nullptr : &*found;
}

ItemSpec spec(std::string_view kind, const std::string& target = {}) {
  const Kind* info = find_kind(kind);
  std::string key(kind);
  if (!target.empty()) key += ":" + target;
  return {key, std::string(kind), target, info != nullptr ? info->rank : 0, Status::todo, {}};
}

void add_unique(std::vector<ItemSpec>& items, ItemSpec item) {
  if (std::ranges::none_of(items, [&](const ItemSpec& i) { return i.key == item.key; }))
    items.push_back(std::move(item));
}

void derive_reset_items(const Json& campaign, std::vector<ItemSpec>& items) {
  if (!campaign.contains("accounts_to_reset")) return;
  for (const auto& account : campaign["accounts_to_reset"]) {
    const std::string target = account.value("target", "");
    add_unique(items, spec("reset-mailbox", target));
    add_unique(items, spec("reset-smtp-auth", target));
  }
}

// The checklist items one analysed mail calls for.
void derive_items(const Json& campaign, const Json& analysis, std::vector<ItemSpec>& items) {
  derive_reset_items(campaign, items);
  for (const auto& sender : campaign["senders_to_contact"])
    add_unique(items, spec("contact", sender.value("target", "")));
  if (campaign.contains("partners_in_threads")) {
    for (const auto& partner : campaign["partners_in_threads"])
      add_unique(items, spec("advise-partner", partner.value("target", "")));
  }
  for (const auto& action : analysis["actions"]) {
    const std::string kind = action.value("kind", "");
    if (kind == "check-logs") add_unique(items, spec("check-logs"));
    if (kind == "publish-notice") add_unique(items, spec("notice"));
  }
  for (const auto& person : campaign["check_pcs_first"])
    add_unique(items, spec("check-pc", person.value("target", "")));
}

}  // namespace

std::vector<ItemSpec> base_items() {
  return {spec("identify-accounts"), spec("identify-people"), spec("close")};
}

NewMail mail_from_analysis(const verdict::Analysis& analysis, const profile::Profile* profile) {
  NewMail mail;
  mail.raw = analysis.message.raw;
  mail.sha256 = core::sha256_hex(mail.raw);
  // emotriage did steps ① and ② itself by storing this mail.
  for (std::string_view kind : {"collect", "analyse"}) {
    ItemSpec done = spec(kind);
    done.status = Status::done;
    done.who = kEmotriage;
    mail.items.push_back(std::move(done));
  }
  const std::string& carrier = analysis.message.locator;
  std::function<void(const verdict::Analysis&)> add = [&](const verdict::Analysis& one) {
    report::Campaign campaign(profile);
    campaign.add(one);
    Json campaign_json = campaign.to_json();
    Json en = report::analysis_to_json(one, report::Lang::en);
    derive_items(campaign_json, en, mail.items);
    const auto& envelope = one.message.envelope;
    const std::string& locator = one.message.locator;
    mail.analyses.push_back(NewAnalysis{
        .part = locator.starts_with(carrier) ? locator.substr(carrier.size()) : locator,
        .locator = locator,
        .analysis_ja = report::analysis_to_json(one, report::Lang::ja)
                           .dump(-1, ' ', false, report::kJsonErrors),
        .analysis_en = en.dump(-1, ' ', false, report::kJsonErrors),
        .campaign_json = campaign_json.dump(-1, ' ', false, report::kJsonErrors),
        .scenario = std::string(verdict::to_string(one.verdict.scenario)),
        .date = envelope.date,
        .from_address = envelope.from.empty() ? std::string() : envelope.from.front().address,
        .subject = envelope.subject,
        .score = one.verdict.score,
        .suspicious = one.verdict.suspicious,
    });
    for (const auto& inner : one.attached) add(inner);
  };
  add(analysis);
  return mail;
}

std::vector<ItemSpec> items_from_logs(const Json& campaign) {
  ItemSpec checked = spec("check-logs");
  checked.status = Status::done;
  checked.who = kEmotriage;
  std::vector<ItemSpec> items{std::move(checked)};
  derive_reset_items(campaign, items);
  return items;
}

std::string item_label(const Item& item, report::Lang lang) {
  const Kind* info = find_kind(item.kind);
  std::string label;
  if (info == nullptr) {
    label = item.kind;
  } else {
    if (!info->marker.empty()) label += std::string(info->marker) + " ";
    label += report::pick(lang, info->ja, info->en);
  }
  if (!item.target.empty()) label += ": " + item.target;
  return label;
}

std::string_view status_label(Status status, report::Lang lang) {
  switch (status) {
    case Status::todo:
      return report::pick(lang, "未完了", "to do");
    case Status::done:
      return report::pick(lang, "完了", "done");
    case Status::skipped:
      return report::pick(lang, "見送り", "skipped");
    case Status::not_needed:
      return report::pick(lang, "不要", "not needed");
  }
  return {};
}

}  // namespace emotriage::cases
