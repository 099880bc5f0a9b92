// Small text shaping shared by the human-facing renderers.
#pragma once
#include <string>
#include <string_view>

namespace emotriage::report {

// Mail-derived text may carry terminal escape sequences; control characters other than
// newline and tab, and bidirectional overrides/isolates (U+202E ...), are shown as visible
// escapes (\x1b, \u202e) before anything reaches a terminal or a report.
std::string neutralize_controls(std::string_view utf8);

// Mail-derived values on one line of a text report: an encoded line break must not forge a line
// ("Authentication: dkim=pass") of the report itself, nor a control sequence reach a terminal.
std::string one_line(std::string_view value);

// The first `max_bytes` of UTF-8 text (never splitting a character), with "…" when cut.
std::string excerpt(std::string_view text, std::size_t max_bytes);

}  // namespace emotriage::report
