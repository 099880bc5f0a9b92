#include "cli/notice_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/output.hpp"
#include "notice/date.hpp"
#include "notice/notices.hpp"

namespace emotriage::cli {

namespace {

// The clock of the drafts: --date, else $SOURCE_DATE_EPOCH (reproducible builds' convention),
// else now, in local time with its UTC offset.
std::string notice_date(const std::string& option) {
  if (!option.empty()) return option;
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  return notice::local_rfc3339(now);
}

struct NoticeCommand {
  std::string analysis_file;
  std::string profile;
  NoticeCliOptions notices;
};

int run_notice(const NoticeCommand& command) {
  const report::Lang lang = language_from("");
  std::ifstream in(command.analysis_file, std::ios::binary);
  auto analysis = nlohmann::ordered_json::parse(in, nullptr, false);
  if (!in.is_open() || analysis.is_discarded() || !analysis.is_object() ||
      !analysis.contains("messages")) {
    std::cerr << "emotriage: " << neutralize_controls(command.analysis_file) << ": "
              << report::pick(lang, "analyze --format json の出力ではありません",
                              "not the output of analyze --format json")
              << "\n";
    return 2;
  }
  auto loaded = profile::load_profile(command.profile);
  if (!loaded) {
    for (const auto& error : loaded.error()) {
      std::cerr << "emotriage: " << neutralize_controls(error.source) << ":" << error.line << ": "
                << (lang == report::Lang::ja ? error.message_ja : error.message_en) << "\n";
    }
    return 2;
  }
  return write_notices(analysis, *loaded, command.notices, lang);
}

}  // namespace

void add_notice_options(CLI::App* command, NoticeCliOptions& options) {
  command->add_option("--templates", options.templates,
                      "your own templates, <DIR>/<ja|en>/<name>.mustache, per file "
                      "(docs/notices.md) / 独自のテンプレート");
  command->add_option("--date", options.date,
                      "date of the drafts, RFC 3339 (default: $SOURCE_DATE_EPOCH, else now) / "
                      "下書きの日時");
  command->add_option("--staff-to", options.staff_to,
                      "recipient of the staff alert (default: the profile's contact) / "
                      "社内向け注意喚起の宛先");
}

int write_notices(const nlohmann::ordered_json& analysis, const profile::Profile& profile,
                  const NoticeCliOptions& options, report::Lang lang) {
  notice::NoticeOptions render;
  if (options.lang == "ja") {
    render.langs = {report::Lang::ja};
  } else if (options.lang == "en") {
    render.langs = {report::Lang::en};
  } else {
    render.langs = {report::Lang::ja, report::Lang::en};
  }
  render.user_templates = options.templates;
  if (const char* builtin = std::getenv("EMOTRIAGE_TEMPLATES"); builtin != nullptr && *builtin) {
    render.builtin_templates = builtin;
  }
  render.date = notice_date(options.date);
  render.staff_to = options.staff_to;
  auto files = notice::render_notices(analysis, profile, render);
  if (!files) {
    std::cerr << "emotriage: " << neutralize_controls(files.error().source) << ": "
              << neutralize_controls(lang == report::Lang::ja ? files.error().message_ja
                                                              : files.error().message_en)
              << "\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  for (const auto& file : *files) {
    std::filesystem::path path = std::filesystem::path(options.out_dir) / file.name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << file.bytes;
    if (!out.flush()) {
      std::cerr << "emotriage: " << neutralize_controls(path.string()) << ": "
                << report::pick(lang, "書き込めません", "cannot write") << "\n";
      return 2;
    }
  }
  std::cerr << "emotriage: "
            << (files->empty()
                    ? std::string(
                          report::pick(lang, "不審なメールがないため、お知らせは作成しませんでした",
                                       "no suspicious mail: no notice written"))
                    : std::to_string(files->size()) +
                          std::string(report::pick(
                              lang, " 件のお知らせを書きました: ", " notice files written to ")) +
                          neutralize_controls(options.out_dir))
            << "\n";
  bool website = std::any_of(files->begin(), files->end(), [](const notice::NoticeFile& file) {
    return file.name.starts_with("website-notice.");
  });
  if (!files->empty() && !website) {
    std::cerr << "emotriage: "
              << report::pick(lang,
                              "当社になりすましたメールがないため (外部からの不審メールのみ)、"
                              "Web サイト掲載文は作成していません",
                              "no mail used our identity (outside malspam only): no website "
                              "notice written")
              << "\n";
  }
  return 0;
}

void add_notice_command(CLI::App& app, int& exit_code) {
  auto command = std::make_shared<NoticeCommand>();
  auto* sub = app.add_subcommand("notice",
                                 "Notices, letters and alerts from a saved analysis / "
                                 "保存した解析結果からお知らせ・連絡文を作成");
  sub->add_option("analysis", command->analysis_file,
                  "output of analyze --format json / analyze --format json の出力")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--profile", command->profile, "company profile (TOML) / 会社プロファイル")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--out", command->notices.out_dir, "folder for the notices / 出力先フォルダー")
      ->required();
  sub->add_option("--lang", command->notices.lang,
                  "language of the notices: ja, en or both (default both) / お知らせの言語")
      ->check(CLI::IsMember({"ja", "en", "both"}));
  add_notice_options(sub, command->notices);
  sub->callback([command, &exit_code] { exit_code = run_notice(*command); });
}

}  // namespace emotriage::cli
