#pragma once
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "profile/profile.hpp"
#include "report/lang.hpp"

namespace emotriage::cli {

// Options of the notices, shared by `analyze --notices DIR` and `notice`.
struct NoticeCliOptions {
  std::string out_dir;
  std::string templates;      // --templates DIR: the user's own copies, per file
  std::string lang = "both";  // ja, en or both
  std::string date;           // --date: RFC 3339; default $SOURCE_DATE_EPOCH, else now
  std::string staff_to;       // --staff-to: recipient of the staff alert
};

// --templates, --date and --staff-to (the output folder and languages differ per subcommand).
void add_notice_options(CLI::App* command, NoticeCliOptions& options);

// Writes the notices of `analysis` (an `analyze --format json` document) into options.out_dir;
// returns the exit status (0, or 2 after printing why not).
int write_notices(const nlohmann::ordered_json& analysis, const profile::Profile& profile,
                  const NoticeCliOptions& options, report::Lang lang);

// `emotriage notice ANALYSIS.json --profile F --out DIR`: the notices from a saved analysis.
void add_notice_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
