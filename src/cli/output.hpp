// Terminal and file output shared by the subcommands.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "report/lang.hpp"

namespace emotriage::cli {

// Mail-derived text may carry terminal escape sequences; control characters other than
// newline and tab are shown as visible escapes (\x1b) before anything reaches a terminal.
std::string neutralize_controls(std::string_view utf8);

// Language from --lang, else LC_ALL / LC_MESSAGES / LANG ("ja_JP.UTF-8" -> ja), else English.
report::Lang language_from(std::string_view option);

// A progress line on stderr, only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(report::Lang lang);
  ~Progress();
  void update(std::uint64_t messages, std::uint64_t bytes);

 private:
  bool enabled_;
  report::Lang lang_;
  std::int64_t last_ms_ = 0;
  bool shown_ = false;
};

}  // namespace emotriage::cli
