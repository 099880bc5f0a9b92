// Terminal and file output shared by the subcommands.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/pipeline.hpp"
#include "core/limits.hpp"
#include "inspect/extract.hpp"
#include "intel/intel.hpp"
#include "profile/profile.hpp"
#include "report/abuse_contacts.hpp"

#include "report/format.hpp"
#include "report/lang.hpp"

namespace emotriage::cli {

using report::neutralize_controls;

// Opens the --extract folder; prints why not and returns nullopt when it cannot.
std::optional<inspect::Extractor> open_extractor(const std::string& directory, report::Lang lang);
// Reports write failures of the extraction at the end of a run; true when there were none.
bool report_extract_errors(const inspect::Extractor& extractor, report::Lang lang);

// Loaders analyze and serve share; each prints why it failed (ja or en).
// --profile FILE into `company`; without a file, warns what cannot be judged and keeps it empty.
bool load_company_profile(const std::string& path, report::Lang lang, profile::Profile& company);
void print_profile_errors(const std::vector<profile::ProfileError>& errors, report::Lang lang);
void print_load_error(const intel::LoadError& error, report::Lang lang);
// The project's rules/ (when `builtin`) and the user's folders; none at all leaves `rules` empty.
bool load_yara_rules(const std::vector<std::string>& own_dirs, bool builtin, report::Lang lang,
                     std::optional<intel::YaraRules>& rules);
// The free-mail providers' abuse desks for the campaign view; a missing or broken file is a
// warning (every outside domain then gets abuse@<domain>).
std::optional<report::AbuseContacts> load_abuse_contacts(report::Lang lang);

// Options several subcommands share, with the same ja/en help everywhere.
void add_mail_inputs(CLI::App* command, std::vector<std::string>& inputs);
void add_format_option(CLI::App* command, std::string& format,
                       const std::vector<std::string>& choices = {"text", "json"});
void add_lang_option(CLI::App* command, std::string& lang);
void add_extract_option(CLI::App* command, std::string& directory);
void add_batch_options(CLI::App* command, std::vector<std::string>& limits, unsigned& jobs);

// Applies --limit NAME=VALUE options; prints the first bad one and returns false.
bool apply_limits(const std::vector<std::string>& assignments, core::Limits& limits);

// Language from --lang, else LC_ALL / LC_MESSAGES / LANG ("ja_JP.UTF-8" -> ja), else English.
report::Lang language_from(std::string_view option);

// A progress line on a terminal, redrawn at most every 200 ms and erased at the end. With a total
// known before the work: a bar, the percentage, the count, how much of the input is read and the
// time left —
//   [########------------]  42%  12,345 messages  1.2 GB / 2.9 GB  ETA 1:23
// — else the running count ("12345 messages, 4.5 MB").
class Progress {
 public:
  enum class Noun { messages, lines };
  using Clock = std::function<std::int64_t()>;  // monotonic milliseconds

  // On stderr with the steady clock, only when stderr is a terminal.
  explicit Progress(report::Lang lang, Noun noun = Noun::messages);
  // `enabled` is the caller's terminal decision; `out` must outlive the object.
  Progress(report::Lang lang, Noun noun, std::FILE* out, bool enabled, Clock clock);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress();

  bool enabled() const { return enabled_; }
  // Erases the line before other output goes to the same terminal; the next update draws it
  // again. Nothing to do (no write) while it is not shown, so at most one erase per drawing.
  void clear();
  // The running count, without a total.
  void update(std::uint64_t count, std::uint64_t bytes);
  // Against a total measured before the work (units of ingest::Amount).
  void update(std::uint64_t count, const ingest::Amount& done, const ingest::Amount& total);

 private:
  // False while the last drawing is under 200 ms old.
  bool due();
  void draw(const std::string& line);
  const char* noun() const;  // "messages" / "通", "lines" / "行"

  report::Lang lang_;
  Noun noun_;
  std::FILE* out_;
  bool enabled_;
  Clock clock_;
  std::int64_t start_ms_;
  std::int64_t last_ms_ = 0;
  bool shown_ = false;  // on the terminal now
  bool drawn_ = false;  // drawn at least once
};

// The progress event of a batch drawn on `progress`; empty when it is not shown, so that the
// batch does not measure its inputs for nothing.
std::function<void(const app::BatchProgress&)> batch_progress(Progress& progress);

}  // namespace emotriage::cli
