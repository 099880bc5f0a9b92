#pragma once
#include <CLI/CLI.hpp>

namespace emotriage::cli {

// `emotriage logs FILE...`: the accounts that mass-send, from mail-server logs (exit 0 none
// flagged, 1 some flagged, 2 error).
void add_logs_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
