// `emotriage case`: the case ledger from the command line (list, show, step, note, export), and
// the import that `analyze --case` uses.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cases/store.hpp"
#include "profile/profile.hpp"
#include "report/lang.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::cli {

// The ledger's path: --db, else EMOTRIAGE_DB, else $XDG_DATA_HOME/emotriage/cases.db, else
// ~/.local/share/emotriage/cases.db; its folder is created (0700). Prints why not and returns
// nullopt when there is none.
std::optional<std::string> ledger_path(const std::string& option, report::Lang lang);

// `analyze --case NAME`: stores each analysed mail into the case as it arrives, each in a
// transaction of its own.
class CaseImport {
 public:
  // Opens the ledger (--db, else EMOTRIAGE_DB, else the XDG data directory) and the case; prints
  // why not and returns nullopt when it cannot.
  static std::optional<CaseImport> open(const std::string& name, const std::string& db,
                                        const profile::Profile* profile, report::Lang lang);
  void add(const verdict::Analysis& analysis);
  // Prints what was stored on stderr; false when a mail could not be stored.
  bool finish() const;

 private:
  CaseImport(std::unique_ptr<cases::Store> store, std::string name, const profile::Profile* profile,
             report::Lang lang)
      : store_(std::move(store)), name_(std::move(name)), profile_(profile), lang_(lang) {}
  std::unique_ptr<cases::Store> store_;
  std::string name_;
  const profile::Profile* profile_;
  report::Lang lang_;
  std::uint64_t stored_ = 0, seen_again_ = 0, failed_ = 0;
};

// The --case and --db options of analyze.
void add_case_options(CLI::App* command, std::string& name, std::string& db);

void add_case_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
