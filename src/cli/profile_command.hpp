#pragma once
#include <CLI/CLI.hpp>

namespace emotriage::cli {

// `emotriage profile init|check|import-users`: write, validate and fill the company profile.
void add_profile_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
