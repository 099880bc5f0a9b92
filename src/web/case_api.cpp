#include "web/case_api.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "cases/checklist.hpp"
#include "cases/render.hpp"
#include "notice/date.hpp"
#include "report/campaign.hpp"

namespace emotriage::web {

namespace {

using Json = nlohmann::ordered_json;
constexpr std::size_t kMaxWho = 200;
constexpr std::size_t kMaxNote = 4000;

Answer ledger_failure(const core::Error& error) {
  return refusal(500, "ledger", "案件台帳を読み書きできません: " + error.detail,
                 "the case ledger cannot be read or written: " + error.detail);
}

Answer no_such_case() {
  return refusal(404, "no-case", "その案件はありません。", "no such case.");
}

// Accounts stored from logs, back into the report Campaign::add_logs reads.
logs::LogReport stored_log_report(const std::vector<cases::LogAccount>& accounts) {
  logs::LogReport report;
  for (const auto& stored : accounts) {
    logs::AccountSummary account;
    account.account = stored.account;
    account.employee = stored.employee;
    account.messages = stored.messages;
    account.flagged = true;
    for (const auto& id : stored.reasons) {
      for (int value = 0; value <= static_cast<int>(logs::Reason::failed_logins); ++value) {
        auto reason = static_cast<logs::Reason>(value);
        if (logs::reason_id(reason) == id) account.reasons.push_back(reason);
      }
    }
    report.accounts.push_back(std::move(account));
  }
  return report;
}

}  // namespace

Answer refusal(int status, std::string_view code, std::string_view ja, std::string_view en) {
  return {status, {{"error", code}, {"message_ja", ja}, {"message_en", en}}};
}

std::string server_time() {
  if (const char* injected = std::getenv("EMOTRIAGE_NOW"); injected != nullptr && *injected)
    return injected;
  std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string notice_time() {
  const std::string now = server_time();
  auto stamp = notice::parse_rfc3339(now);
  return stamp ? notice::local_rfc3339(stamp->instant()) : now;
}

std::string notice_title(std::string_view stem, report::Lang lang) {
  struct Kind {
    std::string_view prefix, ja, en;
  };
  static constexpr Kind kKinds[] = {
      {"website-notice", "⑦ Web サイト掲載文", "⑦ Website notice"},
      {"sender-letter", "⑥ 送信元への連絡", "⑥ Letter to the sender's owner"},
      {"abuse-report", "⑥ 不正利用の報告", "⑥ Abuse report"},
      {"lookalike-report", "⑥ なりすましドメインの報告", "⑥ Lookalike domain report"},
      {"partner-advisory", "⑥ 取引先への注意喚起", "⑥ Partner advisory"},
      {"staff-alert", "社内向け注意喚起", "Staff alert"},
  };
  for (const auto& kind : kKinds) {
    if (!stem.starts_with(kind.prefix)) continue;
    std::string title(report::pick(lang, kind.ja, kind.en));
    // sender-letter-1-example.com: the number and the (sanitised) domain tell letters apart.
    if (stem.size() > kind.prefix.size() + 1)
      title += " (" + std::string(stem.substr(kind.prefix.size() + 1)) + ")";
    return title;
  }
  return std::string(stem);
}

bool valid_case_name(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') return false;
  }
  return name != "." && name != "..";
}

bool valid_notice_name(std::string_view name) {
  if (name.empty() || name.size() > 200 || name.front() == '.') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return true;
}

struct CaseApi::Opened {
  std::unique_ptr<cases::Store> store;
  cases::CaseData data;
};

std::expected<void, std::string> CaseApi::open_ledger() const {
  auto store = cases::open_sqlite_store(db_path_);
  if (!store) return std::unexpected(store.error().detail);
  return {};
}

std::optional<CaseApi::Opened> CaseApi::open_case(const std::string& name, Answer& refused) const {
  auto store = cases::open_sqlite_store(db_path_);
  if (!store) {
    refused = ledger_failure(store.error());
    return std::nullopt;
  }
  auto data = (*store)->load_case(name);
  if (!data) {
    refused = data.error().code == core::ErrorCode::not_found ? no_such_case()
                                                              : ledger_failure(data.error());
    return std::nullopt;
  }
  return Opened{std::move(*store), std::move(*data)};
}

Answer CaseApi::list() const {
  auto store = cases::open_sqlite_store(db_path_);
  if (!store) return ledger_failure(store.error());
  auto listed = (*store)->list_cases();
  if (!listed) return ledger_failure(listed.error());
  return {200, {{"cases", cases::list_json(*listed)}}};
}

Answer CaseApi::upload(const std::string& name, const std::vector<Upload>& uploads,
                       const Analyzer& analyzer, report::Lang lang) const {
  auto store = cases::open_sqlite_store(db_path_);
  if (!store) return ledger_failure(store.error());
  if (auto opened = (*store)->open_case(name, cases::base_items(), server_time()); !opened)
    return ledger_failure(opened.error());
  std::size_t stored = 0, seen_again = 0;
  Json failures = Json::array();
  AnalyzeHooks hooks;
  hooks.each = [&](const verdict::Analysis& analysis) {
    auto added = (*store)->add_mail(name, cases::mail_from_analysis(analysis, &analyzer.profile()),
                                    server_time());
    if (!added)
      failures.push_back({{"error", analysis.message.locator + ": " + added.error().detail}});
    else
      ++(*added == cases::Added::stored ? stored : seen_again);
  };
  Json result = analyzer.analyze(uploads, lang, hooks);
  for (auto& failure : failures) result["errors"].push_back(std::move(failure));
  result["case"] = name;
  result["stored"] = stored;
  result["seen_again"] = seen_again;
  return {200, std::move(result)};
}

std::expected<Json, Answer> CaseApi::campaign(cases::Store& store, const cases::CaseData& data,
                                              const Analyzer& analyzer) const {
  {
    std::lock_guard lock(cache_mutex_);
    auto cached = cache_.find(data.name);
    if (cached != cache_.end() && cached->second.messages == data.messages.size() &&
        cached->second.log_accounts == data.log_accounts.size() &&
        cached->second.analyzer == analyzer.id())
      return cached->second.campaign;
  }
  // One original at a time from the ledger: a case imported from a whole mailbox is not held.
  std::optional<core::Error> failed;
  auto each_original = [&](const std::function<void(const Upload&)>& visit) {
    for (const auto& message : data.messages) {
      if (!message.part.empty()) continue;  // an attached mail is read again with its carrier
      auto bytes = store.original(message.sha256);
      if (!bytes) {
        failed = bytes.error();
        return;
      }
      std::string locator =
          message.sightings.empty() ? message.sha256 : message.sightings.front().locator;
      visit(Upload{std::move(locator), std::move(*bytes)});
    }
  };
  const logs::LogReport logs = stored_log_report(data.log_accounts);
  AnalyzeHooks hooks;
  if (!data.log_accounts.empty()) hooks.logs = &logs;
  Json campaign = analyzer.campaign(each_original, hooks);
  if (failed) return std::unexpected(ledger_failure(*failed));
  std::lock_guard lock(cache_mutex_);
  cache_[data.name] = {data.messages.size(), data.log_accounts.size(), analyzer.id(), campaign};
  return campaign;
}

Answer CaseApi::page(const std::string& name, const Analyzer& analyzer, report::Lang lang) const {
  Answer refused;
  auto opened = open_case(name, refused);
  if (!opened) return refused;
  const cases::CaseData& data = opened->data;
  auto across = campaign(*opened->store, data, analyzer);
  if (!across) return across.error();
  Json page = cases::case_json(data, lang, true);
  const std::size_t open = data.open_items();
  page["progress"] = {{"done", data.items.size() - open}, {"total", data.items.size()}};
  page["campaign"] = std::move(*across);
  Json log_accounts = Json::array();
  for (const auto& account : data.log_accounts) {
    log_accounts.push_back({{"source", account.source},
                            {"account", account.account},
                            {"employee", account.employee},
                            {"messages", account.messages},
                            {"reasons", account.reasons},
                            {"added_at", account.added_at}});
  }
  page["log_accounts"] = std::move(log_accounts);
  return {200, std::move(page)};
}

Answer CaseApi::set_item(const std::string& name, const nlohmann::json& change) const {
  auto text = [&](const char* field) {
    auto found = change.find(field);
    return found != change.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  if (!change.is_object())
    return refusal(400, "body", "JSON のオブジェクトで送ってください。", "send a JSON object.");
  const std::string key = text("key"), who = text("who");
  auto status = cases::status_from(text("status"));
  if (key.empty() || !status)
    return refusal(400, "item", "key と status (todo, done, skipped, not-needed) が必要です。",
                   "key and status (todo, done, skipped, not-needed) are required.");
  // "note" absent or null keeps the item's note; a string, "" included, replaces it.
  std::optional<std::string> note;
  auto given = change.find("note");
  const bool keeps_note = given == change.end() || given->is_null();
  if (!keeps_note && given->is_string()) note = given->get<std::string>();
  if (who.empty() || who.size() > kMaxWho || (!keeps_note && !note) ||
      (note && note->size() > kMaxNote))
    return refusal(400, "who",
                   "担当者 (200 バイトまで) を入れてください。メモは 4000 バイトまでの文字列です。",
                   "who (up to 200 bytes) is required; a note is a string of up to 4000 bytes.");
  Answer refused;
  auto opened = open_case(name, refused);
  if (!opened) return refused;
  const std::string at = server_time();
  if (auto set = opened->store->set_item(name, key, *status, who, note, at); !set) {
    if (set.error().code == core::ErrorCode::not_found)
      return refusal(404, "no-item", "その項目はありません。", "no such item.");
    return ledger_failure(set.error());
  }
  if (!note) {
    int index = cases::find_item(opened->data.items, key);
    note = index < 0 ? "" : opened->data.items[static_cast<std::size_t>(index)].note;
  }
  return {200,
          {{"case", name},
           {"key", key},
           {"status", cases::to_string(*status)},
           {"who", who},
           {"at", at},
           {"note", *note}}};
}

std::expected<std::vector<notice::NoticeFile>, Answer> CaseApi::render_notices(
    const std::string& name, const Analyzer& analyzer, std::vector<report::Lang> langs) const {
  Answer refused;
  auto opened = open_case(name, refused);
  if (!opened) return std::unexpected(refused);
  auto across = campaign(*opened->store, opened->data, analyzer);
  if (!across) return std::unexpected(across.error());
  std::vector<notice::NoticeFile> files;
  for (report::Lang lang : langs) {
    // The JSON `emotriage notice` reads: the stored analyses in this language, the campaign.
    Json messages = Json::array();
    for (const auto& message : opened->data.messages) {
      Json analysis = Json::parse(
          lang == report::Lang::ja ? message.analysis_ja : message.analysis_en, nullptr, false);
      if (!analysis.is_discarded()) messages.push_back(std::move(analysis));
    }
    notice::NoticeOptions options;
    options.langs = {lang};
    options.date = notice_time();
    if (const char* builtin = std::getenv("EMOTRIAGE_TEMPLATES"); builtin != nullptr && *builtin)
      options.builtin_templates = builtin;
    auto rendered = notice::render_notices(
        {{"messages", std::move(messages)}, {"campaign", *across}}, analyzer.profile(), options);
    if (!rendered) {
      return std::unexpected(refusal(500, "notice",
                                     rendered.error().source + ": " + rendered.error().message_ja,
                                     rendered.error().source + ": " + rendered.error().message_en));
    }
    for (auto& file : *rendered) files.push_back(std::move(file));
  }
  return files;
}

Answer CaseApi::notices(const std::string& name, const Analyzer& analyzer,
                        report::Lang lang) const {
  auto files = render_notices(name, analyzer, {lang});
  if (!files) return files.error();
  Json notices = Json::array();
  for (const auto& file : *files) {
    if (!file.name.ends_with(".txt")) continue;
    // "staff-alert.ja.txt": its other forms share "staff-alert.ja." ("staff-alert.ja.eml").
    const std::string prefix = file.name.substr(0, file.name.size() - 3);
    const std::string stem = prefix.substr(0, prefix.rfind('.', prefix.size() - 2));
    Json names = Json::array();
    for (const auto& other : *files) {
      if (other.name.starts_with(prefix)) names.push_back(other.name);
    }
    notices.push_back({{"name", file.name},
                       {"kind", stem},
                       {"title", notice_title(stem, lang)},
                       {"body", file.bytes},
                       {"files", std::move(names)}});
  }
  return {200,
          {{"case", name},
           {"lang", lang == report::Lang::ja ? "ja" : "en"},
           {"notices", std::move(notices)}}};
}

std::optional<notice::NoticeFile> CaseApi::notice_file(const std::string& name,
                                                       const std::string& file_name,
                                                       const Analyzer& analyzer,
                                                       Answer& refused) const {
  if (!valid_notice_name(file_name)) {
    refused = refusal(404, "no-notice", "そのお知らせはありません。", "no such notice.");
    return std::nullopt;
  }
  auto files = render_notices(name, analyzer, {report::Lang::ja, report::Lang::en});
  if (!files) {
    refused = files.error();
    return std::nullopt;
  }
  for (auto& file : *files) {
    if (file.name == file_name) return std::move(file);
  }
  refused = refusal(404, "no-notice", "そのお知らせはありません。", "no such notice.");
  return std::nullopt;
}

Answer CaseApi::logs(const std::string& name, const std::vector<Upload>& uploads,
                     const Analyzer& analyzer, report::Lang lang) const {
  auto report = analyzer.analyze_logs(uploads);
  if (!report)
    return refusal(400, "logs", "ログを読めません: " + report.error(),
                   "cannot read the logs: " + report.error());
  Json flagged = Json::array();
  std::vector<cases::LogAccount> accounts;
  std::string sources;
  for (const auto& file : report->files) sources += (sources.empty() ? "" : ", ") + file.path;
  const std::string at = server_time();
  for (const auto& account : report->accounts) {
    if (!account.flagged) continue;
    cases::LogAccount stored{sources, account.account, account.employee, account.messages, {}, at};
    for (auto reason : account.reasons) stored.reasons.emplace_back(logs::reason_id(reason));
    flagged.push_back({{"account", stored.account},
                       {"employee", stored.employee},
                       {"messages", stored.messages},
                       {"reasons", stored.reasons}});
    accounts.push_back(std::move(stored));
  }
  Json result{{"tool", "emotriage"}, {"version", EMOTRIAGE_VERSION}, {"command", "logs"}};
  result.update(logs::report_to_json(*report));
  result["flagged"] = std::move(flagged);
  result["text"] = logs::report_to_text(*report, lang == report::Lang::ja);
  if (name.empty()) return {200, std::move(result)};

  auto store = cases::open_sqlite_store(db_path_);
  if (!store) return ledger_failure(store.error());
  if (auto opened = (*store)->open_case(name, cases::base_items(), at); !opened)
    return ledger_failure(opened.error());
  report::Campaign from_logs(&analyzer.profile());
  from_logs.add_logs(*report);
  if (auto added = (*store)->add_log_accounts(name, accounts,
                                              cases::items_from_logs(from_logs.to_json()), at);
      !added)
    return ledger_failure(added.error());
  // The logs were checked now, also when a mail had asked for it before (the item exists).
  auto data = (*store)->load_case(name);
  if (!data) return ledger_failure(data.error());
  int checked = cases::find_item(data->items, "check-logs");
  if (checked >= 0 &&
      data->items[static_cast<std::size_t>(checked)].status == cases::Status::todo) {
    if (auto set = (*store)->set_item(name, "check-logs", cases::Status::done, "emotriage",
                                      std::nullopt, at);
        !set)
      return ledger_failure(set.error());
  }
  result["case"] = name;
  return {200, std::move(result)};
}

}  // namespace emotriage::web
