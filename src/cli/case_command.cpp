#include "cli/case_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cases/checklist.hpp"
#include "cases/render.hpp"
#include "cli/output.hpp"
#include "report/json_text.hpp"

namespace emotriage::cli {

namespace {

using report::Lang;
using report::pick;

void print_error(Lang lang, std::string_view ja, std::string_view en, std::string_view detail) {
  std::cerr << "emotriage: " << pick(lang, ja, en);
  if (!detail.empty()) std::cerr << ": " << neutralize_controls(detail);
  std::cerr << "\n";
}

// "2026-01-05T09:12:00Z", "2026-01-05T09:12+09:00": what `when` may be, so that the timeline sorts.
bool valid_time(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t count) {
    if (text.size() < from + count) return false;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  if (!(digits(0, 4) && text[4] == '-' && digits(5, 2) && text[7] == '-' && digits(8, 2) &&
        text.size() > 10 && text[10] == 'T' && digits(11, 2) && text[13] == ':' && digits(14, 2)))
    return false;
  std::size_t zone = 16;
  if (text.size() > 16 && text[16] == ':') {
    if (!digits(17, 2)) return false;
    zone = 19;
  }
  std::string_view rest = text.substr(zone);
  return rest == "Z" || (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') &&
                         digits(zone + 1, 2) && rest[3] == ':' && digits(zone + 4, 2));
}

// The time recorded for a change: --at, else EMOTRIAGE_NOW (tests), else the clock (UTC).
std::optional<std::string> now(const std::string& at, Lang lang) {
  std::string value = at;
  if (value.empty()) {
    const char* injected = std::getenv("EMOTRIAGE_NOW");
    if (injected != nullptr && *injected != '\0') value = injected;
  }
  if (value.empty()) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    value = buffer;
  }
  if (!valid_time(value)) {
    print_error(lang, "日時は 2026-01-05T09:12:00+09:00 の形で指定してください",
                "a time must look like 2026-01-05T09:12:00+09:00", value);
    return std::nullopt;
  }
  return value;
}

// Creates the missing directories of `path` with mode 0700 (a ledger holds evidence).
bool make_private_directories(const std::filesystem::path& path) {
  std::filesystem::path partial;
  for (const auto& component : path) {
    partial /= component;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) return false;
  }
  return true;
}

std::unique_ptr<cases::Store> open_store(const std::string& db, Lang lang) {
  auto path = ledger_path(db, lang);
  if (!path) return nullptr;
  auto store = cases::open_sqlite_store(*path);
  if (!store) {
    print_error(lang, "案件台帳を開けません", "cannot open the case ledger", store.error().detail);
    return nullptr;
  }
  return std::move(*store);
}

struct OpenCase {
  std::unique_ptr<cases::Store> store;
  cases::CaseData data;
};

// The ledger and the named case in it; prints why not and returns nullopt when it cannot.
std::optional<OpenCase> open_case(const std::string& db, const std::string& name, Lang lang) {
  auto store = open_store(db, lang);
  if (!store) return std::nullopt;
  auto data = store->load_case(name);
  if (data) return OpenCase{std::move(store), std::move(*data)};
  if (data.error().code == core::ErrorCode::not_found)
    print_error(lang, "その案件はありません", "no such case", name);
  else
    print_error(lang, "案件を読めません", "cannot read the case", data.error().detail);
  return std::nullopt;
}

// A file the user asked for: written whole, never through a symlink. `exclusive`: never over an
// existing file (exported originals are evidence).
bool write_file(const std::string& path, std::string_view bytes, bool exclusive, Lang lang) {
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0600);
  bool ok = fd >= 0;
  while (ok && !bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    ok = written > 0;
    if (ok) bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  if (!ok) print_error(lang, "書き込めません", "cannot write", path + ": " + std::strerror(errno));
  return ok;
}

