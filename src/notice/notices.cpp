#include "notice/notices.hpp"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

#include "core/hash.hpp"
#include "core/text.hpp"
#include "notice/embedded_templates.hpp"
#include "notice/facts.hpp"
#include "notice/mail.hpp"
#include "report/json_text.hpp"

namespace emotriage::notice {

namespace {

using Json = nlohmann::ordered_json;
using report::Lang;
namespace mustache = kainjow::mustache;

constexpr std::uintmax_t kMaxTemplateBytes = 256 * 1024;
constexpr std::size_t kMaxRecipients = 20;

// Partials ({{>name}}) would look the name up in the data and render a data string as a
// template: mail-derived text must never become template text, so there are none.
class DataOnlyContext : public mustache::context<std::string> {
 public:
  using mustache::context<std::string>::context;
  const mustache::data* get_partial(const std::string&) const override { return nullptr; }
};

mustache::data to_data(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, to_data(item));
      return object;
    }
    case Json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) list.push_back(to_data(item));
      return list;
    }
    case Json::value_t::string:
      // An empty string is false, so that {{#field}}...{{/field}} means "when there is one".
      if (value.get_ref<const std::string&>().empty()) return mustache::data{false};
      return mustache::data{value.get<std::string>()};
    case Json::value_t::boolean:
      return mustache::data{value.get<bool>()};
    case Json::value_t::null:
      return mustache::data{std::string()};
    default:
      return mustache::data{value.dump(-1, ' ', false, report::kJsonErrors)};
  }
}

NoticeError template_error(const std::string& source, std::string_view ja, std::string_view en) {
  return NoticeError{source, std::string(ja), std::string(en)};
}

std::string_view lang_code(Lang lang) {
  return lang == Lang::ja ? "ja" : "en";
}

class Templates {
 public:
  explicit Templates(const NoticeOptions& options) : options_(options) {}

  std::expected<std::string, NoticeError> load(Lang lang, std::string_view name) const {
    std::string relative = std::string(lang_code(lang)) + "/" + std::string(name) + ".mustache";
    if (!options_.user_templates.empty()) {
      std::filesystem::path path = std::filesystem::path(options_.user_templates) / relative;
      std::error_code ec;
      if (std::filesystem::exists(path, ec)) return read(path);
    }
    if (!options_.builtin_templates.empty()) {
      return read(std::filesystem::path(options_.builtin_templates) / relative);
    }
    for (const auto& embedded : embedded_templates()) {
      if (embedded.path == relative) return std::string(embedded.text);
    }
    return std::unexpected(template_error(relative, "組み込みのテンプレートがありません",
                                          "no such built-in template"));
  }

 private:
  static std::expected<std::string, NoticeError> read(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return std::unexpected(
          template_error(path.string(), "テンプレートが見つかりません", "template not found"));
    }
    if (std::filesystem::file_size(path, ec) > kMaxTemplateBytes || ec) {
      return std::unexpected(template_error(path.string(),
                                            "テンプレートが大きすぎます (上限 256 KiB)",
                                            "template too large (limit 256 KiB)"));
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      return std::unexpected(
          template_error(path.string(), "テンプレートを読めません", "cannot read the template"));
    }
    return text.str();
  }

  const NoticeOptions& options_;
};

enum class Escape { html, none };

// A section that renders nothing leaves its surrounding blank lines behind: in plain text (mail
// bodies, website.txt) every run of blank lines becomes one, so a skipped section leaves no gap.
std::string collapse_blank_lines(std::string text) {
  std::string out;
  out.reserve(text.size());
  std::size_t newlines = 0;
  for (char c : text) {
    newlines = c == '\n' ? newlines + 1 : 0;
    if (newlines <= 2) out.push_back(c);
  }
  return out;
}

