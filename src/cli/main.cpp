// The emotriage command: a thin front end over the app library.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/analyze_command.hpp"
#include "cli/case_command.hpp"
#include "cli/logs_command.hpp"
#include "cli/notice_command.hpp"
#include "cli/parse_command.hpp"
#include "cli/profile_command.hpp"
#include "cli/serve_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"emotriage: Emotet-style mail incident triage / Emotet 型メール対応支援ツール"};
  app.set_version_flag("--version", EMOTRIAGE_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  emotriage::cli::add_analyze_command(app, exit_code);
  emotriage::cli::add_parse_command(app, exit_code);
  emotriage::cli::add_profile_command(app, exit_code);
  emotriage::cli::add_logs_command(app, exit_code);
  emotriage::cli::add_notice_command(app, exit_code);
  emotriage::cli::add_case_command(app, exit_code);
  emotriage::cli::add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "emotriage: internal error: " << e.what() << "\n";
    return 2;
  }
  return exit_code;
}