// --originals DIR: each stored mail as <sha256>.eml (.msg for Outlook files), and SHA256SUMS
// (`sha256sum -c` reads it).
bool export_originals(cases::Store& store, const cases::CaseData& data, const std::string& dir,
                      Lang lang) {
  if (!make_private_directories(dir)) {
    print_error(lang, "フォルダーを作れません", "cannot create the folder",
                dir + ": " + std::strerror(errno));
    return false;
  }
  std::string manifest;
  bool ok = true;
  for (const auto& message : data.messages) {
    if (!message.part.empty()) continue;  // an attached mail lives inside its carrier's bytes
    auto bytes = store.original(message.sha256);
    if (!bytes) {
      print_error(lang, "保存したメールを読めません", "cannot read a stored mail",
                  bytes.error().detail);
      ok = false;
      continue;
    }
    // An Outlook .msg (an OLE2 compound file) keeps its own format and extension.
    const bool outlook = bytes->starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    const std::string name = message.sha256 + (outlook ? ".msg" : ".eml");
    if (!write_file((std::filesystem::path(dir) / name).string(), *bytes, true, lang)) {
      ok = false;
      continue;
    }
    manifest += message.sha256 + "  " + name + "\n";
  }
  return write_file((std::filesystem::path(dir) / "SHA256SUMS").string(), manifest, true, lang) &&
         ok;
}

struct CaseOptions {
  std::string db, lang, name, format = "text", item, status, who, note, at, text, out, originals;
};

void add_common(CLI::App* command, CaseOptions& options) {
  command->add_option("--db", options.db, "case ledger (SQLite) / 案件台帳");
  add_lang_option(command, options.lang);
}

int run_list(const CaseOptions& options) {
  const Lang lang = language_from(options.lang);
  auto store = open_store(options.db, lang);
  if (!store) return 2;
  auto cases = store->list_cases();
  if (!cases) {
    print_error(lang, "案件を読めません", "cannot read the cases", cases.error().detail);
    return 2;
  }
  if (options.format == "json")
    std::cout << cases::list_json(*cases).dump(1, ' ', false, report::kJsonErrors) << "\n";
  else
    std::cout << cases::list_text(*cases, lang);
  return 0;
}

int run_show(const CaseOptions& options) {
  const Lang lang = language_from(options.lang);
  auto opened = open_case(options.db, options.name, lang);
  if (!opened) return 2;
  const cases::CaseData& data = opened->data;
  if (options.format == "json")
    std::cout << cases::case_json(data, lang, false).dump(1, ' ', false, report::kJsonErrors)
              << "\n";
  else
    std::cout << cases::case_text(data, lang);
  return 0;
}

int run_step(const CaseOptions& options) {
  const Lang lang = language_from(options.lang);
  auto at = now(options.at, lang);
  auto status = cases::status_from(options.status);
  if (!at || !status) return 2;
  auto opened = open_case(options.db, options.name, lang);
  if (!opened) return 2;
  const cases::CaseData& data = opened->data;
  int index = cases::find_item(data.items, options.item);
  if (index < 0) {
    print_error(lang, "その項目はありません (case show で番号かキーを確認してください)",
                "no such item (see `case show` for numbers and keys)", options.item);
    return 2;
  }
  const cases::Item& item = data.items[static_cast<std::size_t>(index)];
  // Without --note the item keeps its note.
  auto set = opened->store->set_item(
      options.name, item.key, *status, options.who,
      options.note.empty() ? std::nullopt : std::optional(options.note), *at);
  if (!set) {
    print_error(lang, "項目を更新できません", "cannot update the item", set.error().detail);
    return 2;
  }
  if (options.format == "json") {
    const nlohmann::ordered_json updated{{"case", options.name},
                                         {"number", index + 1},
                                         {"key", item.key},
                                         {"label", cases::item_label(item, lang)},
                                         {"status", options.status},
                                         {"who", options.who},
                                         {"at", *at},
                                         {"note", options.note}};
    std::cout << updated.dump(-1, ' ', false, report::kJsonErrors) << "\n";
    return 0;
  }
  std::cout << index + 1 << ". "
            << neutralize_controls(report::one_line(cases::item_label(item, lang))) << " → "
            << cases::status_label(*status, lang) << " (" << report::one_line(options.who) << " "
            << *at << ")\n";
  return 0;
}

