#include "report/document.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "logs/logs.hpp"
#include "report/analysis_report.hpp"
#include "report/format.hpp"
#include "report/markup.hpp"

namespace emotriage::report {

// A piece of inline content. Every value is escaped by the Markup that renders it, ours as well
// as the mail's, so no caller can forget.
struct Span {
  enum class Kind { text, strong, code, badge } kind = Kind::text;
  std::string value;
  std::string badge;  // badge: high, medium, low, info, emotet, suspicious, ok (our class names)
};
using Spans = std::vector<Span>;

namespace {

Span text(std::string value) {
  return {Span::Kind::text, std::move(value), {}};
}
Span strong(std::string value) {
  return {Span::Kind::strong, std::move(value), {}};
}
Span code(std::string value) {
  return {Span::Kind::code, std::move(value), {}};
}
Span badge(std::string value, std::string kind) {
  return {Span::Kind::badge, std::move(value), std::move(kind)};
}

}  // namespace

// The two syntaxes behind one set of block primitives.
class DocumentMarkup {
 public:
  virtual ~DocumentMarkup() = default;
  virtual std::string begin(std::string_view title, Lang lang) const = 0;
  virtual std::string end() const = 0;
  virtual std::string section_begin(std::string_view anchor) const = 0;
  virtual std::string section_end() const = 0;
  virtual std::string heading(int level, const Spans& spans, std::string_view anchor) const = 0;
  virtual std::string paragraph(const Spans& spans) const = 0;
  // A list; `depth` nests items (attachment trees).
  virtual std::string list(const std::vector<std::pair<int, Spans>>& items, bool ordered) const = 0;
  virtual std::string table(const std::vector<std::string>& header,
                            const std::vector<Spans>& rows_flat, std::size_t columns) const = 0;
  virtual std::string anchor_link(std::string_view label, std::string_view anchor) const = 0;
  // An SVG drawn by this file (never mail content except escaped labels).
  virtual std::string figure(const std::string& svg) const = 0;
};

namespace {

class Html final : public DocumentMarkup {
 public:
  std::string begin(std::string_view title, Lang lang) const override {
    return std::string("<!DOCTYPE html>\n<html lang=\"") + (lang == Lang::ja ? "ja" : "en") +
           "\">\n<head>\n<meta charset=\"utf-8\"/>\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
           "'unsafe-inline'; img-src data:\"/>\n"
           "<meta name=\"referrer\" content=\"no-referrer\"/>\n"
           "<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>" +
           html_text(title) + "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n";
  }
  std::string end() const override { return "</body>\n</html>\n"; }
  std::string section_begin(std::string_view anchor) const override {
    return "<section id=\"" + html_escape(anchor) + "\">\n";
  }
  std::string section_end() const override { return "</section>\n"; }
  std::string heading(int level, const Spans& spans, std::string_view anchor) const override {
    std::string tag = "h" + std::to_string(level);
    std::string id = anchor.empty() ? "" : " id=\"" + html_escape(anchor) + "\"";
    return "<" + tag + id + ">" + inline_html(spans) + "</" + tag + ">\n";
  }
  std::string paragraph(const Spans& spans) const override {
    return "<p>" + inline_html(spans) + "</p>\n";
  }
  std::string list(const std::vector<std::pair<int, Spans>>& items, bool ordered) const override {
    if (items.empty()) return {};
    const std::string tag = ordered ? "ol" : "ul";
    std::string out = "<" + tag + ">\n";
    int depth = 0;
    bool open_item = false;
    for (const auto& [item_depth, spans] : items) {
      int target = std::max(0, std::min(item_depth, depth + 1));
      if (target > depth) {
        out += "\n<ul>\n";  // inside the open item
        ++depth;
        open_item = false;
      }
      while (target < depth) {
        out += "</li>\n</ul>\n";
        --depth;
        open_item = true;
      }
      if (open_item) out += "</li>\n";
      out += "<li>" + inline_html(spans);
      open_item = true;
    }
    while (depth > 0) {
      out += "</li>\n</ul>\n";
      --depth;
    }
    out += "</li>\n</" + tag + ">\n";
    return out;
  }
  std::string table(const std::vector<std::string>& header, const std::vector<Spans>& cells,
                    std::size_t columns) const override {
    std::string out = "<table>\n<thead><tr>";
    for (const auto& name : header) out += "<th>" + html_text(name) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i % columns == 0) out += "<tr>";
      out += "<td>" + inline_html(cells[i]) + "</td>";
      if (i % columns == columns - 1) out += "</tr>\n";
    }
    return out + "</tbody>\n</table>\n";
  }
  std::string anchor_link(std::string_view label, std::string_view anchor) const override {
    return "<nav><a href=\"#" + html_escape(anchor) + "\">" + html_text(label) + "</a></nav>\n";
  }
  std::string figure(const std::string& svg) const override {
    return "<figure>\n" + svg + "</figure>\n";
  }

