#include "cli/profile_command.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/output.hpp"
#include "profile/profile.hpp"
#include "profile/user_import.hpp"

namespace emotriage::cli {

namespace {

using report::Lang;
using report::pick;

// A directory export of 100,000 users is ~20 MB; larger input is not a user list.
constexpr std::size_t kMaxCsvBytes = 64u << 20;

struct ProfileOptions {
  std::string lang;
  std::string init_output = "profile.toml";
  std::string import_output;  // empty: standard output
  std::string file;
  std::string profile;
};

void print_errors(const std::vector<profile::ProfileError>& errors, Lang lang) {
  for (const auto& error : errors) {
    std::string location = error.source;
    if (error.line > 0) {
      location += ":" + std::to_string(error.line) + ":" + std::to_string(error.column);
    }
    std::cerr << neutralize_controls(location + ": " +
                                     std::string(pick(lang, error.message_ja, error.message_en)))
              << "\n";
  }
}

int run_init(const ProfileOptions& options) {
  Lang lang = language_from(options.lang);
  std::string text = profile::example_profile_toml(lang == Lang::ja);
  const std::string& path = options.init_output;
  // "x": fail instead of replacing a profile someone already filled in.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wx"),
                                                       &std::fclose);
  if (!file) {
    std::cerr << "emotriage: " << neutralize_controls(path)
              << pick(lang, ": 既にあるか、書き込めません（上書きはしません）",
                      ": exists already or cannot be written (it is never overwritten)")
              << "\n";
    return 2;
  }
  if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size()) {
    std::cerr << "emotriage: " << neutralize_controls(path)
              << pick(lang, ": 書き込めません", ": write failed") << "\n";
    return 2;
  }
  std::cout
      << neutralize_controls(path)
      << pick(lang,
              " を書きました。自社の内容に書き換えて、emotriage profile check で確認してください。",
              " written. Fill in your company and check it with emotriage profile check.")
      << "\n";
  return 0;
}

void print_summary(const profile::Profile& loaded, Lang lang) {
  std::cout << pick(lang, "問題ありません: 社員 ", "OK: ") << loaded.employees.size()
            << pick(lang, " 人、取引先 ", " employee(s), ") << loaded.partners.size()
            << pick(lang, " 社", " partner(s)") << "\n";
}

int run_check(const ProfileOptions& options) {
  Lang lang = language_from(options.lang);
  auto loaded = profile::load_profile(options.file);
  if (!loaded) {
    print_errors(loaded.error(), lang);
    std::cout << loaded.error().size() << pick(lang, " 件の問題があります", " problems found")
              << "\n";
    return 2;
  }
  print_summary(*loaded, lang);
  return 0;
}

int run_import(const ProfileOptions& options) {
  Lang lang = language_from(options.lang);
  auto loaded = profile::load_profile(options.profile);
  if (!loaded) {
    print_errors(loaded.error(), lang);
    return 2;
  }
  std::ifstream file(options.file, std::ios::binary);
  std::string bytes;
  if (file) {
    std::ostringstream content;
    content << file.rdbuf();
    bytes = std::move(content).str();
  }
  if (!file || bytes.size() > kMaxCsvBytes) {
    std::cerr << "emotriage: " << neutralize_controls(options.file)
              << pick(lang, ": 読めないか、大きすぎます（64 MB まで）",
                      ": cannot be read or is too large (64 MB at most)")
              << "\n";
    return 2;
  }
  auto users = profile::read_directory_export(bytes, loaded->company);
  if (!users) {
    std::cerr << "emotriage: " << neutralize_controls(options.file) << ": "
              << pick(lang, users.error().message_ja, users.error().message_en) << "\n";
    return 2;
  }
  profile::MergeReport merged = profile::merge_users(*loaded, users->users);
  std::string toml = profile::profile_to_toml(*loaded);
  if (options.import_output.empty()) {
    std::cout << toml;
  } else {
    std::ofstream out(options.import_output, std::ios::binary | std::ios::trunc);
    if (!(out << toml)) {
      std::cerr << "emotriage: " << neutralize_controls(options.import_output)
                << pick(lang, ": 書き込めません", ": write failed") << "\n";
      return 2;
    }
  }
  // The report goes to stderr so that stdout stays a clean profile when no -o is given.
  std::cerr << neutralize_controls(options.file) << " (" << users->format << ", " << users->encoding
            << "): " << pick(lang, "追加 ", "added ") << merged.added
            << pick(lang, "、更新 ", ", updated ") << merged.updated
            << pick(lang, "、変更なし ", ", unchanged ") << merged.unchanged
            << pick(lang, "、読み飛ばし ", ", skipped ") << users->skipped.size() << "\n";
  for (const auto& row : users->skipped) {
    std::cerr << "  " << pick(lang, "行 ", "line ") << row.line << ": "
              << neutralize_controls(row.detail.empty() ? "" : row.detail + ": ")
              << pick(lang, row.reason_ja, row.reason_en) << "\n";
  }
  return 0;
}

}  // namespace

void add_profile_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ProfileOptions>();
  auto* command = app.add_subcommand("profile",
                                     "Company profile: write an example, check, import users / "
                                     "会社プロファイルの作成・確認・社員の取り込み");
  command->require_subcommand(1);
  auto add_lang = [&](CLI::App* sub) { add_lang_option(sub, options->lang); };

  auto* init = command->add_subcommand("init",
                                       "Write a commented example profile (never overwrites) / "
                                       "説明付きのプロファイル例を書き出す（上書きしない）");
  add_lang(init);
  init->add_option("-o,--output", options->init_output,
                   "file to write (default: profile.toml) / 書き出すファイル");
  init->callback([options, &exit_code] { exit_code = run_init(*options); });

  auto* check = command->add_subcommand("check",
                                        "Validate a profile; errors with line numbers / "
                                        "プロファイルを検査し、誤りを行番号付きで表示");
  add_lang(check);
  check->add_option("file", options->file, "profile (TOML) / プロファイル (TOML)")->required();
  check->callback([options, &exit_code] { exit_code = run_check(*options); });

  auto* import = command->add_subcommand(
      "import-users",
      "Merge employees from a directory export (CSV) / ディレクトリの CSV 出力から社員を取り込む");
  add_lang(import);
  import
      ->add_option("file", options->file,
                   "CSV from Microsoft 365, Google Workspace, Active Directory or Excel / "
                   "Microsoft 365・Google Workspace・Active Directory・Excel の CSV")
      ->required();
  import
      ->add_option("--profile", options->profile,
                   "profile to merge into / 取り込み先のプロファイル")
      ->required();
  import->add_option("-o,--output", options->import_output,
                     "write the merged profile here (default: standard output) / 結果の書き出し先 "
                     "(既定は標準出力)");
  import->callback([options, &exit_code] { exit_code = run_import(*options);
});
}  // namespace emotriage::cli

}  // namespace emotriage::cli
