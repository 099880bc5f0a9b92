#include "report/analysis_report.hpp"

#include <algorithm>
#include <sstream>

#include "report/dump.hpp"
#include "report/format.hpp"

namespace emotriage::report {

namespace {

using Json = nlohmann::ordered_json;

const char* const kReset = "\x1b[0m";
const char* const kBold = "\x1b[1m";
const char* const kRed = "\x1b[31m";
const char* const kYellow = "\x1b[33m";
const char* const kGreen = "\x1b[32m";
const char* const kDim = "\x1b[2m";

}  // namespace

std::string_view step_label(int step, Lang lang) {
  switch (step) {
    case 1:
      return pick(lang, "① メールの確保", "1 secure the mail");
    case 5:
      return pick(lang, "⑤ パスワード変更", "5 reset passwords");
    case 6:
      return pick(lang, "⑥ 関係先への連絡", "6 contact");
    case 7:
      return pick(lang, "⑦ お知らせの掲載", "7 notice");
    case 8:
      return pick(lang, "駆除 (PC の確認)", "removal: check PCs");
    case 9:
      return pick(lang, "予防", "prevention");
    default:
      return pick(lang, "対応", "action");
  }
}

namespace {

std::string_view severity_color(core::Severity severity) {
  switch (severity) {
    case core::Severity::high:
      return kRed;
    case core::Severity::medium:
      return kYellow;
    default:
      return kDim;
  }
}

}  // namespace

std::string_view origin_id(evidence::Origin origin) {
  switch (origin) {
    case evidence::Origin::own_server_authenticated:
      return "own-server-authenticated";
    case evidence::Origin::own_server:
      return "own-server";
    case evidence::Origin::external:
      return "external";
    case evidence::Origin::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view origin_label(evidence::Origin origin, Lang lang) {
  switch (origin) {
    case evidence::Origin::own_server_authenticated:
      return pick(lang, "当社のサーバーから認証付きで送信",
                  "sent through our servers by an authenticated user");
    case evidence::Origin::own_server:
      return pick(lang, "当社のサーバーを経由", "passed our servers");
    case evidence::Origin::external:
      return pick(lang, "社外のサーバーから送信", "came from a server outside ours");
    case evidence::Origin::unknown:
      return pick(lang, "経路ヘッダーなし (不明)", "unknown (no Received headers)");
  }
  return {};
}

namespace {

std::string mailbox_text(const core::Mailbox& mailbox) {
  if (mailbox.display_name.empty()) return "<" + mailbox.address + ">";
  return "\"" + mailbox.display_name + "\" <" + mailbox.address + ">";
}

}  // namespace

std::string attachment_line(const core::Attachment& node, Lang lang) {
  std::ostringstream out;
  out << one_line(node.filename.empty() ? pick(lang, "(名前なし)", "(no name)") : node.filename)
      << " (" << node.detected_type << ", " << node.size << " bytes";
  if (node.declared_size > node.size) {
    out << pick(lang, ", 宣言サイズ ", ", declared ") << node.declared_size;
  }
  if (node.encrypted) out << pick(lang, ", 暗号化", ", encrypted");
  if (!node.password_found.empty()) {
    out << pick(lang, ", 本文のパスワード「", ", opened with the body's password \"")
        << one_line(node.password_found) << pick(lang, "」で開けました", "\"");
  }
  if (node.macros) out << pick(lang, ", マクロあり", ", macros");
  if (node.autoexec) out << pick(lang, ", 自動実行", ", auto-exec");
  if (node.xlm_macros) out << pick(lang, ", Excel 4.0 マクロ", ", Excel 4.0 macros");
  if (node.truncated) out << pick(lang, ", 上限で打ち切り", ", cut at a limit");
  out << ")";
  if (!node.sha256.empty()) out << " sha256=" << node.sha256;
  return out.str();
}

namespace {

void attachment_tree(std::ostringstream& out, const core::Attachment& node, int depth, Lang lang) {
  out << "  " << std::string(static_cast<std::size_t>(depth) * 2, ' ')
      << (depth == 0 ? node.part + " " : "└ ") << attachment_line(node, lang) << "\n";
  for (const auto& [key, value] : node.properties) {
    out << "  " << std::string(static_cast<std::size_t>(depth) * 2 + 4, ' ') << key << ": "
        << one_line(value) << "\n";
  }
  for (const auto& child : node.children) attachment_tree(out, child, depth + 1, lang);
}

void collect_urls(const core::Attachment& node, std::vector<std::string>& urls) {
  for (const auto& url : node.urls) {
    if (std::ranges::find(urls, url) == urls.end()) urls.push_back(url);
  }
  for (const auto& child : node.children) collect_urls(child, urls);
}

}  // namespace

std::vector<std::string> all_urls(const verdict::Analysis& analysis) {
  std::vector<std::string> urls;
  for (const auto& url : analysis.evidence.urls) {
    if (std::ranges::find(urls, url.url) == urls.end()) urls.push_back(url.url);
  }
  for (const auto& node : analysis.inspection.attachments) collect_urls(node, urls);
  return urls;
}

std::vector<const core::Finding*> findings_by_severity(const verdict::Analysis& analysis) {
  auto findings = verdict::all_findings(analysis.message, analysis.evidence, analysis.inspection);
  std::ranges::stable_sort(findings, [](const core::Finding* a, const core::Finding* b) {
    return static_cast<int>(a->severity) > static_cast<int>(b->severity);
  });
  return findings;
}

std::string_view scenario_label(verdict::Scenario scenario, Lang lang) {
  switch (scenario) {
    case verdict::Scenario::own_account_compromised:
      return pick(lang, "当社アカウントの乗っ取り", "our account is compromised");
    case verdict::Scenario::own_address_spoofed:
      return pick(lang, "当社アドレスのなりすまし", "our address is forged");
    case verdict::Scenario::identity_misused_external:
      return pick(lang, "社外アドレスによる当社情報の悪用",
                  "an outside address misuses our information");
    case verdict::Scenario::external_malspam:
      return pick(lang, "社外からの Emotet 型メール", "Emotet-style mail from outside");
    case verdict::Scenario::not_suspicious:
      return pick(lang, "不審な点なし", "not suspicious");
  }
  return {};
}

std::string attachments_text(const std::vector<core::Attachment>& attachments, Lang lang) {
  std::ostringstream out;
  for (const auto& node : attachments) attachment_tree(out, node, 0, lang);
  return out.str();
}

Json attachment_to_json(const core::Attachment& node) {
  Json out;
  out["part"] = node.part;
  out["path"] = node.path;
  out["filename"] = node.filename;
  if (!node.declared_type.empty()) out["declared_type"] = node.declared_type;
  out["detected_type"] = node.detected_type;
  out["size"] = node.size;
  if (node.declared_size != 0) out["declared_size"] = node.declared_size;
  if (node.compressed_size != 0) out["compressed_size"] = node.compressed_size;
  out["sha256"] = node.sha256;
  out["md5"] = node.md5;
  if (!node.ssdeep.empty()) out["ssdeep"] = node.ssdeep;
  out["encrypted"] = node.encrypted;
  if (!node.password_found.empty()) out["password_found"] = node.password_found;
  out["macros"] = node.macros;
  out["autoexec"] = node.autoexec;
  out["xlm_macros"] = node.xlm_macros;
  if (node.truncated) out["truncated"] = true;
  if (!node.keywords.empty()) out["keywords"] = node.keywords;
  if (!node.urls.empty()) out["urls"] = node.urls;
  if (!node.properties.empty()) {
    Json properties = Json::array();
    for (const auto& [key, value] : node.properties)
      properties.push_back({{"name", key}, {"value", value}});
    out["properties"] = std::move(properties);
  }
  Json children = Json::array();
  for (const auto& child : node.children) children.push_back(attachment_to_json(child));
  out["children"] = std::move(children);
  return out;
}

Json analysis_to_json(const verdict::Analysis& analysis, Lang lang) {
  const auto& message = analysis.message;
  const auto& env = message.envelope;
  const auto& ev = analysis.evidence;
  const auto& v = analysis.verdict;
  Json out;
  out["source"] = message.locator;
  out["size"] = message.size;
  out["sha256"] = message.sha256;
  out["message_id"] = env.message_id;
  out["date"] = env.date;
  out["subject"] = env.subject;
  out["from"] = env.from.empty() ? Json(nullptr) : mailbox_to_json(env.from.front());
  Json to = Json::array();
  for (const auto& mailbox : env.to) to.push_back(mailbox_to_json(mailbox));
  out["to"] = std::move(to);
  out["analysis_failed"] = analysis.failed;
  if (ev.inline_forward) {
    const auto& forward = *ev.inline_forward;
    out["forwarded"] = {{"kind", "inline"},
                        {"from", mailbox_to_json(forward.sender)},
                        {"date", forward.date},
                        {"subject", forward.subject},
                        {"forwarded_by", env.from.empty() ? "" : env.from.front().address}};
  } else if (analysis.forwarded_by) {
    out["forwarded"] = {{"kind", "attached"},
                        {"from", out["from"]},
                        {"date", env.date},
                        {"subject", env.subject},
                        {"forwarded_by", analysis.forwarded_by->address}};
  }
  Json contributions = Json::array();
  for (const auto& c : v.contributions)
    contributions.push_back({{"id", c.id}, {"points", c.points}});
  out["verdict"] = {{"scenario", verdict::to_string(v.scenario)},
                    {"score", v.score},
                    {"emotet_like", v.emotet_like},
                    {"suspicious", v.suspicious},
                    {"summary", lang == Lang::ja ? v.summary_ja : v.summary_en},
                    {"contributions", std::move(contributions)}};
  out["origin"] = {{"kind", origin_id(ev.origin)},
                   {"evidence", ev.origin_evidence},
                   {"authenticated_account", ev.authenticated_account}};
  Json findings = Json::array();
  for (const auto* finding : verdict::all_findings(message, ev, analysis.inspection)) {
    findings.push_back(finding_to_json(*finding, lang));
  }
  out["findings"] = std::move(findings);
  Json employees = Json::array();
  for (const auto& reference : ev.employees_referenced) {
    employees.push_back(
        {{"name", reference.name}, {"email", reference.email}, {"where", reference.where}});
  }
  out["employees_referenced"] = std::move(employees);
  Json quoted = Json::array();
  for (const auto& participant : ev.quoted_participants) {
    quoted.push_back({{"display_name", participant.display_name},
                      {"address", participant.address},
                      {"employee", participant.employee >= 0}});
  }
  out["quoted_participants"] = std::move(quoted);
  Json attachments = Json::array();
  for (const auto& node : analysis.inspection.attachments)
    attachments.push_back(attachment_to_json(node));
  out["attachments"] = std::move(attachments);
  out["urls"] = all_urls(analysis);
  Json actions = Json::array();
  for (const auto& action : v.actions) {
    actions.push_back({{"step", action.step},
                       {"kind", action.kind},
                       {"target", action.target},
                       {"text", lang == Lang::ja ? action.text_ja : action.text_en}});
  }
  out["actions"] = std::move(actions);
  out["accounts_to_reset"] = v.accounts_to_reset;
  out["check_pcs_first"] = v.check_pcs_first;
  return out;
}

std::string analysis_text(const verdict::Analysis& analysis, const TextOptions& options) {
  const Lang lang = options.lang;
  auto color = [&](std::string_view code) { return options.color ? code : std::string_view(); };
  const auto& message = analysis.message;
  const auto& env = message.envelope;
  const auto& v = analysis.verdict;
  std::ostringstream out;
  out << color(kBold) << "━━ " << one_line(message.locator) << color(kReset) << "\n";
  auto line = [&](std::string_view ja, std::string_view en, std::string_view value) {
    if (!value.empty()) out << "  " << pick(lang, ja, en) << ": " << one_line(value) << "\n";
  };
  line("件名", "Subject", env.subject);
  if (!env.from.empty()) line("差出人", "From", mailbox_text(env.from.front()));
  line("日時", "Date", env.date.empty() ? env.date_raw : env.date);

  std::string_view verdict_color = v.emotet_like ? kRed : v.suspicious ? kYellow : kGreen;
  out << "\n  " << color(kBold) << color(verdict_color) << pick(lang, "判定: ", "Verdict: ")
      << scenario_label(v.scenario, lang) << " (" << verdict::to_string(v.scenario) << ")"
      << color(kReset) << pick(lang, "  スコア ", "  score ") << v.score << "/100";
  if (v.emotet_like) out << pick(lang, "  Emotet 型", "  Emotet-like");
  out << "\n  " << one_line(lang == Lang::ja ? v.summary_ja : v.summary_en) << "\n";
  if (analysis.failed) {
    out << "  "
        << pick(lang, "このメールは解析を完了できませんでした。",
                "This mail could not be fully analysed.")
        << "\n";
  }

  out << "\n  " << pick(lang, "経路", "Route") << ": "
      << origin_label(analysis.evidence.origin, lang);
  if (!analysis.evidence.authenticated_account.empty()) {
    out << pick(lang, " (認証ユーザー ", " (authenticated user ")
        << one_line(analysis.evidence.authenticated_account) << ")";
  }
  out << "\n";

  auto findings = findings_by_severity(analysis);
  if (!findings.empty()) {
    out << "\n  " << pick(lang, "根拠", "Evidence") << ":\n";
    for (const auto* finding : findings) {
      out << "    " << color(severity_color(finding->severity)) << "["
          << core::to_string(finding->severity) << "]" << color(kReset) << " " << finding->id
          << "  " << one_line(lang == Lang::ja ? finding->message_ja : finding->message_en);
      if (!finding->part.empty()) out << pick(lang, " (パート ", " (part ") << finding->part << ")";
      out << "\n";
      if (!finding->evidence.empty()) {
        out << "        " << color(kDim) << one_line(excerpt(finding->evidence, 300))
            << color(kReset) << "\n";
      }
    }
  }
  if (!analysis.inspection.attachments.empty()) {
    out << "\n  " << pick(lang, "添付ファイル", "Attachments") << ":\n"
        << attachments_text(analysis.inspection.attachments, lang);
  }
  auto urls = all_urls(analysis);
  if (!urls.empty()) {
    out << "\n  URL ("
        << pick(lang, "⚠ はファイルのダウンロード先。開かないでください",
                "⚠ downloads a file: do not open")
        << "):\n";
    for (const auto& url : urls) {
      bool download = std::ranges::any_of(analysis.evidence.urls, [&](const evidence::Url& u) {
        return u.url == url && u.download_link;
      });
      out << "    " << (download ? "⚠ " : "  ") << one_line(url) << "\n";
    }
  }
  if (!v.actions.empty()) {
    out << "\n  " << color(kBold) << pick(lang, "対応手順", "What to do") << color(kReset) << ":\n";
    int number = 0;
    for (const auto& action : v.actions) {
      out << "    " << ++number << ". [" << step_label(action.step, lang) << "] "
          << one_line(lang == Lang::ja ? action.text_ja : action.text_en) << "\n";
    }
  }
  return out.str();
}

}  // namespace emotriage::report
