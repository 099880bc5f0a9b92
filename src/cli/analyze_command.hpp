#pragma once
#include <CLI/CLI.hpp>

namespace emotriage::cli {

// `emotriage analyze INPUT... --profile FILE`: the verdict and the plan for every mail.
void add_analyze_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