 private:
  static std::string inline_html(const Spans& spans) {
    std::string out;
    for (const auto& span : spans) {
      switch (span.kind) {
        case Span::Kind::text:
          out += html_text(span.value);
          break;
        case Span::Kind::strong:
          out += "<strong>" + html_text(span.value) + "</strong>";
          break;
        case Span::Kind::code:
          out += "<code>" + html_text(span.value) + "</code>";
          break;
        case Span::Kind::badge:
          out += "<span class=\"badge " + html_escape(span.badge) + "\">" + html_text(span.value) +
                 "</span>";
          break;
      }
    }
    return out;
  }

  static constexpr const char* kStyle =
      "body{font-family:system-ui,'Hiragino Sans','Noto Sans JP',sans-serif;margin:2em auto;"
      "max-width:60em;padding:0 1em;color:#222;line-height:1.5}\n"
      "section{border-top:2px solid #ccc;margin-top:2em}\n"
      "code{background:#f4f4f4;padding:0 .2em;word-break:break-all}\n"
      "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em "
      ".5em;text-align:left;vertical-align:top}\n"
      ".badge{border-radius:.3em;padding:0 .4em;font-weight:bold;color:#fff;background:#777}\n"
      ".badge.high,.badge.emotet,.badge.confirmed{background:#c62828}\n"
      ".badge.medium,.badge.suspicious,.badge.likely{background:#ef6c00}\n"
      ".badge.low,.badge.possible{background:#9e9d24}.badge.ok{background:#2e7d32}\n"
      "figure{margin:1em 0}svg text{font-size:12px;font-family:inherit}\n";
};

class Markdown final : public DocumentMarkup {
 public:
  std::string begin(std::string_view, Lang) const override { return {}; }
  std::string end() const override { return {}; }
  std::string section_begin(std::string_view) const override { return {}; }
  std::string section_end() const override { return "\n"; }
  std::string heading(int level, const Spans& spans, std::string_view) const override {
    return std::string(static_cast<std::size_t>(level), '#') + " " + inline_md(spans, false) +
           "\n\n";
  }
  std::string paragraph(const Spans& spans) const override {
    return inline_md(spans, false) + "\n\n";
  }
  std::string list(const std::vector<std::pair<int, Spans>>& items, bool ordered) const override {
    if (items.empty()) return {};
    std::string out;
    int number = 0;
    for (const auto& [depth, spans] : items) {
      std::string marker = ordered && depth == 0 ? std::to_string(++number) + ". " : "- ";
      out += std::string(static_cast<std::size_t>(depth) * (ordered ? 3 : 2), ' ') + marker +
             inline_md(spans, false) + "\n";
    }
    return out + "\n";
  }
  std::string table(const std::vector<std::string>& header, const std::vector<Spans>& cells,
                    std::size_t columns) const override {
    std::string out = "|";
    for (const auto& name : header) out += " " + md_text(name) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < header.size(); ++i) out += " --- |";
    out += "\n";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i % columns == 0) out += "|";
      out += " " + inline_md(cells[i], true) + " |";
      if (i % columns == columns - 1) out += "\n";
    }
    return out + "\n";
  }
  std::string anchor_link(std::string_view label, std::string_view) const override {
    return md_text(label) + "\n\n";  // anchors differ between Markdown renderers
  }
  // A type 7 HTML block: one line, ended by the blank line after it.
  std::string figure(const std::string& svg) const override {
    std::string line = svg;
    std::ranges::replace(line, '\n', ' ');
    return line + "\n\n";
  }

 private:
  // In a table cell a code span would still be split at "|" (GFM), so values stay text there.
  static std::string inline_md(const Spans& spans, bool in_table) {
    std::string out;
    for (const auto& span : spans) {
      switch (span.kind) {
        case Span::Kind::text:
          out += md_text(span.value);
          break;
        case Span::Kind::strong:
          out += "**" + md_text(span.value) + "**";
          break;
        case Span::Kind::code:
          out += in_table ? md_text(span.value) : md_code(span.value);
          break;
        case Span::Kind::badge:
          out += "**\\[" + md_text(span.value) + "\\]**";
          break;
      }
    }
    return out;
  }
};

