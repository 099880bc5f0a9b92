#include "cases/render.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "cases/checklist.hpp"
#include "report/analysis_report.hpp"
#include "report/format.hpp"

namespace emotriage::cases {

namespace {

using Json = nlohmann::ordered_json;
using report::Lang;
using report::pick;

// A ja/en text as a string, for concatenation.
std::string tr(Lang lang, std::string_view ja, std::string_view en) {
  return std::string(pick(lang, ja, en));
}

// Mail-derived text shown in a report cell: one line, no control characters, no bidi overrides
// (which would reorder what a reader sees), bounded.
std::string visible(std::string_view text, std::size_t max_bytes = 300) {
  std::string line = report::one_line(report::excerpt(text, max_bytes));
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    // U+200E/F, U+202A..E, U+2066..9 are E2 80 8E/8F, E2 80 AA..AE, E2 81 A6..A9 in UTF-8.
    if (static_cast<unsigned char>(line[i]) == 0xE2 && i + 2 < line.size()) {
      auto b1 = static_cast<unsigned char>(line[i + 1]);
      auto b2 = static_cast<unsigned char>(line[i + 2]);
      bool bidi = (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || (b2 >= 0xAA && b2 <= 0xAE))) ||
                  (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9);
      if (bidi) {
        unsigned code = 0x2000u + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(code >> shift) & 15]);
        i += 2;
        continue;
      }
    }
    out.push_back(line[i]);
  }
  return out;
}

std::string scenario_text(const std::string& id, Lang lang) {
  for (auto scenario :
       {verdict::Scenario::own_account_compromised, verdict::Scenario::own_address_spoofed,
        verdict::Scenario::identity_misused_external, verdict::Scenario::external_malspam,
        verdict::Scenario::not_suspicious}) {
    if (verdict::to_string(scenario) == id)
      return std::string(report::scenario_label(scenario, lang));
  }
  return id;
}

// A stored analysis; a damaged one reads as null rather than stopping the report.
Json stored_json(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? Json(nullptr) : parsed;
}

struct Counts {
  std::size_t mails = 0, analyses = 0, suspicious = 0, failed = 0, open = 0;
  std::string first_seen, last_seen;
  // Steps ③ and ④ as report::Campaign saw each mail: our accounts to reset, outside senders to
  // contact, people whose names are used.
  std::set<std::string> our_accounts, outside_senders, people;
};

void add_targets(const Json& campaign, const char* list, std::set<std::string>& into) {
  if (!campaign.is_object() || !campaign.contains(list)) return;
  for (const auto& entry : campaign[list]) {
    if (entry.is_object() && entry.value("target", "") != "")
      into.insert(entry.value("target", ""));
  }
}

Counts count(const CaseData& data) {
  Counts counts;
  for (const auto& m : data.messages) {
    if (m.part.empty()) ++counts.mails;
    ++counts.analyses;
    if (m.suspicious) ++counts.suspicious;
    Json analysis = stored_json(m.analysis_en);
    if (analysis.is_object() && analysis.value("analysis_failed", false)) ++counts.failed;
    Json campaign = stored_json(m.campaign_json);
    add_targets(campaign, "accounts_to_reset", counts.our_accounts);
    add_targets(campaign, "senders_to_contact", counts.outside_senders);
    add_targets(campaign, "employees_impersonated", counts.people);
    if (m.suspicious && !m.date.empty()) {
      if (counts.first_seen.empty() || m.date < counts.first_seen) counts.first_seen = m.date;
      if (counts.last_seen.empty() || m.date > counts.last_seen) counts.last_seen = m.date;
    }
  }
  counts.open = data.open_items();
  return counts;
}

// The item's label with the counts ① to ④ stand for.
std::string label_with_counts(const Item& item, const Counts& counts, Lang lang) {
  std::string label = item_label(item, lang);
  if (item.kind == "collect")
    label += tr(lang, " (", " (") + std::to_string(counts.mails) + tr(lang, " 通)", " mails)");
  if (item.kind == "analyse") {
    label += " (" + std::to_string(counts.analyses) + tr(lang, " 通, 不審 ", ", suspicious ") +
             std::to_string(counts.suspicious);
    if (counts.failed > 0)
      label += tr(lang, ", 解析失敗 ", ", failed ") + std::to_string(counts.failed);
    label += ")";
  }
  if (item.kind == "identify-accounts") {
    label += tr(lang, " (当社 ", " (ours ") + std::to_string(counts.our_accounts.size()) +
             tr(lang, ", 外部 ", ", outside ") + std::to_string(counts.outside_senders.size()) +
             ")";
  }
  if (item.kind == "identify-people")
    label += " (" + std::to_string(counts.people.size()) + tr(lang, " 人)", " people)");
  return label;
}

