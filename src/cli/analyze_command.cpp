#include "cli/analyze_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "app/pipeline.hpp"
#include "cli/case_command.hpp"
#include "cli/notice_command.hpp"
#include "cli/output.hpp"
#include "logs/logs.hpp"
#include "profile/matcher.hpp"
#include "report/analysis_report.hpp"
#include "report/campaign.hpp"
#include "report/document.hpp"
#include "report/json_text.hpp"

namespace emotriage::cli {

namespace {

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  std::string profile;
  std::string format = "text";
  std::string lang;
  std::vector<std::string> limits;
  std::vector<std::string> yara_dirs;
  std::vector<std::string> ioc_files;
  std::string extract_dir;
  std::vector<std::string> log_files;
  std::string case_name, db;
  bool no_builtin_rules = false;
  bool all = false;
  unsigned jobs = 0;
  NoticeCliOptions notices;
};

int run_analyze(const AnalyzeOptions& options) {
  const report::Lang lang = language_from(options.lang);
  app::BatchOptions batch;
  batch.jobs = options.jobs;
  if (!apply_limits(options.limits, batch.limits)) return 2;

  profile::Profile company;
  if (!load_company_profile(options.profile, lang, company)) return 2;
  profile::Matcher matcher(std::move(company));

  std::optional<intel::YaraRules> yara;
  if (!load_yara_rules(options.yara_dirs, !options.no_builtin_rules, lang, yara)) return 2;
  std::optional<intel::IocSet> ioc;
  if (!options.ioc_files.empty()) {
    auto loaded = intel::IocSet::load(options.ioc_files);
    if (!loaded) {
      print_load_error(loaded.error(), lang);
      return 2;
    }
    ioc = std::move(*loaded);
  }

  std::optional<inspect::Extractor> extractor;
  if (!options.extract_dir.empty() && !(extractor = open_extractor(options.extract_dir, lang))) {
    return 2;
  }

  app::AnalysisContext context;
  context.matcher = &matcher;
  context.extractor = extractor ? &*extractor : nullptr;
  context.yara = yara ? &*yara : nullptr;
  context.ioc = ioc ? &*ioc : nullptr;
  batch.analysis = &context;

  std::optional<CaseImport> ledger;
  if (!options.case_name.empty() &&
      !(ledger = CaseImport::open(options.case_name, options.db, &matcher.profile(), lang)))
    return 2;
  batch.keep_raw = ledger.has_value();

  const bool json = options.format == "json";
  std::optional<report::DocumentWriter> document;
  if (options.format == "md" || options.format == "html") {
    document.emplace(
        options.format == "md" ? report::DocumentFormat::markdown : report::DocumentFormat::html,
        lang);
  }
  report::TextOptions text;
  text.lang = lang;
  text.color =
      !json && !document && isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  Progress progress(lang);
  std::optional<report::AbuseContacts> contacts = load_abuse_contacts(lang);
  report::Campaign campaign(&matcher.profile(), contacts ? &*contacts : nullptr);
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  bool first = true;
  if (document) std::cout << document->begin();
  // --notices: the same JSON the notice subcommand reads from a file, so both share one path.
  nlohmann::ordered_json notice_messages = nlohmann::ordered_json::array();
  if (json) {
    std::cout << "{\"tool\":\"emotriage\",\"version\":\"" << EMOTRIAGE_VERSION
              << "\",\"command\":\"analyze\",\"messages\":[\n";
  }
  // A mail and, after it, the mails attached to it, each as a report of its own.
  // Results on the terminal the progress line is on go above it.
  const bool stdout_on_terminal = isatty(STDOUT_FILENO) == 1;
  std::function<void(const verdict::Analysis&)> emit = [&](const verdict::Analysis& analysis) {
    if (stdout_on_terminal) progress.clear();
    campaign.add(analysis);
    // A notice tells of the suspicious mails only (the campaign carries the counts), so only
    // those are kept: memory follows the suspicious mails, not the size of the mailbox.
    if (!options.notices.out_dir.empty() && analysis.verdict.suspicious) {
      notice_messages.push_back(report::analysis_to_json(analysis, lang));
    }
    // A mail that is not suspicious but still asks for something (the original of an inline
    // forward) is shown in full too.
    const bool full = analysis.verdict.suspicious || analysis.failed ||
                      !analysis.verdict.actions.empty() || options.all;
    if (json) {
      if (!first) std::cout << ",\n";
      first = false;
      std::cout << report::compact_json(report::analysis_to_json(analysis, lang));
    } else if (document) {
      std::cout << document->message(analysis, full);
    } else if (full) {
      std::cout << report::analysis_text(analysis, text) << "\n";
    } else {
      std::cout << "✓ " << report::one_line(analysis.message.locator) << "  "
                << report::one_line(analysis.message.envelope.subject) << "  ("
                << report::pick(lang, "不審な点なし", "not suspicious") << ")\n";
    }
    for (const auto& inner : analysis.attached) emit(inner);
  };
  app::BatchEvents events{
      .message = {},
      .analysis =
          [&](verdict::Analysis&& analysis) {
            if (ledger) ledger->add(analysis);
            emit(analysis);
          },
      .error =
          [&](const core::Error& error) {
            errors.push_back({{"error", error.detail}});
            progress.clear();
            std::cerr << "emotriage: " << report::pick(lang, "読めない入力: ", "cannot read: ")
                      << neutralize_controls(error.detail) << "\n";
          },
      .skipped =
          [&](const ingest::Skipped& item) {
            skipped.push_back(
                {{"source", item.locator}, {"reason", ingest::to_string(item.reason)}});
            if (!json) {
              progress.clear();
              std::cerr << "emotriage: " << report::pick(lang, "読み飛ばし: ", "skipped: ")
                        << neutralize_controls(item.locator) << " ("
                        << ingest::to_string(item.reason) << ")\n";
            }
          },
      .progress = batch_progress(progress),
  };
  app::BatchStats stats = app::run_batch(options.inputs, batch, events);
  if (!options.log_files.empty()) {
    logs::LogOptions log_options;
    // Without --profile the matcher knows no domain of ours: `logs` keeps every sender then.
    log_options.matcher = options.profile.empty() ? nullptr : &matcher;
    auto report = logs::analyze_logs(options.log_files, log_options);
    if (!report) {
      std::cerr << "emotriage: --logs: " << neutralize_controls(report.error().detail) << "\n";
      return 2;
    }
    campaign.add_logs(*report);
  }
  if (json) {
    std::cout << "\n],\"campaign\":" << campaign.to_json().dump(-1, ' ', false, report::kJsonErrors)
              << ",\"errors\":" << errors.dump(-1, ' ', false, report::kJsonErrors)
              << ",\"skipped\":" << skipped.dump(-1, ' ', false, report::kJsonErrors) << "}\n";
  } else if (document) {
    std::cout << document->end(campaign.summary());
  } else {
    std::cout << campaign.text(text);
  }
  std::cout.flush();
  if (!options.notices.out_dir.empty()) {
    nlohmann::ordered_json analysis{{"messages", std::move(notice_messages)},
                                    {"campaign", campaign.to_json()}};
    if (write_notices(analysis, matcher.profile(), options.notices, lang) != 0) return 2;
  }
  bool extracted = !extractor || report_extract_errors(*extractor, lang);
  bool stored = !ledger || ledger->finish();
  if (stats.errors > 0 || stats.crashed > 0 || !extracted || !stored) return 2;
  return campaign.needs_action() ? 1 : 0;
}

}  // namespace

