#include "cli/output.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace emotriage::cli {

std::optional<inspect::Extractor> open_extractor(const std::string& directory, report::Lang lang) {
  auto opened = inspect::Extractor::open(directory);
  if (!opened) {
    std::cerr << "emotriage: --extract: "
              << report::pick(lang, "保存先を開けません: ", "cannot open the folder: ")
              << neutralize_controls(opened.error()) << "\n";
    return std::nullopt;
  }
  return std::move(*opened);
}

bool report_extract_errors(const inspect::Extractor& extractor, report::Lang lang) {
  auto errors = extractor.errors();
  for (const auto& error : errors) {
    std::cerr << "emotriage: --extract: "
              << report::pick(lang, "書き込めませんでした: ", "could not write: ")
              << neutralize_controls(error) << "\n";
  }
  return errors.empty();
}

void add_mail_inputs(CLI::App* command, std::vector<std::string>& inputs) {
  command
      ->add_option("inputs", inputs,
                   ".eml, .msg, winmail.dat, mbox, PST/OST, Maildir, folder, or - for stdin "
                   "(read by content) / .eml・.msg・winmail.dat・mbox・PST/OST・Maildir・"
                   "フォルダー、- は標準入力 (中身で判別)")
      ->required();
}

void add_format_option(CLI::App* command, std::string& format,
                       const std::vector<std::string>& choices) {
  std::string names;
  for (const auto& choice : choices) names += (names.empty() ? "" : ", ") + choice;
  command->add_option("--format", format, names + " / 出力形式")->check(CLI::IsMember(choices));
}

void add_lang_option(CLI::App* command, std::string& lang) {
  command
      ->add_option("--lang", lang,
                   "ja or en (default: from the locale) / 表示言語 (既定はロケール)")
      ->check(CLI::IsMember({"ja", "en"}));
}

void add_extract_option(CLI::App* command, std::string& directory) {
  command->add_option("--extract", directory,
                      "write attachments to DIR as <sha256>.quarantine with a manifest (only on "
                      "request) / 添付ファイルを DIR に隔離保存 (指定時のみ)");
}

void add_batch_options(CLI::App* command, std::vector<std::string>& limits, unsigned& jobs) {
  command->add_option("--limit", limits,
                      "override a limit, NAME=VALUE (see docs/limits.md) / 上限の変更");
  command->add_option("-j,--jobs", jobs,
                      "worker threads (default: all cores) / 並列数 (既定は全コア)");
}

bool apply_limits(const std::vector<std::string>& assignments, core::Limits& limits) {
  for (const auto& assignment : assignments) {
    if (auto problem = limits.set(assignment)) {
      std::cerr << "emotriage: --limit " << neutralize_controls(assignment) << ": " << *problem
                << "\n";
      return false;
    }
  }
  return true;
}

report::Lang language_from(std::string_view option) {
  if (option == "ja") return report::Lang::ja;
  if (option == "en") return report::Lang::en;
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      return std::string_view(value).starts_with("ja") ? report::Lang::ja : report::Lang::en;
    }
  }
  return report::Lang::en;
}

Progress::Progress(report::Lang lang) : enabled_(isatty(STDERR_FILENO) == 1), lang_(lang) {}

Progress::~Progress() {
  if (shown_) std::fputs("\r\033[K", stderr);
}

void Progress::update(std::uint64_t messages, std::uint64_t bytes) {
  if (!enabled_) return;
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now().time_since_epoch())
                 .count();
  if (now - last_ms_ < 200) return;
  last_ms_ = now;
  shown_ = true;
  const char* format =
      lang_ == report::Lang::ja ? "\r%llu 通, %.1f MB" : "\r%llu messages, %.1f MB";
  std::fprintf(stderr, format, static_cast<unsigned long long>(messages),
               static_cast<double>(bytes) / 1e6);
  std::fflush(stderr);
}

bool load_company_profile(const std::string& path, report::Lang lang, profile::Profile& company) {
  if (path.empty()) {
    std::cerr << "emotriage: "
              << report::pick(lang,
                              "--profile "
                              "がないため、差出人が当社のアカウントかどうか・社員の名前が使われてい"
                              "るかは判定できません。",
                              "no --profile: whether a sender is ours, or our employees' names are "
                              "used, cannot be judged.")
              << "\n";
    return true;
  }
  auto loaded = profile::load_profile(path);
  if (!loaded) {
    print_profile_errors(loaded.error(), lang);
    return false;
  }
  company = std::move(*loaded);
  return true;
}

void print_profile_errors(const std::vector<profile::ProfileError>& errors, report::Lang lang) {
  for (const auto& error : errors) {
    std::cerr << "emotriage: " << neutralize_controls(error.source) << ":" << error.line << ":"
              << error.column << ": "
              << neutralize_controls(lang == report::Lang::ja ? error.message_ja : error.message_en)
              << "\n";
  }
}

void print_load_error(const intel::LoadError& error, report::Lang lang) {
  std::cerr << "emotriage: " << neutralize_controls(error.source) << ": "
            << (lang == report::Lang::ja ? error.message_ja : error.message_en) << "\n";
}

bool load_yara_rules(const std::vector<std::string>& own_dirs, bool builtin, report::Lang lang,
                     std::optional<intel::YaraRules>& rules) {
  std::vector<std::string> rule_dirs = own_dirs;
  if (builtin && std::filesystem::is_directory(intel::builtin_rules_dir())) {
    rule_dirs.insert(rule_dirs.begin(), intel::builtin_rules_dir());
  }
  if (rule_dirs.empty()) return true;
  auto loaded = intel::YaraRules::load(rule_dirs);
  if (!loaded) {
    print_load_error(loaded.error(), lang);
    return false;
  }
  rules = std::move(*loaded);
  return true;
}

std::optional<report::AbuseContacts> load_abuse_contacts(report::Lang lang) {
  auto loaded = report::AbuseContacts::load(report::builtin_data_dir() + "/abuse-contacts.toml");
  if (loaded) return std::move(*loaded);
  std::cerr << "emotriage: " << neutralize_controls(loaded.error().source) << ": "
            << (lang == report::Lang::ja ? loaded.error().message_ja : loaded.error().message_en)
            << "\n";
  return std::nullopt;
}

}  // namespace emotriage::cli