std::string progress_text(const CaseData& data, const Counts& counts, Lang lang) {
  std::size_t finished = data.items.size() - counts.open;
  return tr(lang, "進捗 ", "progress ") + std::to_string(finished) + "/" +
         std::to_string(data.items.size());
}

std::string summary_text(const CaseData& data, const Counts& counts, Lang lang) {
  std::string text = tr(lang, "メール ", "") + std::to_string(counts.mails) +
                     tr(lang, " 通 (解析 ", " mails (") + std::to_string(counts.analyses) +
                     tr(lang, " 通, 不審 ", " analysed, ") + std::to_string(counts.suspicious) +
                     tr(lang, " 通)", " suspicious)") + ", " + progress_text(data, counts, lang);
  if (!counts.first_seen.empty()) {
    text += tr(lang, ", 不審メールの期間 ", ", suspicious mail from ") + counts.first_seen +
            tr(lang, " 〜 ", " to ") + counts.last_seen;
  }
  return text;
}

// One entry of the timeline: mails as they were stored, item changes and notes, by time.
struct Entry {
  std::string at, who, what;
};

std::vector<Entry> timeline(const CaseData& data, Lang lang) {
  std::vector<Entry> entries;
  for (const auto& m : data.messages) {
    if (!m.suspicious) continue;
    entries.push_back({m.added_at, "",
                       tr(lang, "不審なメールを登録: ", "Suspicious mail stored: ") +
                           visible(m.subject, 120) + " (" + visible(m.from_address, 120) + ", " +
                           scenario_text(m.scenario, lang) + tr(lang, ", スコア ", ", score ") +
                           std::to_string(m.score) + ")"});
  }
  for (const auto& event : data.events) {
    std::string what;
    if (event.kind == "note") {
      what = tr(lang, "メモ: ", "Note: ") + visible(event.text, 2000);
    } else {
      auto item = std::ranges::find(data.items, event.item_key, &Item::key);
      std::string label =
          item == data.items.end() ? visible(event.item_key) : visible(item_label(*item, lang));
      what = label + " → " +
             std::string(status_label(status_from(event.status).value_or(Status::todo), lang));
      if (!event.text.empty()) what += " (" + visible(event.text, 2000) + ")";
    }
    entries.push_back({event.at, visible(event.who, 120), what});
  }
  // Stable: what was recorded at the same time keeps its order.
  std::ranges::stable_sort(entries, {}, &Entry::at);
  return entries;
}

