#include "cli/logs_command.hpp"

#include <charconv>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/output.hpp"
#include "logs/logs.hpp"
#include "profile/matcher.hpp"
#include "report/json_text.hpp"

namespace emotriage::cli {

namespace {

struct LogsCommandOptions {
  std::vector<std::string> files;
  std::string profile;
  std::string format = "text";
  std::string lang;
  std::string utc_offset;
  std::vector<std::string> thresholds;
};

// "+09:00", "-0530", "0" -> minutes east of UTC.
std::optional<int> parse_offset(std::string_view text) {
  int sign = 1;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  std::string digits;
  for (char c : text) {
    if (c != ':') digits.push_back(c);
  }
  int value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc{} || end != digits.data() + digits.size() || digits.empty()) {
    return std::nullopt;
  }
  const int minutes = digits.size() <= 2 ? value * 60 : value / 100 * 60 + value % 100;
  if (minutes > 14 * 60) return std::nullopt;
  return sign * minutes;
}

// --threshold NAME=VALUE; false (after printing why) when the name or value is bad.
bool apply_threshold(std::string_view assignment, logs::Thresholds& t, report::Lang lang) {
  const std::size_t equals = assignment.find('=');
  const std::string_view name = assignment.substr(0, equals);
  const std::string_view text =
      equals == std::string_view::npos ? std::string_view{} : assignment.substr(equals + 1);
  std::pair<std::string_view, std::uint32_t*> counts[] = {
      {"burst_messages_per_10min", &t.burst_messages_per_10min},
      {"burst_recipients_per_10min", &t.burst_recipients_per_10min},
      {"daily_messages", &t.daily_messages},
      {"daily_recipients", &t.daily_recipients},
      {"client_ips_per_hour", &t.client_ips_per_hour},
      {"new_client_ips", &t.new_client_ips},
      {"baseline_hours", &t.baseline_hours},
      {"night_messages", &t.night_messages},
      {"forged_same_domain_senders", &t.forged_same_domain_senders},
      {"dnsbl_rejections", &t.dnsbl_rejections},
      {"suspicious_message_ids", &t.suspicious_message_ids},
      {"failed_logins", &t.failed_logins}};
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool number = error == std::errc{} && end == text.data() + text.size() && !text.empty();
  for (auto& [key, field] : counts) {
    if (key == name && number) {
      *field = value;
      return true;
    }
  }
  if (number && (name == "night_start_hour" || name == "night_end_hour") && value < 24) {
    (name == "night_start_hour" ? t.night_start_hour : t.night_end_hour) = static_cast<int>(value);
    return true;
  }
  if (name == "burst_factor" && number && value > 0) {
    t.burst_factor = value;
    return true;
  }
  std::cerr << "emotriage: "
            << report::pick(lang, "しきい値の指定が正しくありません (docs/logs.md 参照): ",
                            "bad --threshold (see docs/logs.md): ")
            << neutralize_controls(assignment) << "\n";
  return false;
}

int run_logs(const LogsCommandOptions& options) {
  const report::Lang lang = language_from(options.lang);
  logs::LogOptions log_options;
  for (const auto& assignment : options.thresholds) {
    if (!apply_threshold(assignment, log_options.thresholds, lang)) return 2;
  }
  if (!options.utc_offset.empty()) {
    log_options.utc_offset_minutes = parse_offset(options.utc_offset);
    if (!log_options.utc_offset_minutes) {
      std::cerr << "emotriage: "
                << report::pick(lang, "--utc-offset は +09:00 のように指定してください: ",
                                "--utc-offset takes a value like +09:00: ")
                << neutralize_controls(options.utc_offset) << "\n";
      return 2;
    }
  }
  std::optional<profile::Matcher> matcher;
  if (!options.profile.empty()) {
    auto loaded = profile::load_profile(options.profile);
    if (!loaded) {
      for (const auto& error : loaded.error()) {
        std::cerr << "emotriage: " << neutralize_controls(error.source) << ":" << error.line << ":"
                  << error.column << ": "
                  << neutralize_controls(lang == report::Lang::ja ? error.message_ja
                                                                  : error.message_en)
                  << "\n";
      }
      return 2;
    }
    matcher.emplace(std::move(*loaded));
    log_options.matcher = &*matcher;
  }
  Progress progress(lang, Progress::Noun::lines);
  if (progress.enabled()) {
    log_options.progress = [&](const logs::LogProgress& read) {
      if (read.total_bytes) {
        progress.update(read.lines, {.bytes = read.bytes_read}, {.bytes = *read.total_bytes});
      } else {
        progress.update(read.lines, read.bytes_read);
      }
    };
  }
  auto report = logs::analyze_logs(options.files, log_options);
  if (!report) {
    std::cerr << "emotriage: " << report::pick(lang, "読めない入力: ", "cannot read: ")
              << neutralize_controls(report.error().detail) << "\n";
    return 2;
  }
  if (options.format == "json") {
    nlohmann::ordered_json out = {
        {"tool", "emotriage"}, {"version", EMOTRIAGE_VERSION}, {"command", "logs"}};
    out.update(logs::report_to_json(*report));
    std::cout << out.dump(2, ' ', false, report::kJsonErrors) << "\n";
  } else {
    std::cout << neutralize_controls(logs::report_to_text(*report, lang == report::Lang::ja));
  }
  std::cout.flush();
  return report->flagged_count() > 0 ? 1 : 0;
}

}  // namespace

void add_logs_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<LogsCommandOptions>();
  auto* command = app.add_subcommand("logs",
                                     "Find accounts that mass-send, from mail-server logs / "
                                     "メールサーバーのログから大量送信している"
                                     "アカウントを探す");
  command
      ->add_option("files", options->files,
                   "Postfix/Exim/Sendmail/Dovecot logs, Exchange or Microsoft 365 CSV, .gz, - for "
                   "stdin / ログファイル (gzip 可、- は標準入力)")
      ->required();
  command
      ->add_option("--profile", options->profile,
                   "company profile (TOML): names the employee of each account / 会社プロファイル")
      ->check(CLI::ExistingFile);
  add_format_option(command, options->format);
  add_lang_option(command, options->lang);
  command->add_option("--utc-offset", options->utc_offset,
                      "show zoned times at this offset, e.g. +09:00 (night-time is judged on it) / "
                      "時刻をこの時差で表示 (夜間の判定にも使用)");
  command->add_option("--threshold", options->thresholds,
                      "NAME=VALUE, see docs/logs.md / 判定しきい値の変更 (docs/logs.md 参照)");
  command->callback([options, &exit_code] { exit_code = run_logs(*options); });
}

}  // namespace emotriage::cli