std::string svg_escape(std::string_view value) {
  return html_text(value);
}

// A horizontal bar chart: one row per label, bars scaled to the largest value. Integers only,
// so the output is the same on every machine.
std::string bar_chart(std::string_view title,
                      const std::vector<std::pair<std::string, std::size_t>>& rows) {
  const int label_width = 260, bar_width = 340, row_height = 22, top = 24;
  std::size_t largest = 1;
  for (const auto& row : rows) largest = std::max(largest, row.second);
  int height = top + static_cast<int>(rows.size()) * row_height + 8;
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << label_width + bar_width + 60
      << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << svg_escape(title)
      << "\">\n<title>" << svg_escape(title)
      << "</title>\n<text x=\"0\" y=\"14\" font-weight=\"bold\">" << svg_escape(title)
      << "</text>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    int y = top + static_cast<int>(i) * row_height;
    auto width = static_cast<int>(rows[i].second * bar_width / largest);
    out << "<text x=\"0\" y=\"" << y + 14 << "\">" << svg_escape(rows[i].first) << "</text>"
        << "<rect x=\"" << label_width << "\" y=\"" << y + 3 << "\" width=\"" << std::max(width, 1)
        << "\" height=\"" << row_height - 6 << "\" fill=\"#c62828\"/>"
        << "<text x=\"" << label_width + width + 4 << "\" y=\"" << y + 14 << "\">" << rows[i].second
        << "</text>\n";
  }
  out << "</svg>\n";
  return out.str();
}

// Mails per day as columns: all mail in grey, the suspicious part of it in red.
std::string day_chart(std::string_view title, const std::vector<DayCount>& days, Lang lang) {
  const int left = 30, plot_height = 120, top = 24, plot_width = 600;
  std::size_t largest = 1;
  for (const auto& day : days) largest = std::max(largest, day.messages);
  int count = std::max<int>(1, static_cast<int>(days.size()));
  int step = std::clamp(plot_width / count, 3, 48);
  int bar = std::max(2, step * 3 / 4);
  int label_every = std::max(1, 64 / step);  // a date label needs about 64 px
  int width = left + count * step + 20;
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << std::max(width, 320)
      << "\" height=\"" << top + plot_height + 40 << "\" role=\"img\" aria-label=\""
      << svg_escape(title) << "\">\n<title>" << svg_escape(title)
      << "</title>\n<text x=\"0\" y=\"14\" font-weight=\"bold\">" << svg_escape(title)
      << "</text>\n<text x=\"0\" y=\"" << top + 10 << "\">" << largest << "</text>\n"
      << "<line x1=\"" << left << "\" y1=\"" << top + plot_height << "\" x2=\"" << width - 10
      << "\" y2=\"" << top + plot_height << "\" stroke=\"#888\"/>\n";
  for (std::size_t i = 0; i < days.size(); ++i) {
    int x = left + static_cast<int>(i) * step;
    auto all = static_cast<int>(days[i].messages * plot_height / largest);
    auto bad = static_cast<int>(days[i].suspicious * plot_height / largest);
    out << "<rect x=\"" << x << "\" y=\"" << top + plot_height - all << "\" width=\"" << bar
        << "\" height=\"" << all << "\" fill=\"#bdbdbd\"/>";
    if (bad > 0) {
      out << "<rect x=\"" << x << "\" y=\"" << top + plot_height - bad << "\" width=\"" << bar
          << "\" height=\"" << bad << "\" fill=\"#c62828\"/>";
    }
    if (static_cast<int>(i) % label_every == 0) {
      out << "<text x=\"" << x << "\" y=\"" << top + plot_height + 14 << "\">"
          << svg_escape(days[i].date.substr(5)) << "</text>";
    }
    out << "\n";
  }
  out << "<rect x=\"" << left << "\" y=\"" << top + plot_height + 22
      << "\" width=\"10\" height=\"10\" fill=\"#bdbdbd\"/><text x=\"" << left + 14 << "\" y=\""
      << top + plot_height + 31 << "\">" << svg_escape(pick(lang, "全メール", "all mail"))
      << "</text><rect x=\"" << left + 110 << "\" y=\"" << top + plot_height + 22
      << "\" width=\"10\" height=\"10\" fill=\"#c62828\"/><text x=\"" << left + 124 << "\" y=\""
      << top + plot_height + 31 << "\">" << svg_escape(pick(lang, "不審", "suspicious"))
      << "</text>\n</svg>\n";
  return out.str();
}