// The report as blocks of plain text; Markdown and HTML render the same document.
struct Block {
  enum class Type { heading, paragraph, table } type;
  std::string text;  // heading, paragraph
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::vector<std::string> item_row(int number, const Item& item, const Counts& counts, Lang lang) {
  return {std::to_string(number),
          visible(label_with_counts(item, counts, lang)),
          std::string(status_label(item.status, lang)),
          visible(item.who, 120),
          item.at,
          visible(item.note, 2000)};
}

std::vector<Block> incident_report(const CaseData& data, Lang lang) {
  const Counts counts = count(data);
  std::vector<Block> doc;
  auto heading = [&](std::string text) {
    doc.push_back({Block::Type::heading, std::move(text), {}, {}});
  };
  auto paragraph = [&](std::string text) {
    doc.push_back({Block::Type::paragraph, std::move(text), {}, {}});
  };
  const std::vector<std::string> item_header = {"#",
                                                tr(lang, "項目", "Item"),
                                                tr(lang, "状態", "Status"),
                                                tr(lang, "担当", "By"),
                                                tr(lang, "日時", "When"),
                                                tr(lang, "メモ", "Note")};
  // Items of some kinds, numbered as in `case show`.
  auto item_table = [&](std::initializer_list<std::string_view> kinds, bool open_only) {
    Block table{Block::Type::table, {}, item_header, {}};
    for (std::size_t i = 0; i < data.items.size(); ++i) {
      const Item& item = data.items[i];
      bool wanted = kinds.size() == 0 || std::ranges::find(kinds, item.kind) != kinds.end();
      if (wanted && (!open_only || item.status == Status::todo))
        table.rows.push_back(item_row(static_cast<int>(i + 1), item, counts, lang));
    }
    if (table.rows.empty())
      paragraph(tr(lang, "該当なし", "None"));
    else
      doc.push_back(std::move(table));
  };

  heading(tr(lang, "インシデント報告: ", "Incident report: ") + visible(data.name));
  paragraph(tr(lang, "案件作成: ", "Case opened: ") + data.created_at + tr(lang, "。", ". ") +
            summary_text(data, counts, lang) + tr(lang, "。", "."));

  heading(tr(lang, "チェックリスト", "Checklist"));
  item_table({}, false);

  heading(tr(lang, "経緯", "Timeline"));
  Block events{Block::Type::table,
               {},
               {tr(lang, "日時", "When"), tr(lang, "担当", "By"), tr(lang, "内容", "What")},
               {}};
  for (auto& entry : timeline(data, lang)) events.rows.push_back({entry.at, entry.who, entry.what});
  if (events.rows.empty())
    paragraph(tr(lang, "記録なし", "Nothing recorded"));
  else
    doc.push_back(std::move(events));

  heading(tr(lang, "パスワードを変更するアカウント", "Accounts to reset"));
  item_table({"reset-mailbox", "reset-smtp-auth"}, false);
  heading(tr(lang, "連絡先", "Parties to contact"));
  item_table({"contact"}, false);
  heading(tr(lang, "お知らせ", "Notices"));
  item_table({"notice"}, false);
  heading(tr(lang, "情報を使われた人", "People whose information is used"));
  if (counts.people.empty()) {
    paragraph(tr(lang, "該当なし", "None"));
  } else {
    Block people{Block::Type::table, {}, {tr(lang, "氏名", "Name")}, {}};
    for (const auto& person : counts.people) people.rows.push_back({visible(person)});
    doc.push_back(std::move(people));
  }
  heading(tr(lang, "PC の確認", "PCs to check"));
  item_table({"check-pc"}, false);
  heading(tr(lang, "未完了の項目", "Open items"));
  item_table({}, true);

  heading(tr(lang, "メール", "Mails"));
  Block mails{Block::Type::table,
              {},
              {tr(lang, "日時", "Date"), tr(lang, "差出人", "From"), tr(lang, "件名", "Subject"),
               tr(lang, "判定", "Verdict"), tr(lang, "スコア", "Score"), "SHA-256"},
              {}};
  for (const auto& m : data.messages) {
    std::string hash = m.sha256 + (m.part.empty() ? "" : " " + visible(m.part));
    mails.rows.push_back({visible(m.date), visible(m.from_address, 120), visible(m.subject, 200),
                          scenario_text(m.scenario, lang), std::to_string(m.score), hash});
  }
  if (mails.rows.empty())
    paragraph(tr(lang, "なし", "None"));
  else
    doc.push_back(std::move(mails));
  return doc;
}

// The entity for a character HTML would read as markup, or nothing.
std::string_view html_entity(char c) {
  switch (c) {
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '&':
      return "&amp;";
    case '"':
      return "&quot;";
    case '\'':
      return "&#39;";
    default:
      return {};
  }
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    std::string_view entity = html_entity(c);
    if (entity.empty())
      out.push_back(c);
    else
      out += entity;
  }
  return out;
}

