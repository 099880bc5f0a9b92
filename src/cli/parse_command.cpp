#include "cli/parse_command.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "app/pipeline.hpp"
#include "cli/output.hpp"
#include "report/dump.hpp"
#include "report/json_text.hpp"

namespace emotriage::cli {

namespace {

struct ParseOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string lang;
  std::vector<std::string> limits;
  std::string extract_dir;
  bool no_inspect = false;
  unsigned jobs = 0;
};

std::string_view describe(ingest::SkipReason reason, report::Lang lang) {
  switch (reason) {
    case ingest::SkipReason::not_mail:
      return report::pick(lang, "メールではないファイル", "not a mail file");
  }
  return {};
}

int run_parse(const ParseOptions& options) {
  app::BatchOptions batch;
  batch.jobs = options.jobs;
  if (!apply_limits(options.limits, batch.limits)) return 2;
  report::DumpOptions dump;
  dump.lang = language_from(options.lang);
  std::optional<inspect::Extractor> extractor;
  if (!options.extract_dir.empty() &&
      !(extractor = open_extractor(options.extract_dir, dump.lang))) {
    return 2;
  }
  app::AnalysisContext inspect_only;
  inspect_only.inspect_only = true;
  inspect_only.extractor = extractor ? &*extractor : nullptr;
  if (!options.no_inspect) batch.analysis = &inspect_only;
  const bool json = options.format == "json";
  Progress progress(dump.lang);
  nlohmann::ordered_json errors = nlohmann::ordered_json::array();
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  bool first = true;
  if (json) {
    std::cout << "{\"tool\":\"emotriage\",\"version\":\"" << EMOTRIAGE_VERSION
              << "\",\"command\":\"parse\",\"messages\":[\n";
  }
  // Results on the terminal the progress line is on go above it.
  const bool stdout_on_terminal = isatty(STDOUT_FILENO) == 1;
  auto print = [&](const core::Message& message, const inspect::Result* inspection) {
    if (stdout_on_terminal) progress.clear();
    if (json) {
      if (!first) std::cout << ",\n";
      first = false;
      std::cout << report::compact_json(report::message_dump_json(message, dump, inspection));
    } else {
      std::cout << neutralize_controls(report::message_dump_text(message, dump, inspection))
                << "\n";
    }
  };
  app::BatchEvents events{
      .message = [&](core::Message&& message) { print(message, nullptr); },
      .analysis =
          [&](verdict::Analysis&& analysis) { print(analysis.message, &analysis.inspection); },
      .error =
          [&](const core::Error& error) {
            errors.push_back({{"error", error.detail}});
            progress.clear();
            std::cerr << "emotriage: " << report::pick(dump.lang, "読めない入力: ", "cannot read: ")
                      << neutralize_controls(error.detail) << "\n";
          },
      .skipped =
          [&](const ingest::Skipped& item) {
            skipped.push_back({{"source", item.locator},
                               {"reason", ingest::to_string(item.reason)},
                               {"message", describe(item.reason, dump.lang)}});
          },
      .progress = batch_progress(progress),
  };
  app::BatchStats stats = app::run_batch(options.inputs, batch, events);
  if (json) {
    std::cout << "\n],\"errors\":" << errors.dump(-1, ' ', false, report::kJsonErrors)
              << ",\"skipped\":" << skipped.dump(-1, ' ', false, report::kJsonErrors) << "}\n";
  } else {
    for (const auto& item : skipped) {
      std::cout << neutralize_controls(
                       std::string(report::pick(dump.lang, "読み飛ばし: ", "skipped: ")) +
                       item["source"].get<std::string>() + " (" +
                       item["message"].get<std::string>() + ")")
                << "\n";
    }
    std::cout << stats.messages
              << report::pick(dump.lang, " 通のメールを読みました", " messages read");
    if (stats.errors > 0) {
      std::cout << report::pick(dump.lang, "、読めない入力 ", ", unreadable inputs: ")
                << stats.errors;
    }
    std::cout << "\n";
  }
  std::cout.flush();
  bool extracted = !extractor || report_extract_errors(*extractor, dump.lang);
  return stats.errors > 0 || !extracted ? 2 : 0;
}

}  // namespace

void add_parse_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ParseOptions>();
  auto* command = app.add_subcommand(
      "parse",
      "Forensic dump of mails: headers, route, authentication, parts, hashes / メールの解析ダンプ");
  add_mail_inputs(command, options->inputs);
  add_format_option(command, options->format);
  add_lang_option(command, options->lang);
  command->add_flag(
      "--no-inspect", options->no_inspect,
      "skip attachment inspection (a faster header/structure dump) / 添付ファイルの検査を省略");
  add_extract_option(command, options->extract_dir);
  add_batch_options(command, options->limits, options->jobs);
  command->callback([options, &exit_code] { exit_code = run_parse(*options); });
}

}  // namespace emotriage::cli
