#include "cli/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>

#include "core/text.hpp"

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

namespace {

constexpr std::int64_t kRedrawMs = 200;
constexpr std::size_t kBarWidth = 20;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Decimal units with one digit after the point: "512 B", "4.5 MB", "1.2 GB".
std::string byte_size(std::uint64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes) / 1000;
  std::size_t unit = 0;
  // 999.96 kB shows as "1.0 MB", not "1000.0 kB".
  while (value >= 999.95 && unit + 1 < std::size(kUnits)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

// "1:23", "1:02:03".
std::string clock_time(std::uint64_t seconds) {
  char text[32];
  if (seconds >= 3600) {
    std::snprintf(text, sizeof text, "%llu:%02llu:%02llu",
                  static_cast<unsigned long long>(seconds / 3600),
                  static_cast<unsigned long long>(seconds / 60 % 60),
                  static_cast<unsigned long long>(seconds % 60));
  } else {
    std::snprintf(text, sizeof text, "%llu:%02llu", static_cast<unsigned long long>(seconds / 60),
                  static_cast<unsigned long long>(seconds % 60));
  }
  return text;
}

// How much of `total` is done, 0..1: bytes against bytes, items against items, and both together
// with each PST/OST file weighing its size.
double done_fraction(const ingest::Amount& done, const ingest::Amount& total) {
  const double items =
      total.items == 0
          ? 0
          : std::min(1.0, static_cast<double>(done.items) / static_cast<double>(total.items));
  const double bytes =
      total.bytes == 0
          ? 0
          : std::min(1.0, static_cast<double>(done.bytes) / static_cast<double>(total.bytes));
  if (total.items == 0) return bytes;
  if (total.bytes == 0) return items;
  const double item_weight = static_cast<double>(total.item_file_bytes);
  const double byte_weight = static_cast<double>(total.bytes);
  return (bytes * byte_weight + items * item_weight) / (byte_weight + item_weight);
}

}  // namespace

Progress::Progress(report::Lang lang, Noun noun)
    : Progress(lang, noun, stderr, isatty(STDERR_FILENO) == 1, steady_ms) {}

Progress::Progress(report::Lang lang, Noun noun, std::FILE* out, bool enabled, Clock clock)
    : lang_(lang),
      noun_(noun),
      out_(out),
      enabled_(enabled),
      clock_(std::move(clock)),
      start_ms_(enabled_ ? clock_() : 0) {}

Progress::~Progress() {
  clear();
}

void Progress::clear() {
  if (!shown_) return;
  shown_ = false;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

const char* Progress::noun() const {
  const bool ja = lang_ == report::Lang::ja;
  if (noun_ == Noun::lines) return ja ? "行" : "lines";
  return ja ? "通" : "messages";
}

bool Progress::due() {
  if (!enabled_) return false;
  const std::int64_t now = clock_();
  if (now - last_ms_ < kRedrawMs && drawn_) return false;
  drawn_ = true;
  last_ms_ = now;
  return true;
}

void Progress::draw(const std::string& line) {
  shown_ = true;
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

void Progress::update(std::uint64_t count, std::uint64_t bytes) {
  if (!due()) return;
  char text[96];
  std::snprintf(text, sizeof text, "\r%llu %s, %.1f MB", static_cast<unsigned long long>(count),
                noun(), static_cast<double>(bytes) / 1e6);
  draw(text);
}

void Progress::update(std::uint64_t count, const ingest::Amount& done,
                      const ingest::Amount& total) {
  if (total.bytes == 0 && total.items == 0) {
    update(count, done.bytes);
    return;
  }
  if (!due()) return;
  const bool ja = lang_ == report::Lang::ja;
  const double fraction = done_fraction(done, total);
  const auto filled = static_cast<std::size_t>(fraction * kBarWidth);
  const auto percent = static_cast<unsigned>(fraction * 100);
  char head[16];
  std::snprintf(head, sizeof head, "] %3u%%  ", percent);
  std::string line = "\r[" + std::string(filled, '#') + std::string(kBarWidth - filled, '-') +
                     head + core::grouped_digits(count) + " " + noun();
  if (total.bytes > 0) {
    line += "  " + byte_size(std::min(done.bytes, total.bytes)) + " / " + byte_size(total.bytes);
  }
  if (total.items > 0) {
    line += "  " + core::grouped_digits(std::min(done.items, total.items)) + " / " +
            core::grouped_digits(total.items) + (ja ? " 件" : " items");
  }
  // The time left once a second of work gives a rate to go by.
  const std::int64_t elapsed = last_ms_ - start_ms_;
  if (fraction > 0 && fraction < 1 && elapsed >= 1000) {
    const double left = static_cast<double>(elapsed) * (1 - fraction) / fraction / 1000;
    if (left < 100 * 3600) {
      line += (ja ? "  残り " : "  ETA ") + clock_time(static_cast<std::uint64_t>(left + 0.5));
    }
  }
  draw(line + "\033[K");
}

std::function<void(const app::BatchProgress&)> batch_progress(Progress& progress) {
  if (!progress.enabled()) return {};
  return [&progress](const app::BatchProgress& batch) {
    if (batch.total) {
      progress.update(batch.messages, batch.done, *batch.total);
    } else {
      progress.update(batch.messages, batch.bytes);
    }
  };
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