std::expected<std::string, NoticeError> render(const Templates& templates, Lang lang,
                                               std::string_view name, const Json& context,
                                               Escape escape) {
  auto text = templates.load(lang, name);
  if (!text) return std::unexpected(text.error());
  std::string source = std::string(lang_code(lang)) + "/" + std::string(name) + ".mustache";
  mustache::mustache tmpl{*text};
  if (!tmpl.is_valid()) {
    return std::unexpected(
        template_error(source, "テンプレートの書式が正しくありません: " + tmpl.error_message(),
                       "the template is not valid mustache: " + tmpl.error_message()));
  }
  if (escape == Escape::none) tmpl.set_custom_escape([](const std::string& s) { return s; });
  mustache::data data = to_data(context);
  DataOnlyContext render_context(&data);
  std::string out = tmpl.render(render_context);
  if (!tmpl.is_valid()) {
    return std::unexpected(template_error(source,
                                          "テンプレートを展開できません: " + tmpl.error_message(),
                                          "cannot render the template: " + tmpl.error_message()));
  }
  return escape == Escape::none ? collapse_blank_lines(std::move(out)) : out;
}

// One mail notice to write: which templates, to whom, about what.
struct MailNotice {
  std::string kind;  // template name prefix and file name stem
  std::string file_stem;
  Json target;  // the sender group / provider / partner the notice is about
  std::vector<Mailbox> to, cc;
};

std::string numbered(std::string_view kind, std::size_t index, const Json& target) {
  std::string number = std::to_string(index + 1);
  if (number.size() < 2) number.insert(0, "0");
  return std::string(kind) + "-" + number + "-" + target.value("file_domain", "unknown");
}

std::vector<MailNotice> mail_notices(const Json& facts, const std::string& staff_to) {
  std::vector<MailNotice> notices;
  auto addresses = [](const Json& list) {
    std::vector<Mailbox> out;
    for (const auto& item : list) {
      if (out.size() < kMaxRecipients) out.push_back({"", item.value("address", "")});
    }
    return out;
  };
  std::size_t letters = 0, lookalikes = 0;
  for (const Json& group : facts["sender_groups"]) {
    // A domain imitating ours (or a partner's) was registered to deceive: its registrar or
    // operator is asked to act, not the addresses on it.
    if (!group["imitates"].get<std::string>().empty()) {
      MailNotice notice{
          "lookalike-report", numbered("lookalike-report", lookalikes++, group), group, {}, {}};
      notice.to.push_back({"", group["abuse_address"]});
      notices.push_back(std::move(notice));
      continue;
    }
    MailNotice notice{"sender-letter", numbered("sender-letter", letters++, group), group, {}, {}};
    if (!group["partner_contact"].get<std::string>().empty()) {
      notice.to.push_back({group["partner"], group["partner_contact"]});
    } else {
      notice.to = addresses(group["addresses"]);
      if (!group["freemail"].get<bool>()) notice.cc.push_back({"", group["abuse_address"]});
    }
    notices.push_back(std::move(notice));
  }
  const Json& providers = facts["freemail_providers"];
  for (std::size_t i = 0; i < providers.size(); ++i) {
    MailNotice notice{
        "abuse-report", numbered("abuse-report", i, providers[i]), providers[i], {}, {}};
    notice.to.push_back({providers[i]["provider"], providers[i]["abuse_address"]});
    notices.push_back(std::move(notice));
  }
  MailNotice staff{"staff-alert", "staff-alert", Json::object(), {}, {}};
  staff.to.push_back(
      {"", staff_to.empty() ? facts["company"]["contact"]["email"].get<std::string>() : staff_to});
  notices.push_back(std::move(staff));
  const Json& partners = facts["partners_in_threads"];
  for (std::size_t i = 0; i < partners.size(); ++i) {
    MailNotice notice{
        "partner-advisory", numbered("partner-advisory", i, partners[i]), partners[i], {}, {}};
    notice.to.push_back({partners[i]["name"], partners[i]["contact"]});
    notices.push_back(std::move(notice));
  }
  return notices;
}

std::string mailbox_text(const Mailbox& mailbox) {
  std::string name = header_safe(mailbox.display_name);
  return name.empty() ? mailbox.address : name + " <" + mailbox.address + ">";
}

std::string mailboxes_text(const std::vector<Mailbox>& mailboxes) {
  std::string out;
  for (const auto& mailbox : mailboxes) {
    if (!is_plain_address(mailbox.address)) continue;
    out += (out.empty() ? "" : ", ") + mailbox_text(mailbox);
  }
  return out;
}

