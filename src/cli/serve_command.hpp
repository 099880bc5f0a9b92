#pragma once
#include <CLI/CLI.hpp>

namespace emotriage::cli {

// `emotriage serve [--listen 127.0.0.1:8080] [--profile FILE]`: the local web UI (docs/web.md).
// Runs until SIGINT/SIGTERM (exit 0); 2 when it cannot start.
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace emotriage::cli