std::string severity_id(core::Severity severity) {
  return std::string(core::to_string(severity));
}

void attachment_items(const core::Attachment& node, int depth, Lang lang,
                      std::vector<std::pair<int, Spans>>& items) {
  Spans spans;
  if (depth == 0) spans.push_back(strong(node.part));
  spans.push_back(text((depth == 0 ? " " : "") + attachment_line(node, lang)));
  items.emplace_back(depth, std::move(spans));
  for (const auto& [key, value] : node.properties) {
    items.emplace_back(depth + 1, Spans{text(key + ": "), code(excerpt(value, 300))});
  }
  for (const auto& child : node.children) attachment_items(child, depth + 1, lang, items);
}

std::string verdict_badge_kind(const verdict::Verdict& v) {
  return v.emotet_like ? "emotet" : v.suspicious ? "suspicious" : "ok";
}

}  // namespace

DocumentWriter::DocumentWriter(DocumentFormat format, Lang lang) : lang_(lang) {
  if (format == DocumentFormat::html)
    markup_ = std::make_unique<Html>();
  else
    markup_ = std::make_unique<Markdown>();
}

DocumentWriter::~DocumentWriter() = default;

std::string DocumentWriter::begin() const {
  const Lang lang = lang_;
  return markup_->begin(pick(lang, "emotriage 解析レポート", "emotriage analysis report"), lang) +
         markup_->heading(
             1,
             {text(std::string(pick(lang, "emotriage 解析レポート", "emotriage analysis report")))},
             "top") +
         markup_->anchor_link(pick(lang, "→ まとめ (最後)", "→ Summary (at the end)"), "summary");
}

