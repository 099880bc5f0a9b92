// Escaping of mail-derived text for the Markdown and HTML reports. Every value passes through
// one_line first (no line breaks, no control or bidi characters), then the target syntax's
// escape, so that a subject cannot open a tag, an attribute, a link or a heading.
#pragma once
#include <string>
#include <string_view>

namespace emotriage::report {

// HTML text or attribute value (double- or single-quoted): & < > " ' as character references.
std::string html_escape(std::string_view text);
// A mail-derived value on one line, for HTML.
std::string html_text(std::string_view value);

// A mail-derived value on one line, for Markdown: every ASCII punctuation character is
// backslash-escaped (CommonMark allows it for all of them), so no emphasis, link, autolink,
// raw HTML, heading, list, table cell or entity can start inside it; an @ is followed by
// U+2060 WORD JOINER (GFM would make user@host a mailto: link in spite of the escapes).
std::string md_text(std::string_view value);
// A mail-derived value on one line as a Markdown code span, fenced with more backticks than
// any run inside it: raw evidence shown verbatim and inert.
std::string md_code(std::string_view value);

}  // namespace emotriage::report
