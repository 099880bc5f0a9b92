#pragma once
#include <CLI/CLI.hpp>

namespace emotriage::cli {

// `emotriage parse INPUT...`: the forensic dump. Returns a setup function's exit code holder.
void add_parse_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
