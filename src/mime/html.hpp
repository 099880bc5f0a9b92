// HTML body -> plain text and links (gumbo). Nothing is rendered, fetched or executed; script and
// style content is dropped. Bounded: nesting deeper than gumbo's own limit is cut by gumbo.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::mime {

struct HtmlText {
  std::string text;                // visible text, block elements separated by newlines
  std::vector<std::string> links;  // a@href, area@href, img@src, form@action, ... in order
};

HtmlText html_to_text(std::string_view utf8_html);

}  // namespace emotriage::mime