// Text in Markdown: nothing in it may become markup, a link or raw HTML.
std::string markdown_escape(std::string_view text) {
  static constexpr std::string_view kMarkup = "\\`*_[]|#~!{}";
  std::string out;
  for (char c : text) {
    if (c == '<' || c == '>' || c == '&') {
      out += html_entity(c);
    } else {
      if (kMarkup.find(c) != std::string_view::npos) out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

int find_item(const std::vector<Item>& items, const std::string& key_or_number) {
  int number = 0;
  auto [end, error] =
      std::from_chars(key_or_number.data(), key_or_number.data() + key_or_number.size(), number);
  if (error == std::errc() && end == key_or_number.data() + key_or_number.size())
    return number >= 1 && static_cast<std::size_t>(number) <= items.size() ? number - 1 : -1;
  auto found = std::ranges::find(items, key_or_number, &Item::key);
  return found == items.end() ? -1 : static_cast<int>(found - items.begin());
}

std::string list_text(const std::vector<CaseSummary>& cases, Lang lang) {
  if (cases.empty()) return tr(lang, "案件はありません。\n", "No cases.\n");
  std::ostringstream out;
  for (const auto& c : cases) {
    out << visible(c.name) << "  " << c.created_at << "  " << c.mails
        << tr(lang, " 通 (解析 ", " mails (") << c.messages << tr(lang, " 通, 不審 ", " analysed, ")
        << c.suspicious << tr(lang, ")  未完了 ", " suspicious)  open items ") << c.items_open
        << "/" << c.items << "\n";
  }
  return out.str();
}

Json list_json(const std::vector<CaseSummary>& cases) {
  Json out = Json::array();
  for (const auto& c : cases) {
    out.push_back({{"name", c.name},
                   {"created_at", c.created_at},
                   {"mails", c.mails},
                   {"messages", c.messages},
                   {"suspicious", c.suspicious},
                   {"items", c.items},
                   {"items_open", c.items_open}});
  }
  return out;
}

std::string case_text(const CaseData& data, Lang lang) {
  const Counts counts = count(data);
  std::ostringstream out;
  out << tr(lang, "案件: ", "Case: ") << visible(data.name) << "  (" << tr(lang, "作成 ", "opened ")
      << data.created_at << ")\n"
      << summary_text(data, counts, lang) << "\n\n";
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    const Item& item = data.items[i];
    out << (i + 1 < 10 ? " " : "") << i + 1 << ". [" << status_label(item.status, lang) << "] "
        << visible(label_with_counts(item, counts, lang));
    if (item.status != Status::todo) {
      out << "  — " << visible(item.who, 120) << (item.who.empty() ? "" : " ") << item.at;
    }
    if (!item.note.empty()) out << "  「" << visible(item.note, 2000) << "」";
    out << "\n      " << visible(item.key) << "\n";
  }
  return out.str();
}

Json case_json(const CaseData& data, Lang lang, bool full) {
  const Counts counts = count(data);
  Json items = Json::array();
  for (std::size_t i = 0; i < data.items.size(); ++i) {
    const Item& item = data.items[i];
    items.push_back({{"number", i + 1},
                     {"key", item.key},
                     {"kind", item.kind},
                     {"target", item.target},
                     {"label", label_with_counts(item, counts, lang)},
                     {"status", to_string(item.status)},
                     {"who", item.who},
                     {"at", item.at},
                     {"note", item.note}});
  }
  Json out = {{"case", data.name},
              {"created_at", data.created_at},
              {"mails", counts.mails},
              {"messages", counts.analyses},
              {"suspicious", counts.suspicious},
              {"analysis_failed", counts.failed},
              {"first_seen", counts.first_seen},
              {"last_seen", counts.last_seen},
              {"items_open", counts.open},
              {"items", std::move(items)}};
  if (!full) return out;
  Json messages = Json::array();
  for (const auto& m : data.messages) {
    Json sightings = Json::array();
    for (const auto& s : m.sightings) sightings.push_back({{"source", s.locator}, {"at", s.at}});
    messages.push_back(
        {{"sha256", m.sha256},
         {"part", m.part},
         {"size", m.size},
         {"added_at", m.added_at},
         {"sightings", std::move(sightings)},
         {"analysis", stored_json(lang == Lang::ja ? m.analysis_ja : m.analysis_en)}});
  }
  out["messages_stored"] = std::move(messages);
  Json events = Json::array();
  for (const auto& e : data.events) {
    events.push_back({{"at", e.at},
                      {"kind", e.kind},
                      {"item", e.item_key},
                      {"status", e.status},
                      {"who", e.who},
                      {"text", e.text}});
  }
  out["events"] = std::move(events);
  return out;
}

std::string report_markdown(const CaseData& data, Lang lang) {
  std::ostringstream out;
  bool first = true;
  for (const auto& block : incident_report(data, lang)) {
    switch (block.type) {
      case Block::Type::heading:
        out << (first ? "# " : "\n## ") << markdown_escape(block.text) << "\n\n";
        first = false;
        break;
      case Block::Type::paragraph:
        out << markdown_escape(block.text) << "\n";
        break;
      case Block::Type::table: {
        auto row = [&](const std::vector<std::string>& cells) {
          out << "|";
          for (const auto& cell : cells) out << " " << markdown_escape(cell) << " |";
          out << "\n";
        };
        row(block.header);
        out << "|";
        for (std::size_t i = 0; i < block.header.size(); ++i) out << " --- |";
        out << "\n";
        for (const auto& cells : block.rows) row(cells);
        break;
      }
    }
  }
  return out.str();
}

std::string report_html(const CaseData& data, Lang lang) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"" << tr(lang, "ja", "en") << "\">\n<head>\n"
      << "<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src 'none'; form-action 'none'\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<title>" << html_escape(tr(lang, "インシデント報告: ", "Incident report: "))
      << html_escape(visible(data.name)) << "</title>\n"
      << "<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
         "table{border-collapse:collapse;margin:.5em 0}"
         "th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top;"
         "overflow-wrap:anywhere}th{background:#eee}</style>\n</head>\n<body>\n";
  bool first = true;
  for (const auto& block : incident_report(data, lang)) {
    switch (block.type) {
      case Block::Type::heading:
        out << (first ? "<h1>" : "<h2>") << html_escape(block.text)
            << (first ? "</h1>\n" : "</h2>\n");
        first = false;
        break;
      case Block::Type::paragraph:
        out << "<p>" << html_escape(block.text) << "</p>\n";
        break;
      case Block::Type::table:
        out << "<table>\n<tr>";
        for (const auto& cell : block.header) out << "<th>" << html_escape(cell) << "</th>";
        out << "</tr>\n";
        for (const auto& cells : block.rows) {
          out << "<tr>";
          for (const auto& cell : cells) out << "<td>" << html_escape(cell) << "</td>";
          out << "</tr>\n";
        }
        out << "</table>\n";
        break;
    }
  }
  out << "</body>\n</html>\n";
  return out.str();
}

}  // namespace emotriage::cases