std::string DocumentWriter::message(const verdict::Analysis& analysis, bool full) {
  const Lang lang = lang_;
  const auto& m = *markup_;
  const auto& env = analysis.message.envelope;
  const auto& v = analysis.verdict;
  std::string anchor = "m" + std::to_string(++messages_);
  if (!full) {
    return m.paragraph({badge("✓", "ok"), text(" " + analysis.message.locator + "  "),
                        text(env.subject),
                        text(std::string(pick(lang, "  (不審な点なし)", "  (not suspicious)")))});
  }
  std::string out = m.section_begin(anchor);
  out += m.heading(2, {code(analysis.message.locator)}, "");
  // The verdict first: what it is and what it means.
  Spans verdict_line{
      badge(std::string(pick(lang, "判定", "Verdict")), verdict_badge_kind(v)), text(" "),
      strong(std::string(scenario_label(v.scenario, lang))),
      text(" (" + std::string(verdict::to_string(v.scenario)) + ")" +
           std::string(pick(lang, "  スコア ", "  score ")) + std::to_string(v.score) + "/100")};
  if (v.emotet_like)
    verdict_line.push_back(text(std::string(pick(lang, "  Emotet 型", "  Emotet-like"))));
  out += m.paragraph(verdict_line);
  out += m.paragraph({text(lang == Lang::ja ? v.summary_ja : v.summary_en)});
  if (analysis.failed) {
    out += m.paragraph({strong(std::string(pick(lang, "このメールは解析を完了できませんでした。",
                                                "This mail could not be fully analysed.")))});
  }
  std::vector<std::pair<int, Spans>> facts;
  auto fact = [&](std::string_view ja, std::string_view en, const std::string& value) {
    if (!value.empty())
      facts.emplace_back(0,
                         Spans{strong(std::string(pick(lang, ja, en))), text(": "), text(value)});
  };
  fact("件名", "Subject", env.subject);
  if (!env.from.empty()) {
    const auto& from = env.from.front();
    facts.emplace_back(0, Spans{strong(std::string(pick(lang, "差出人", "From"))), text(": "),
                                text(from.display_name + (from.display_name.empty() ? "" : " ")),
                                code(from.address)});
  }
  fact("日時", "Date", env.date.empty() ? env.date_raw : env.date);
  std::string route(origin_label(analysis.evidence.origin, lang));
  if (!analysis.evidence.authenticated_account.empty()) {
    route += std::string(pick(lang, " (認証ユーザー ", " (authenticated user ")) +
             analysis.evidence.authenticated_account + ")";
  }
  fact("経路", "Route", route);
  out += m.list(facts, false);

  auto findings = findings_by_severity(analysis);
  if (!findings.empty()) {
    out += m.heading(3, {text(std::string(pick(lang, "根拠", "Evidence")))}, "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto* finding : findings) {
      Spans spans{badge(severity_id(finding->severity), severity_id(finding->severity)), text(" "),
                  code(finding->id),
                  text(" " + (lang == Lang::ja ? finding->message_ja : finding->message_en))};
      if (!finding->part.empty())
        spans.push_back(
            text(std::string(pick(lang, " (パート ", " (part ")) + finding->part + ")"));
      items.emplace_back(0, std::move(spans));
      if (!finding->evidence.empty())
        items.emplace_back(1, Spans{code(excerpt(finding->evidence, 300))});
    }
    out += m.list(items, false);
  }
  if (!analysis.inspection.attachments.empty()) {
    out += m.heading(3, {text(std::string(pick(lang, "添付ファイル", "Attachments")))}, "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& node : analysis.inspection.attachments) attachment_items(node, 0, lang, items);
    out += m.list(items, false);
  }
  auto urls = all_urls(analysis);
  if (!urls.empty()) {
    out += m.heading(3, {text("URL")}, "");
    out += m.paragraph(
        {text(std::string(pick(lang, "開かないでください。⚠ はファイルのダウンロード先です。",
                               "Do not open. ⚠ marks a file download.")))});
    std::vector<std::pair<int, Spans>> items;
    for (const auto& url : urls) {
      bool download = std::ranges::any_of(analysis.evidence.urls, [&](const evidence::Url& u) {
        return u.url == url && u.download_link;
      });
      items.emplace_back(0, Spans{text(download ? "⚠ " : ""), code(url)});
    }
    out += m.list(items, false);
  }
  if (!analysis.evidence.employees_referenced.empty()) {
    out += m.heading(
        3, {text(std::string(pick(lang, "名前が出てくる社員", "Employees referenced")))}, "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& reference : analysis.evidence.employees_referenced) {
      std::string where;
      for (const auto& w : reference.where) where += (where.empty() ? "" : ", ") + w;
      Spans spans{strong(reference.name)};
      if (!reference.email.empty()) spans.push_back(text(" <" + reference.email + ">"));
      spans.push_back(text(" (" + where + ")"));
      items.emplace_back(0, std::move(spans));
    }
    out += m.list(items, false);
  }
  if (!v.actions.empty()) {
    out += m.heading(3, {text(std::string(pick(lang, "対応手順", "What to do")))}, "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& action : v.actions) {
      items.emplace_back(0,
                         Spans{strong("[" + std::string(step_label(action.step, lang)) + "]"),
                               text(" " + (lang == Lang::ja ? action.text_ja : action.text_en))});
    }
    out += m.list(items, true);
  }
  return out + m.section_end();
}

std::string DocumentWriter::end(const CampaignSummary& s) const {
  const Lang lang = lang_;
  const auto& m = *markup_;
  auto label = [&](std::string_view ja, std::string_view en) {
    return std::string(pick(lang, ja, en));
  };
  auto count = [&](std::size_t messages) {
    return messages == 0 ? label("ログから", "from the logs") : messages_label(messages, lang);
  };
  auto joined = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  std::string out = m.section_begin("summary");
  out += m.heading(2, {text(label("まとめ", "Summary"))}, "");
  out += m.paragraph({text(std::to_string(s.messages) + label(" 通中 ", " messages, ")),
                      strong(std::to_string(s.suspicious) + label(" 通が不審", " suspicious")),
                      text(label(" (Emotet 型 ", " (Emotet-like ") + std::to_string(s.emotet_like) +
                           label(" 通)", ")"))});
  if (!s.first_seen.empty()) {
    out += m.paragraph(
        {strong(label("期間", "Period")), text(": " + s.first_seen + " – " + s.last_seen)});
  }
  if (!s.scenarios.empty()) {
    std::vector<Spans> cells;
    for (const auto& item : s.scenarios) {
      verdict::Scenario scenario = verdict::Scenario::not_suspicious;
      for (auto candidate :
           {verdict::Scenario::own_account_compromised, verdict::Scenario::own_address_spoofed,
            verdict::Scenario::identity_misused_external, verdict::Scenario::external_malspam}) {
        if (verdict::to_string(candidate) == item.target) scenario = candidate;
      }
      cells.push_back({text(std::string(scenario_label(scenario, lang)))});
      cells.push_back({code(item.target)});
      cells.push_back({text(std::to_string(item.messages))});
    }
    out += m.table({label("判定", "Verdict"), "id", label("通数", "Mails")}, cells, 3);
  }
  if (!s.accounts_to_reset.empty()) {
    out += m.heading(3,
                     {text(label("⑤ パスワードを変更するアカウント (確実なものから)",
                                 "5 Accounts to reset (most certain first)"))},
                     "");
    std::vector<Spans> cells;
    for (const auto& a : s.accounts_to_reset) {
      cells.push_back({badge(std::string(certainty_label(a.certainty, lang)),
                             std::string(to_string(a.certainty)))});
      cells.push_back({code(a.target)});
      cells.push_back({text(a.employee)});
      cells.push_back({text(count(a.messages))});
      std::vector<std::string> evidence;
      for (const auto& item : a.evidence) evidence.push_back(evidence_label(item, lang));
      cells.push_back({text(joined(evidence))});
    }
    out += m.table({label("確度", "Certainty"), label("アカウント", "Account"),
                    label("社員", "Employee"), label("通数", "Mails"), label("根拠", "Evidence")},
                   cells, 5);
  }
  if (s.logs_given) {
    out += m.heading(3,
                     {text(label("メールサーバーのログで大量送信が見つかったアカウント",
                                 "Accounts mass-sending in the mail-server logs"))},
                     "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& a : s.mass_sending) {
      std::vector<std::string> reasons;
      for (const auto& id : a.reasons)
        reasons.emplace_back(logs::reason_label(id, lang == Lang::ja));
      items.emplace_back(
          0, Spans{code(a.account), text((a.employee.empty() ? "" : " (" + a.employee + ")") + " " +
                                         messages_label(a.messages, lang) +
                                         label(", 理由: ", ", reasons: ") + joined(reasons))});
    }
    if (items.empty()) items.emplace_back(0, Spans{text(label("なし", "none"))});
    out += m.list(items, false);
  }
  if (!s.sender_groups.empty()) {
    out += m.heading(3,
                     {text(label("⑥ 連絡先 (送信元のドメイン・事業者ごと)",
                                 "6 Whom to contact (by owner domain or provider)"))},
                     "");
    std::vector<Spans> cells;
    for (const auto& g : s.sender_groups) {
      cells.push_back({text(g.provider.empty() ? g.domain : g.provider)});
      cells.push_back({text(g.kind == "freemail" ? label("フリーメール", "free mail")
                                                 : label("ドメイン", "domain"))});
      cells.push_back({text(g.partner)});
      cells.push_back({code(g.abuse_contact)});
      cells.push_back({text(joined(g.addresses))});
      cells.push_back({text(std::to_string(g.messages))});
    }
    out += m.table(
        {label("送信元", "Sender side"), label("種類", "Kind"), label("取引先", "Partner"),
         label("連絡先", "Contact"), label("アドレス", "Addresses"), label("通数", "Mails")},
        cells, 6);
  }
  auto people = [&](std::string_view ja, std::string_view en,
                    const std::vector<PersonCount>& items) {
    if (items.empty()) return;
    out += m.heading(3, {text(label(ja, en))}, "");
    std::vector<std::pair<int, Spans>> list;
    for (const auto& p : items) {
      Spans spans{strong(p.name)};
      if (p.target != p.name) spans.push_back(text(" <" + p.target + ">"));
      spans.push_back(text("  " + messages_label(p.messages, lang)));
      if (!p.where.empty()) spans.push_back(text("  (" + joined(p.where) + ")"));
      list.emplace_back(0, std::move(spans));
    }
    out += m.list(list, false);
  };
  people("名前を使われた社員", "Employees whose names are used", s.employees_impersonated);
  people("最初に確認する PC", "PCs to check first", s.check_pcs_first);
  if (!s.partners_in_threads.empty()) {
    out += m.heading(
        3, {text(label("引用されたやり取りに出てくる取引先", "Partners in the quoted threads"))},
        "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& p : s.partners_in_threads) {
      items.emplace_back(
          0,
          Spans{strong(p.target),
                text(" (" + p.domain + ")  " + messages_label(p.messages, lang) +
                     (p.contact.empty() ? "" : label("  連絡先: ", "  contact: ") + p.contact))});
    }
    out += m.list(items, false);
  }
  if (!s.forged_senders.empty()) {
    out += m.heading(
        3, {text(label("偽の差出人 (当社を装ったもの)", "Forged senders (pretending to be us)"))},
        "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& f : s.forged_senders) {
      items.emplace_back(0, Spans{text(f.display_name.empty() ? "" : f.display_name + " "),
                                  code(f.address), text("  " + messages_label(f.messages, lang))});
    }
    out += m.list(items, false);
  }
  if (!s.our_addresses.empty()) {
    out += m.heading(3, {text(label("当社の本物のアドレス", "Our real addresses"))}, "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& address : s.our_addresses) items.emplace_back(0, Spans{code(address)});
    out += m.list(items, false);
  }
  if (!s.techniques.empty()) {
    out += m.heading(
        3,
        {text(label("手口 (不審なメールの所見)", "Techniques (findings of the suspicious mails)"))},
        "");
    std::vector<std::pair<std::string, std::size_t>> rows;
    std::vector<Spans> cells;
    for (const auto& t : s.techniques) {
      rows.emplace_back(t.target, t.messages);
      cells.push_back({code(t.target)});
      cells.push_back({text(std::to_string(t.messages))});
    }
    out += m.figure(bar_chart(label("手口ごとの通数", "Mails per technique"), rows));
    out += m.table({label("所見", "Finding"), label("通数", "Mails")}, cells, 2);
  }
  if (!s.per_day.empty()) {
    out += m.heading(3, {text(label("日ごとの通数", "Mails per day"))}, "");
    out += m.figure(day_chart(label("日ごとの通数", "Mails per day"), s.per_day, lang));
    std::vector<Spans> cells;
    for (const auto& d : s.per_day) {
      cells.push_back({text(d.date)});
      cells.push_back({text(std::to_string(d.messages))});
      cells.push_back({text(std::to_string(d.suspicious))});
    }
    out +=
        m.table({label("日付", "Date"), label("全メール", "All mail"), label("不審", "Suspicious")},
                cells, 3);
  }
  if (!s.timeline.empty()) {
    out += m.heading(3, {text(label("時系列 (不審なメール)", "Timeline (suspicious mail)"))}, "");
    std::vector<std::pair<int, Spans>> items;
    for (const auto& e : s.timeline) {
      items.emplace_back(
          0,
          Spans{strong(e.date.empty() ? label("日時なし", "no date") : e.date), text(" "),
                badge(std::string(verdict::to_string(e.scenario)),
                      e.emotet_like ? "emotet" : "suspicious"),
                text(" "), code(e.from), text(" " + e.subject + " ("), code(e.source), text(")")});
    }
    if (s.timeline_omitted > 0) {
      items.emplace_back(0, Spans{text(label("ほか ", "and ") + std::to_string(s.timeline_omitted) +
                                       label(" 通 (省略)", " more (omitted)"))});
    }
    out += m.list(items, false);
  }
  return out + m.section_end() + m.end();
}

}  // namespace emotriage::report