int run_note(const CaseOptions& options) {
  const Lang lang = language_from(options.lang);
  auto at = now(options.at, lang);
  if (!at) return 2;
  auto store = open_store(options.db, lang);
  if (!store) return 2;
  auto added = store->add_note(options.name, options.who, options.text, *at);
  if (!added) {
    if (added.error().code == core::ErrorCode::not_found)
      print_error(lang, "その案件はありません", "no such case", options.name);
    else
      print_error(lang, "メモを保存できません", "cannot store the note", added.error().detail);
    return 2;
  }
  if (options.format == "json") {
    const nlohmann::ordered_json recorded{
        {"case", options.name}, {"who", options.who}, {"at", *at}, {"note", options.text}};
    std::cout << recorded.dump(-1, ' ', false, report::kJsonErrors) << "\n";
    return 0;
  }
  std::cout << pick(lang, "メモを記録しました (", "Note recorded (") << *at << ")\n";
  return 0;
}

int run_export(const CaseOptions& options) {
  const Lang lang = language_from(options.lang);
  auto opened = open_case(options.db, options.name, lang);
  if (!opened) return 2;
  const cases::CaseData& data = opened->data;
  std::string document;
  if (options.format == "md")
    document = cases::report_markdown(data, lang);
  else if (options.format == "html")
    document = cases::report_html(data, lang);
  else
    document = cases::case_json(data, lang, true).dump(1, ' ', false, report::kJsonErrors) + "\n";
  bool ok = true;
  if (options.out.empty())
    std::cout << document;
  else
    ok = write_file(options.out, document, false, lang);
  if (!options.originals.empty())
    ok = export_originals(*opened->store, data, options.originals, lang) && ok;
  return ok ? 0 : 2;
}

}  // namespace

std::optional<std::string> ledger_path(const std::string& option, Lang lang) {
  std::filesystem::path path;
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
  };
  if (!option.empty()) {
    path = option;
  } else if (!env("EMOTRIAGE_DB").empty()) {
    path = env("EMOTRIAGE_DB");
  } else if (env("XDG_DATA_HOME").starts_with("/")) {
    path = std::filesystem::path(env("XDG_DATA_HOME")) / "emotriage" / "cases.db";
  } else if (!env("HOME").empty()) {
    path = std::filesystem::path(env("HOME")) / ".local" / "share" / "emotriage" / "cases.db";
  } else {
    print_error(lang, "案件台帳の場所がわかりません (--db を指定してください)",
                "no place for the case ledger (give --db)", "");
    return std::nullopt;
  }
  if (path.has_parent_path() && !make_private_directories(path.parent_path())) {
    print_error(lang, "フォルダーを作れません", "cannot create the folder",
                path.parent_path().string() + ": " + std::strerror(errno));
    return std::nullopt;
  }
  return path.string();
}

std::optional<CaseImport> CaseImport::open(const std::string& name, const std::string& db,
                                           const profile::Profile* profile, Lang lang) {
  auto at = now("", lang);
  if (!at) return std::nullopt;
  auto store = open_store(db, lang);
  if (!store) return std::nullopt;
  auto opened = store->open_case(name, cases::base_items(), *at);
  if (!opened) {
    print_error(lang, "案件を作れません", "cannot create the case", opened.error().detail);
    return std::nullopt;
  }
  return CaseImport(std::move(store), name, profile, lang);
}

