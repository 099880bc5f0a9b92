// HTML body -> plain text and links (gumbo). Nothing is rendered, fetched or executed; script and
// style content is dropped. Bounded: gumbo 0.10 has no nesting limit and turns quadratic on deep
// nesting, so a linear pre-scan caps the depth (256) and the tag count before gumbo sees it.
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