void add_analyze_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AnalyzeOptions>();
  auto* command = app.add_subcommand(
      "analyze",
      "Verdict, evidence and next steps for every mail / メールごとの判定・根拠・対応手順");
  add_mail_inputs(command, options->inputs);
  command->add_option("--profile", options->profile, "company profile (TOML) / 会社プロファイル")
      ->check(CLI::ExistingFile);
  add_format_option(command, options->format, {"text", "json", "md", "html"});
  add_lang_option(command, options->lang);
  command
      ->add_option("--yara", options->yara_dirs,
                   "folder of your own YARA rules / 独自の YARA ルールのフォルダー")
      ->check(CLI::ExistingDirectory);
  command->add_flag("--no-builtin-rules", options->no_builtin_rules,
                    "do not load the project's rules/ / 同梱の YARA ルールを使わない");
  command
      ->add_option(
          "--ioc", options->ioc_files,
          "IOC list: hashes, URLs, IPs, domains; Feodo/URLhaus/MalwareBazaar CSV / IOC リスト")
      ->check(CLI::ExistingFile);
  command
      ->add_option(
          "--logs", options->log_files,
          "mail-server logs: their mass-sending accounts join the summary / メールサーバーのログ")
      ->check(CLI::ExistingFile);
  add_extract_option(command, options->extract_dir);
  command->add_option(
      "--notices", options->notices.out_dir,
      "write the notices (ja and en) to DIR (docs/notices.md) / お知らせを DIR に作成");
  add_notice_options(command, options->notices);
  add_case_options(command, options->case_name, options->db);
  command->add_flag(
      "--all", options->all,
      "text: show every mail in full, not only suspicious ones / 不審でないメールも詳しく表示");
  add_batch_options(command, options->limits, options->jobs);
  command->callback([options, &exit_code] { exit_code = run_analyze(*options); });
}

}  // namespace emotriage::cli