void CaseImport::add(const verdict::Analysis& analysis) {
  // The time of each mail's arrival in the case, read per mail: an import may take hours.
  auto at = now("", lang_);
  if (!at) {
    ++failed_;
    return;
  }
  auto added = store_->add_mail(name_, cases::mail_from_analysis(analysis, profile_), *at);
  if (!added) {
    ++failed_;
    print_error(lang_, "案件に保存できません", "cannot store into the case",
                analysis.message.locator + ": " + added.error().detail);
    return;
  }
  ++(*added == cases::Added::stored ? stored_ : seen_again_);
}

bool CaseImport::finish() const {
  std::cerr << "emotriage: " << pick(lang_, "案件 ", "case ") << neutralize_controls(name_) << ": "
            << stored_ << pick(lang_, " 通を保存, ", " mails stored, ") << seen_again_
            << pick(lang_, " 通は保存済み", " already there");
  if (failed_ > 0) std::cerr << ", " << failed_ << pick(lang_, " 通は保存できず", " not stored");
  std::cerr << "\n";
  return failed_ == 0;
}

void add_case_options(CLI::App* command, std::string& name, std::string& db) {
  command->add_option("--case", name,
                      "store every mail and its analysis into this case / この案件に保存する");
  command->add_option("--db", db,
                      "case ledger (default: EMOTRIAGE_DB, else the XDG data folder) / 案件台帳");
}

void add_case_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CaseOptions>();
  auto* command = app.add_subcommand(
      "case", "The incident as a checklist that lasts: cases, steps, report / 案件台帳");
  command->require_subcommand(1);

  auto* list = command->add_subcommand("list", "list the cases / 案件の一覧");
  add_common(list, *options);
  add_format_option(list, options->format);
  list->callback([options, &exit_code] { exit_code = run_list(*options); });

  auto* show = command->add_subcommand("show", "a case's checklist / 案件のチェックリスト");
  show->add_option("name", options->name, "case / 案件")->required();
  add_common(show, *options);
  add_format_option(show, options->format);
  show->callback([options, &exit_code] { exit_code = run_show(*options); });

  auto* step = command->add_subcommand("step", "record progress on an item / 項目の進捗を記録");
  step->add_option("name", options->name, "case / 案件")->required();
  step->add_option("item", options->item, "item number or key / 項目の番号かキー")->required();
  step->add_option("--status", options->status, "todo|done|skipped|not-needed / 状態")
      ->required()
      ->check(CLI::IsMember({"todo", "done", "skipped", "not-needed"}));
  step->add_option("--who", options->who, "who did it / 担当者")->required();
  step->add_option("--note", options->note, "note / メモ");
  step->add_option("--at", options->at, "when (default: now) / 日時");
  add_common(step, *options);
  add_format_option(step, options->format);
  step->callback([options, &exit_code] { exit_code = run_step(*options); });

  auto* note = command->add_subcommand("note", "add a note to the timeline / 経緯にメモを追加");
  note->add_option("name", options->name, "case / 案件")->required();
  note->add_option("text", options->text, "the note / メモ")->required();
  note->add_option("--who", options->who, "who writes it / 記入者");
  note->add_option("--at", options->at, "when (default: now) / 日時");
  add_common(note, *options);
  add_format_option(note, options->format);
  note->callback([options, &exit_code] { exit_code = run_note(*options); });

  auto* exported = command->add_subcommand(
      "export", "the case as JSON, or an incident report (Markdown, HTML) / 報告書の出力");
  exported->add_option("name", options->name, "case / 案件")->required();
  exported->add_option("--format", options->format, "json|md|html")
      ->required()
      ->check(CLI::IsMember({"json", "md", "html"}));
  exported->add_option("--out", options->out, "write to this file / 出力先ファイル");
  exported->add_option("--originals", options->originals,
                       "also write the stored mails as <sha256>.eml with SHA256SUMS / "
                       "保存したメールの原本も書き出す");
  add_common(exported, *options);
  exported->callback([options, &exit_code] { exit_code = run_export(*options); });
}

}  // namespace emotriage::cli