// The draft as a person reads it: the headers decoded, then the body.
std::string draft_text(const Draft& draft) {
  std::string out = "From: " + mailboxes_text({draft.from}) + "\n";
  if (std::string to = mailboxes_text(draft.to); !to.empty()) out += "To: " + to + "\n";
  if (std::string cc = mailboxes_text(draft.cc); !cc.empty()) out += "Cc: " + cc + "\n";
  out += "Subject: " + header_safe(draft.subject) + "\n";
  out += "Date: " + draft.date + "\n\n" + draft.body;
  return out;
}

std::string message_id(const Json& facts, const MailNotice& notice, Lang lang,
                       const std::string& date) {
  std::string domain = "emotriage.invalid";
  const Json& domains = facts["company"]["domains"];
  if (!domains.empty() && is_plain_address("x@" + domains[0].get<std::string>())) {
    domain = domains[0].get<std::string>();
  }
  std::string seed = notice.file_stem + "\n" + std::string(lang_code(lang)) + "\n" + date + "\n" +
                     notice.target.dump(-1, ' ', false, report::kJsonErrors) + "\n" +
                     facts["period"].dump(-1, ' ', false, report::kJsonErrors);
  return "<" + core::sha256_hex(seed).substr(0, 32) + ".notice@" + domain + ">";
}

}  // namespace

const std::vector<std::string>& notice_kinds() {
  static const std::vector<std::string> kKinds{"website-notice",   "sender-letter",
                                               "lookalike-report", "abuse-report",
                                               "staff-alert",      "partner-advisory"};
  return kKinds;
}

const std::vector<std::string>& template_names() {
  static const std::vector<std::string> kNames{"website.html",
                                               "website.txt",
                                               "sender-letter.subject",
                                               "sender-letter.body",
                                               "abuse-report.subject",
                                               "abuse-report.body",
                                               "staff-alert.subject",
                                               "staff-alert.body",
                                               "partner-advisory.subject",
                                               "partner-advisory.body",
                                               "lookalike-report.subject",
                                               "lookalike-report.body"};
  return kNames;
}

std::expected<std::vector<NoticeFile>, NoticeError> render_notices(
    const nlohmann::ordered_json& analysis, const profile::Profile& profile,
    const NoticeOptions& options) {
  auto date = rfc5322_date(options.date);
  if (!date) {
    return std::unexpected(template_error("--date", "日時は RFC 3339 形式で指定してください",
                                          "the date must be an RFC 3339 time stamp"));
  }
  Templates templates(options);
  std::vector<NoticeFile> files;
  for (Lang lang : options.langs) {
    Json facts = build_facts(analysis, profile, lang);
    if (facts["counts"]["suspicious"].get<std::uint64_t>() == 0) continue;
    facts["notice_date"] = std::string(core::utf8_prefix(options.date, 10));
    std::string suffix = "." + std::string(lang_code(lang));
    // The public notice is about our identity being misused; outside malspam alone gets the
    // staff alert only (the CLI says so).
    for (auto [name, escape, extension] : {std::tuple{"website.html", Escape::html, ".html"},
                                           std::tuple{"website.txt", Escape::none, ".txt"}}) {
      if (!facts["identity_involved"].get<bool>()) break;
      auto text = render(templates, lang, name, facts, escape);
      if (!text) return std::unexpected(text.error());
      files.push_back({"website-notice" + suffix + extension, std::move(*text)});
    }
    const Json& company = facts["company"];
    Mailbox from{company["name"].get<std::string>() + " " +
                     company["contact"]["department"].get<std::string>(),
                 company["contact"]["email"].get<std::string>()};
    for (const auto& notice : mail_notices(facts, options.staff_to)) {
      Json context = facts;
      context["target"] = notice.target;
      auto subject = render(templates, lang, notice.kind + ".subject", context, Escape::none);
      if (!subject) return std::unexpected(subject.error());
      auto body = render(templates, lang, notice.kind + ".body", context, Escape::none);
      if (!body) return std::unexpected(body.error());
      Draft draft{from,
                  notice.to,
                  notice.cc,
                  header_safe(*subject),
                  *date,
                  message_id(facts, notice, lang, options.date),
                  std::move(*body)};
      files.push_back({notice.file_stem + suffix + ".eml", compose_eml(draft)});
      files.push_back({notice.file_stem + suffix + ".txt", draft_text(draft)});
    }
  }
  return files;
}

}  // namespace emotriage::notice
