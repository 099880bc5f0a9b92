// HTML -> text and links with gumbo. The input is hostile, so every stage is bounded: input size,
// gumbo's work (see NestingLimiter), parse errors kept, output text, number and length of links,
// and no recursion anywhere (including gumbo's own recursive free, which we sidestep).
#include "mime/html.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/text.hpp"

namespace emotriage::mime {
namespace {

constexpr std::size_t kMaxInputBytes = std::size_t{8} << 20;
constexpr std::size_t kMaxTextBytes = std::size_t{4} << 20;
constexpr std::size_t kMaxLinks = 10'000;
constexpr std::size_t kMaxLinkBytes = 2'048;
constexpr int kMaxParseErrors = 100;
// Deepest element nesting handed to gumbo (see NestingLimiter): 100,000 nested <div> take ~30 s
// in gumbo 0.10.1. Browsers cap DOM depth too (Blink: 512); real mail stays far below this.
constexpr std::size_t kMaxNesting = 256;
// Start tags up to which the tree-mode estimate is trusted; longer documents are parsed flat.
// Should the estimate be fooled, gumbo's quadratic worst case is still bounded by this.
constexpr std::size_t kMaxTreeTags = 20'000;
// Start tags parsed at all: gumbo takes about 250 bytes and a microsecond per element, so 8 MiB of
// bare tags would cost ~700 MB; the rest of such a document is dropped.
constexpr std::size_t kMaxStartTags = 250'000;

// ---------------------------------------------------------------------------------------------
// Tag properties, one table lookup per question.

enum TagFlag : std::uint16_t {
  kVoid = 1 << 0,           // never has content, never nests
  kSpecial = 1 << 1,        // HTML "special" category: stops the any-other-end-tag search
  kScopeBoundary = 1 << 2,  // ends an "in scope" search
  kClosesP = 1 << 3,        // start tag closes an open <p>
  kRawText = 1 << 4,        // content is text up to the matching end tag
  kBlock = 1 << 5,          // starts and ends a line in the text output
  kHidden = 1 << 6,         // content is not displayed (links inside are still collected)
  kPreformatted = 1 << 7,   // white space is kept as is
  kNoNesting = 1 << 8,      // merged into the existing element by the parser (html, head, body)
  kFormatting = 1 << 9,     // kept in gumbo's list of active formatting elements
  kUnmodelled = 1 << 10,    // starts a parser mode the nesting estimate does not follow
  kScopedEnd = 1 << 11,     // end tag closes through anything up to a scope boundary
};

constexpr std::size_t kTagCount = static_cast<std::size_t>(GUMBO_TAG_LAST) + 1;

constexpr std::array<std::uint16_t, kTagCount> make_tag_flags() {
  std::array<std::uint16_t, kTagCount> flags{};
  auto set = [&flags](std::uint16_t flag, std::initializer_list<GumboTag> tags) {
    for (GumboTag tag : tags) flags[tag] |= flag;
  };
  set(kVoid,
      {GUMBO_TAG_AREA, GUMBO_TAG_BASE,  GUMBO_TAG_BASEFONT, GUMBO_TAG_BGSOUND, GUMBO_TAG_BR,
       GUMBO_TAG_COL,  GUMBO_TAG_EMBED, GUMBO_TAG_FRAME,    GUMBO_TAG_HR,      GUMBO_TAG_IMAGE,
       GUMBO_TAG_IMG,  GUMBO_TAG_INPUT, GUMBO_TAG_KEYGEN,   GUMBO_TAG_LINK,    GUMBO_TAG_MENUITEM,
       GUMBO_TAG_META, GUMBO_TAG_PARAM, GUMBO_TAG_SOURCE,   GUMBO_TAG_TRACK,   GUMBO_TAG_WBR});
  set(kSpecial, {GUMBO_TAG_ADDRESS,    GUMBO_TAG_APPLET,   GUMBO_TAG_AREA,     GUMBO_TAG_ARTICLE,
                 GUMBO_TAG_ASIDE,      GUMBO_TAG_BASE,     GUMBO_TAG_BASEFONT, GUMBO_TAG_BGSOUND,
                 GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_BODY,     GUMBO_TAG_BR,       GUMBO_TAG_BUTTON,
                 GUMBO_TAG_CAPTION,    GUMBO_TAG_CENTER,   GUMBO_TAG_COL,      GUMBO_TAG_COLGROUP,
                 GUMBO_TAG_DD,         GUMBO_TAG_DETAILS,  GUMBO_TAG_DIR,      GUMBO_TAG_DIV,
                 GUMBO_TAG_DL,         GUMBO_TAG_DT,       GUMBO_TAG_EMBED,    GUMBO_TAG_FIELDSET,
                 GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,   GUMBO_TAG_FOOTER,   GUMBO_TAG_FORM,
                 GUMBO_TAG_FRAME,      GUMBO_TAG_FRAMESET, GUMBO_TAG_H1,       GUMBO_TAG_H2,
                 GUMBO_TAG_H3,         GUMBO_TAG_H4,       GUMBO_TAG_H5,       GUMBO_TAG_H6,
                 GUMBO_TAG_HEAD,       GUMBO_TAG_HEADER,   GUMBO_TAG_HGROUP,   GUMBO_TAG_HR,
                 GUMBO_TAG_HTML,       GUMBO_TAG_IFRAME,   GUMBO_TAG_IMG,      GUMBO_TAG_INPUT,
                 GUMBO_TAG_KEYGEN,     GUMBO_TAG_LI,       GUMBO_TAG_LINK,     GUMBO_TAG_LISTING,
                 GUMBO_TAG_MAIN,       GUMBO_TAG_MARQUEE,  GUMBO_TAG_MENU,     GUMBO_TAG_META,
                 GUMBO_TAG_NAV,        GUMBO_TAG_NOEMBED,  GUMBO_TAG_NOFRAMES, GUMBO_TAG_NOSCRIPT,
                 GUMBO_TAG_OBJECT,     GUMBO_TAG_OL,       GUMBO_TAG_P,        GUMBO_TAG_PARAM,
                 GUMBO_TAG_PLAINTEXT,  GUMBO_TAG_PRE,      GUMBO_TAG_SCRIPT,   GUMBO_TAG_SECTION,
                 GUMBO_TAG_SELECT,     GUMBO_TAG_SOURCE,   GUMBO_TAG_STYLE,    GUMBO_TAG_SUMMARY,
                 GUMBO_TAG_TABLE,      GUMBO_TAG_TBODY,    GUMBO_TAG_TD,       GUMBO_TAG_TEMPLATE,
                 GUMBO_TAG_TEXTAREA,   GUMBO_TAG_TFOOT,    GUMBO_TAG_TH,       GUMBO_TAG_THEAD,
                 GUMBO_TAG_TITLE,      GUMBO_TAG_TR,       GUMBO_TAG_TRACK,    GUMBO_TAG_UL,
                 GUMBO_TAG_WBR,        GUMBO_TAG_XMP});
  set(kScopeBoundary,
      {GUMBO_TAG_APPLET, GUMBO_TAG_CAPTION, GUMBO_TAG_HTML, GUMBO_TAG_TABLE, GUMBO_TAG_TD,
       GUMBO_TAG_TH, GUMBO_TAG_MARQUEE, GUMBO_TAG_OBJECT, GUMBO_TAG_TEMPLATE});
  set(kClosesP, {GUMBO_TAG_ADDRESS, GUMBO_TAG_ARTICLE,  GUMBO_TAG_ASIDE,      GUMBO_TAG_BLOCKQUOTE,
                 GUMBO_TAG_CENTER,  GUMBO_TAG_DETAILS,  GUMBO_TAG_DIR,        GUMBO_TAG_DIV,
                 GUMBO_TAG_DL,      GUMBO_TAG_FIELDSET, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,
                 GUMBO_TAG_FOOTER,  GUMBO_TAG_FORM,     GUMBO_TAG_H1,         GUMBO_TAG_H2,
                 GUMBO_TAG_H3,      GUMBO_TAG_H4,       GUMBO_TAG_H5,         GUMBO_TAG_H6,
                 GUMBO_TAG_HEADER,  GUMBO_TAG_HGROUP,   GUMBO_TAG_HR,         GUMBO_TAG_LISTING,
                 GUMBO_TAG_MAIN,    GUMBO_TAG_MENU,     GUMBO_TAG_NAV,        GUMBO_TAG_OL,
                 GUMBO_TAG_P,       GUMBO_TAG_PRE,      GUMBO_TAG_SECTION,    GUMBO_TAG_SUMMARY,
                 GUMBO_TAG_ISINDEX, GUMBO_TAG_UL,       GUMBO_TAG_LI,         GUMBO_TAG_DD,
                 GUMBO_TAG_DT,      GUMBO_TAG_XMP,      GUMBO_TAG_PLAINTEXT});
  set(kRawText, {GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_XMP, GUMBO_TAG_IFRAME,
                 GUMBO_TAG_NOEMBED, GUMBO_TAG_NOFRAMES, GUMBO_TAG_TEXTAREA, GUMBO_TAG_TITLE});
  set(kBlock, {GUMBO_TAG_P,          GUMBO_TAG_DIV,        GUMBO_TAG_LI,      GUMBO_TAG_TR,
               GUMBO_TAG_H1,         GUMBO_TAG_H2,         GUMBO_TAG_H3,      GUMBO_TAG_H4,
               GUMBO_TAG_H5,         GUMBO_TAG_H6,         GUMBO_TAG_TABLE,   GUMBO_TAG_UL,
               GUMBO_TAG_OL,         GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE,     GUMBO_TAG_HR,
               GUMBO_TAG_SECTION,    GUMBO_TAG_ARTICLE,    GUMBO_TAG_HEADER,  GUMBO_TAG_FOOTER,
               GUMBO_TAG_ADDRESS,    GUMBO_TAG_DD,         GUMBO_TAG_DT,      GUMBO_TAG_DL,
               GUMBO_TAG_NAV,        GUMBO_TAG_ASIDE,      GUMBO_TAG_MAIN,    GUMBO_TAG_FIGURE,
               GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIELDSET,   GUMBO_TAG_LEGEND,  GUMBO_TAG_FORM,
               GUMBO_TAG_CENTER,     GUMBO_TAG_CAPTION,    GUMBO_TAG_DETAILS, GUMBO_TAG_SUMMARY,
               GUMBO_TAG_DIR,        GUMBO_TAG_MENU,       GUMBO_TAG_LISTING, GUMBO_TAG_XMP,
               GUMBO_TAG_PLAINTEXT,  GUMBO_TAG_HGROUP,     GUMBO_TAG_BODY,    GUMBO_TAG_TEXTAREA});
  set(kHidden, {GUMBO_TAG_HEAD, GUMBO_TAG_TITLE, GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE,
                GUMBO_TAG_IFRAME, GUMBO_TAG_NOEMBED, GUMBO_TAG_NOFRAMES});
  set(kPreformatted,
      {GUMBO_TAG_PRE, GUMBO_TAG_LISTING, GUMBO_TAG_XMP, GUMBO_TAG_PLAINTEXT, GUMBO_TAG_TEXTAREA});
  set(kNoNesting, {GUMBO_TAG_HTML, GUMBO_TAG_HEAD, GUMBO_TAG_BODY});
  set(kVoid, {GUMBO_TAG_ISINDEX});  // gumbo expands it into a few elements it closes itself
  set(kScopedEnd, {GUMBO_TAG_ADDRESS, GUMBO_TAG_ARTICLE, GUMBO_TAG_ASIDE,    GUMBO_TAG_BLOCKQUOTE,
                   GUMBO_TAG_BUTTON,  GUMBO_TAG_CENTER,  GUMBO_TAG_DETAILS,  GUMBO_TAG_DIR,
                   GUMBO_TAG_DIV,     GUMBO_TAG_DL,      GUMBO_TAG_FIELDSET, GUMBO_TAG_FIGCAPTION,
                   GUMBO_TAG_FIGURE,  GUMBO_TAG_FOOTER,  GUMBO_TAG_HEADER,   GUMBO_TAG_HGROUP,
                   GUMBO_TAG_LISTING, GUMBO_TAG_MAIN,    GUMBO_TAG_MENU,     GUMBO_TAG_NAV,
                   GUMBO_TAG_OL,      GUMBO_TAG_PRE,     GUMBO_TAG_SECTION,  GUMBO_TAG_SUMMARY,
                   GUMBO_TAG_UL,      GUMBO_TAG_FORM,    GUMBO_TAG_P,        GUMBO_TAG_LI,
                   GUMBO_TAG_DD,      GUMBO_TAG_DT,      GUMBO_TAG_H1,       GUMBO_TAG_H2,
                   GUMBO_TAG_H3,      GUMBO_TAG_H4,      GUMBO_TAG_H5,       GUMBO_TAG_H6,
                   GUMBO_TAG_APPLET,  GUMBO_TAG_MARQUEE, GUMBO_TAG_OBJECT});
  set(kUnmodelled, {GUMBO_TAG_SVG, GUMBO_TAG_MATH, GUMBO_TAG_FRAMESET});
  set(kFormatting, {GUMBO_TAG_A, GUMBO_TAG_B, GUMBO_TAG_BIG, GUMBO_TAG_CODE, GUMBO_TAG_EM,
                    GUMBO_TAG_FONT, GUMBO_TAG_I, GUMBO_TAG_NOBR, GUMBO_TAG_S, GUMBO_TAG_SMALL,
                    GUMBO_TAG_STRIKE, GUMBO_TAG_STRONG, GUMBO_TAG_TT, GUMBO_TAG_U});
  return flags;
}

constexpr std::array<std::uint16_t, kTagCount> kTagFlags = make_tag_flags();

bool has_flag(GumboTag tag, std::uint16_t flag) {
  return (kTagFlags[static_cast<std::size_t>(tag)] & flag) != 0;
}

bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// ---------------------------------------------------------------------------------------------
// Nesting limiter. gumbo 0.10.1 has no depth limit, and several tree-construction steps scan the
// stack of open elements or the list of active formatting elements, so hostile markup makes it
// quadratic. This linear pre-scan tokenizes like HTML and rewrites the input, inserting markup
// after some tags, so that gumbo's work stays about linear:
//
// - Formatting elements (a, b, font, ...) are closed right after their start tag. They mean
//   nothing for text or links, and the parser re-opens them after every implicit close, which
//   can grow the tree without new tags.
// - Tree mode keeps an estimate of gumbo's stack of open elements. A start tag that would open
//   deeper than kMaxNesting is closed right away: the element keeps its attributes (and links)
//   and its content lands in the parent, close to what browsers do. The estimate follows the
//   parser's implicit closes for ordinary HTML; it is an estimate, so the work it still allows is
//   bounded by also capping the number of start tags in tree mode.
// - Flat mode, for longer documents and for SVG/MathML and framesets (modes not modelled): every
//   element is closed right after its start tag, end tags of blocks and table rows become empty
//   blocks (a line break) and cells get a space. Text, links and line structure survive; <pre>
//   layout does not, and <noscript>/<template> text shows. Past kMaxStartTags the input is cut.

class NestingLimiter {
 public:
  explicit NestingLimiter(std::string_view html) : html_(html) {}

  // Returns `html_` rewritten into `storage`, or `html_` itself if nothing needed changing.
  std::string_view run(std::string& storage) {
    scan();
    if (flat_) {
      stack_.clear();
      inserts_.clear();
      start_tags_ = 0;
      scan();
    }
    const std::string_view html = html_.substr(0, cut_);
    if (inserts_.empty()) return html;
    std::size_t extra = 0;
    for (const auto& insert : inserts_) extra += insert.text.size() + 3;
    storage.clear();
    storage.reserve(html.size() + extra);
    std::size_t copied = 0;
    for (const auto& insert : inserts_) {
      storage.append(html_.substr(copied, insert.at - copied));
      if (insert.end_tag) {
        storage.append("</").append(insert.text).push_back('>');
      } else {
        storage.append(insert.text);
      }
      copied = insert.at;
    }
    storage.append(html.substr(copied));
    return storage;
  }

 private:
  struct Open {
    GumboTag tag;
    std::string_view name;  // needed to match end tags of unknown elements
  };
  struct Insert {
    std::size_t at;
    std::string_view text;  // element name if end_tag, else literal markup
    bool end_tag;
  };
  static constexpr std::size_t kEnd = std::string_view::npos;
  static constexpr std::string_view kLineBreak = "<div></div>";
  static constexpr std::string_view kSpace = " ";

  void scan() {
    const std::size_t n = html_.size();
    std::size_t i = 0;
    while (i < n) {
      const std::size_t lt = html_.find('<', i);
      if (lt == kEnd || lt + 1 >= n) return;
      const char c = html_[lt + 1];
      if (c == '!') {
        i = markup_declaration(lt);
      } else if (c == '?') {
        i = skip_past('>', lt + 2);
      } else if (c == '/') {
        if (lt + 2 < n && is_ascii_alpha(html_[lt + 2])) {
          i = tag(lt + 2, /*is_end=*/true);
        } else {
          i = skip_past('>', lt + 2);  // "</>" is dropped; anything else is a bogus comment
        }
      } else if (is_ascii_alpha(c)) {
        if (flat_ && ++start_tags_ > kMaxStartTags) {
          cut_ = lt;
          return;
        }
        i = tag(lt + 1, /*is_end=*/false);
      } else {
        i = lt + 1;  // a lone '<' is text
      }
      if (!flat_ && switch_to_flat_) {
        flat_ = true;
        return;
      }
    }
  }

  std::size_t skip_past(char c, std::size_t from) const {
    const std::size_t at = html_.find(c, from);
    return at == kEnd ? html_.size() : at + 1;
  }

  // Comments, DOCTYPE and CDATA (a bogus comment outside SVG/MathML), ended as the tokenizer does.
  std::size_t markup_declaration(std::size_t lt) {
    if (!html_.substr(lt).starts_with("<!--")) {
      if (core::istarts_with(html_.substr(lt + 2), "doctype")) seen_doctype_ = true;
      return skip_past('>', lt + 2);
    }
    std::size_t i = lt + 4;
    if (html_.substr(i).starts_with(">")) return i + 1;
    if (html_.substr(i).starts_with("->")) return i + 2;
    while (true) {
      const std::size_t dash = html_.find("--", i);
      if (dash == kEnd) return html_.size();
      const std::string_view after = html_.substr(dash + 2);
      if (after.starts_with(">")) return dash + 3;
      if (after.starts_with("!>")) return dash + 4;
      i = dash + 1;
    }
  }

  // Scans a tag whose name starts at `i`; returns the position after it (html_.size() at EOF,
  // where the tokenizer drops the unfinished tag).
  std::size_t tag(std::size_t i, bool is_end) {
    const std::size_t n = html_.size();
    const std::size_t name_begin = i;
    while (i < n && !is_html_space(html_[i]) && html_[i] != '/' && html_[i] != '>') ++i;
    const std::string_view name = html_.substr(name_begin, i - name_begin);
    while (true) {
      if (i >= n) return n;
      const char c = html_[i];
      if (c == '>') {
        ++i;
        break;
      }
      if (is_html_space(c) || c == '/') {
        ++i;  // "/>" only matters for SVG/MathML elements, which never nest in tree mode
      } else {
        i = skip_attribute(i);
      }
    }
    const GumboTag id = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
    if (is_end) {
      if (flat_) {
        flat_end_tag(id, i);
      } else {
        end_tag(id, name);
      }
      return i;
    }
    return flat_ ? flat_start_tag(id, name, i) : start_tag(id, name, i);
  }

  std::size_t skip_attribute(std::size_t i) const {
    const std::size_t n = html_.size();
    ++i;  // the first character of a name may be anything, even '='
    while (i < n && !is_html_space(html_[i]) && html_[i] != '/' && html_[i] != '>' &&
           html_[i] != '=') {
      ++i;
    }
    while (i < n && is_html_space(html_[i])) ++i;
    if (i >= n || html_[i] != '=') return i;
    ++i;
    while (i < n && is_html_space(html_[i])) ++i;
    if (i >= n) return n;
    if (html_[i] == '"' || html_[i] == '\'') {
      const std::size_t close = html_.find(html_[i], i + 1);
      return close == kEnd ? n : close + 1;
    }
    while (i < n && !is_html_space(html_[i]) && html_[i] != '>') ++i;
    return i;
  }

  std::size_t skip_raw_text(std::string_view name, std::size_t from) const {
    std::size_t i = from;
    while (true) {
      const std::size_t at = html_.find("</", i);
      if (at == kEnd) return html_.size();
      const std::size_t after_name = at + 2 + name.size();
      if (after_name <= html_.size() && core::iequals(html_.substr(at + 2, name.size()), name) &&
          (after_name == html_.size() || is_html_space(html_[after_name]) ||
           html_[after_name] == '/' || html_[after_name] == '>')) {
        return at;  // the end tag itself is scanned normally
      }
      i = at + 2;
    }
  }

  // --- flat mode ---

  std::size_t flat_start_tag(GumboTag id, std::string_view name, std::size_t after) {
    if (has_flag(id, kNoNesting | kVoid)) return after;
    if (id == GUMBO_TAG_PLAINTEXT) return html_.size();
    if (has_flag(id, kRawText)) return skip_raw_text(name, after);
    // In frameset mode the parser ignores all but framesets, which it nests in linear time.
    if (id == GUMBO_TAG_FRAMESET) return after;
    inserts_.push_back({after, name, true});
    // Outside a table the parser drops cell and row tags; keep their effect on the text.
    if (id == GUMBO_TAG_TD || id == GUMBO_TAG_TH) inserts_.push_back({after, kSpace, false});
    if (id == GUMBO_TAG_TR || id == GUMBO_TAG_CAPTION) {
      inserts_.push_back({after, kLineBreak, false});
    }
    return after;
  }

  // A block's end tag ends a line; </p> and </br> already make an element of their own.
  void flat_end_tag(GumboTag id, std::size_t after) {
    if (has_flag(id, kBlock) && id != GUMBO_TAG_P && id != GUMBO_TAG_BR) {
      inserts_.push_back({after, kLineBreak, false});
    }
  }

  // --- tree mode ---

  std::size_t start_tag(GumboTag id, std::string_view name, std::size_t after) {
    if (has_flag(id, kUnmodelled) || ++start_tags_ > kMaxTreeTags) {
      switch_to_flat_ = true;
      return html_.size();
    }
    const std::size_t select = open_select();
    if (select != kEnd && !start_tag_in_select(id, select)) return after;
    if (has_flag(id, kNoNesting)) return after;
    if (id == GUMBO_TAG_FORM && !form_allowed()) return after;
    if (has_flag(id, kClosesP) || (id == GUMBO_TAG_TABLE && seen_doctype_)) {
      // A <table> closes an open <p> except in quirks mode (no DOCTYPE, as in most mail).
      pop_through(find(GUMBO_TAG_P, {GUMBO_TAG_BUTTON}, kScopeBoundary));
    }
    if (has_flag(id, kVoid)) {
      if (id == GUMBO_TAG_COL) pop_above(table_context());  // closes cells, rows, sections
      return after;
    }
    if (id == GUMBO_TAG_PLAINTEXT) return html_.size();
    if (has_flag(id, kRawText)) return skip_raw_text(name, after);
    if (has_flag(id, kFormatting)) {
      inserts_.push_back({after, name, true});
      return after;
    }
    if (!close_implied(id)) return after;
    if (stack_.size() >= kMaxNesting) {
      inserts_.push_back({after, name, true});
    } else {
      stack_.push_back({id, name});
    }
    return after;
  }

  // Index of the <select> the parser is in ("in select" mode), or kEnd.
  std::size_t open_select() const {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const GumboTag open = stack_[k].tag;
      if (open == GUMBO_TAG_SELECT) return k;
      if (open != GUMBO_TAG_OPTION && open != GUMBO_TAG_OPTGROUP) return kEnd;
    }
    return kEnd;
  }

  // Index of the innermost <table> or <template>: table-structure tags act up to there.
  std::size_t table_context() const { return find_any({GUMBO_TAG_TABLE, GUMBO_TAG_TEMPLATE}, {}); }

  static bool is_table_tag(GumboTag id) {
    switch (id) {
      case GUMBO_TAG_CAPTION:
      case GUMBO_TAG_TABLE:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_TFOOT:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        return true;
      default:
        return false;
    }
  }

  // Inside <select> the parser ignores nearly every start tag (so, for example, <style> there is
  // not raw text). Returns whether the tag is processed further.
  bool start_tag_in_select(GumboTag id, std::size_t select) {
    switch (id) {
      case GUMBO_TAG_OPTION:
        if (top_is(GUMBO_TAG_OPTION)) pop_through(stack_.size() - 1);
        return true;
      case GUMBO_TAG_OPTGROUP:
        if (top_is(GUMBO_TAG_OPTION)) pop_through(stack_.size() - 1);
        if (top_is(GUMBO_TAG_OPTGROUP)) pop_through(stack_.size() - 1);
        return true;
      case GUMBO_TAG_SELECT:
        pop_through(select);  // acts as </select>
        return false;
      case GUMBO_TAG_INPUT:
      case GUMBO_TAG_KEYGEN:
      case GUMBO_TAG_TEXTAREA:
        pop_through(select);
        return true;
      case GUMBO_TAG_SCRIPT:
      case GUMBO_TAG_TEMPLATE:
        return true;
      default:
        if (!is_table_tag(id) || find(GUMBO_TAG_TABLE, {}, 0) == kEnd) return false;
        pop_through(select);  // <select> inside a table is closed by table structure
        return true;
    }
  }

  // Same for end tags: only these close anything while in <select>.
  bool end_tag_in_select(GumboTag id, std::size_t select) {
    switch (id) {
      case GUMBO_TAG_OPTION:
        if (top_is(GUMBO_TAG_OPTION)) pop_through(stack_.size() - 1);
        return false;
      case GUMBO_TAG_OPTGROUP:
        if (top_is(GUMBO_TAG_OPTION) && stack_.size() >= 2 &&
            stack_[stack_.size() - 2].tag == GUMBO_TAG_OPTGROUP) {
          pop_through(stack_.size() - 1);
        }
        if (top_is(GUMBO_TAG_OPTGROUP)) pop_through(stack_.size() - 1);
        return false;
      case GUMBO_TAG_SELECT:
        pop_through(select);
        return false;
      case GUMBO_TAG_TEMPLATE:
        return true;
      default:
        if (!is_table_tag(id) || find(GUMBO_TAG_TABLE, {}, 0) == kEnd) return false;
        pop_through(select);
        return true;
    }
  }

  // No nested forms, except inside a template.
  bool form_allowed() const {
    return find(GUMBO_TAG_FORM, {}, 0) == kEnd || find(GUMBO_TAG_TEMPLATE, {}, 0) != kEnd;
  }

  // Start tags that make the parser close open elements. Returns false for a start tag the
  // parser ignores.
  bool close_implied(GumboTag id) {
    switch (id) {
      case GUMBO_TAG_LI:
        pop_through(find_list_item(GUMBO_TAG_LI, GUMBO_TAG_LI));
        break;
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
        pop_through(find_list_item(GUMBO_TAG_DD, GUMBO_TAG_DT));
        break;
      case GUMBO_TAG_RB:
      case GUMBO_TAG_RTC:
      case GUMBO_TAG_RP:
      case GUMBO_TAG_RT:
        if (find(GUMBO_TAG_RUBY, {}, kScopeBoundary) != kEnd) {
          pop_implied_end_tags(/*keep_rtc=*/id == GUMBO_TAG_RP || id == GUMBO_TAG_RT);
        }
        break;
      case GUMBO_TAG_CAPTION:
      case GUMBO_TAG_COLGROUP:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT: {
        // The parser clears back to the table (closing any open cell, row or section).
        const std::size_t context = table_context();
        if (context == kEnd) return false;  // ignored outside a table
        pop_above(context);
        return id != GUMBO_TAG_COLGROUP;  // closes as soon as anything but <col> follows
      }
      case GUMBO_TAG_TR: {
        const std::size_t context = table_context();
        if (context == kEnd) return false;
        const std::size_t row = find(GUMBO_TAG_TR, {GUMBO_TAG_TABLE, GUMBO_TAG_TEMPLATE}, 0);
        if (row != kEnd) {
          pop_through(row);
        } else {
          pop_above(find_any({GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT, GUMBO_TAG_TABLE,
                              GUMBO_TAG_TEMPLATE},
                             {}));
        }
        break;
      }
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH: {
        if (table_context() == kEnd) return false;
        const std::size_t cell = find_any({GUMBO_TAG_TD, GUMBO_TAG_TH},
                                          {GUMBO_TAG_TR, GUMBO_TAG_TABLE, GUMBO_TAG_TEMPLATE});
        if (cell != kEnd) {
          pop_through(cell);
        } else {
          pop_above(find_any({GUMBO_TAG_TR, GUMBO_TAG_TBODY, GUMBO_TAG_THEAD, GUMBO_TAG_TFOOT,
                              GUMBO_TAG_TABLE, GUMBO_TAG_TEMPLATE},
                             {}));
        }
        break;
      }
      case GUMBO_TAG_TABLE:
        // Inside a table (but not in a cell) a new table closes the current one.
        pop_through(find(GUMBO_TAG_TABLE,
                         {GUMBO_TAG_TD, GUMBO_TAG_TH, GUMBO_TAG_CAPTION, GUMBO_TAG_TEMPLATE}, 0));
        break;
      case GUMBO_TAG_BUTTON:
        pop_through(find(id, {}, kScopeBoundary));
        break;
      case GUMBO_TAG_OPTION:
      case GUMBO_TAG_OPTGROUP:
        if (top_is(GUMBO_TAG_OPTION)) pop_through(stack_.size() - 1);
        break;
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        if (!stack_.empty() && is_heading(stack_.back().tag)) pop_through(stack_.size() - 1);
        break;
      default:
        break;
    }
    return true;
  }

  void end_tag(GumboTag id, std::string_view name) {
    const std::size_t select = open_select();
    if (select != kEnd && !end_tag_in_select(id, select)) return;
    if (has_flag(id, kVoid | kNoNesting | kFormatting)) return;
    if (is_table_tag(id) || id == GUMBO_TAG_TEMPLATE) {
      // Table scope: only <table> and <template> stop these.
      const std::size_t at = id == GUMBO_TAG_TEMPLATE
                                 ? find(id, {}, 0)
                                 : find(id, {GUMBO_TAG_TABLE, GUMBO_TAG_TEMPLATE}, 0);
      pop_through(at);
      return;
    }
    const bool scoped = has_flag(id, kScopedEnd);
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const Open& open = stack_[k];
      const bool match = open.tag == id
                             ? (id != GUMBO_TAG_UNKNOWN || core::iequals(open.name, name))
                             : is_heading(id) && is_heading(open.tag);
      if (match) {
        if (id == GUMBO_TAG_FORM && find(GUMBO_TAG_TEMPLATE, {}, 0) == kEnd) {
          // </form> removes only the form; what was opened inside it stays open.
          stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(k));
        } else {
          pop_through(k);
        }
        return;
      }
      // Scoped end tags give up at a scope boundary; the others ("any other end tag") at the
      // first special element.
      if (has_flag(open.tag, scoped ? kScopeBoundary : kSpecial)) return;
      if (id == GUMBO_TAG_LI && (open.tag == GUMBO_TAG_UL || open.tag == GUMBO_TAG_OL)) return;
      if (id == GUMBO_TAG_P && open.tag == GUMBO_TAG_BUTTON) return;
    }
  }

  static bool is_heading(GumboTag id) {
    return id == GUMBO_TAG_H1 || id == GUMBO_TAG_H2 || id == GUMBO_TAG_H3 || id == GUMBO_TAG_H4 ||
           id == GUMBO_TAG_H5 || id == GUMBO_TAG_H6;
  }

  // "Generate implied end tags": pops a run of elements whose end tag may be omitted.
  void pop_implied_end_tags(bool keep_rtc) {
    while (!stack_.empty()) {
      switch (stack_.back().tag) {
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_OPTION:
        case GUMBO_TAG_OPTGROUP:
        case GUMBO_TAG_P:
        case GUMBO_TAG_RB:
        case GUMBO_TAG_RP:
        case GUMBO_TAG_RT:
          stack_.pop_back();
          continue;
        case GUMBO_TAG_RTC:
          if (keep_rtc) return;
          stack_.pop_back();
          continue;
        default:
          return;
      }
    }
  }

  // An <li> (or <dd>/<dt>) start tag closes the open one unless a special element other than
  // address, div or p is in between.
  std::size_t find_list_item(GumboTag a, GumboTag b) const {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const GumboTag open = stack_[k].tag;
      if (open == a || open == b) return k;
      if (has_flag(open, kSpecial) && open != GUMBO_TAG_ADDRESS && open != GUMBO_TAG_DIV &&
          open != GUMBO_TAG_P) {
        return kEnd;
      }
    }
    return kEnd;
  }

  // Index of the innermost open `id`, searching down until an element in `stoppers` or with
  // `stop_flags`; kEnd if not found.
  std::size_t find(GumboTag id, std::initializer_list<GumboTag> stoppers,
                   std::uint16_t stop_flags) const {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const GumboTag open = stack_[k].tag;
      if (open == id) return k;
      if (has_flag(open, stop_flags)) return kEnd;
      for (GumboTag stopper : stoppers) {
        if (open == stopper) return kEnd;
      }
    }
    return kEnd;
  }

  std::size_t find_any(std::initializer_list<GumboTag> ids,
                       std::initializer_list<GumboTag> stoppers) const {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      const GumboTag open = stack_[k].tag;
      for (GumboTag id : ids) {
        if (open == id) return k;
      }
      for (GumboTag stopper : stoppers) {
        if (open == stopper) return kEnd;
      }
    }
    return kEnd;
  }

  bool top_is(GumboTag id) const { return !stack_.empty() && stack_.back().tag == id; }

  void pop_through(std::size_t index) {
    if (index != kEnd) stack_.resize(index);
  }

  void pop_above(std::size_t index) {
    if (index != kEnd) stack_.resize(index + 1);
  }

  std::string_view html_;
  std::vector<Open> stack_;
  std::vector<Insert> inserts_;
  std::size_t start_tags_ = 0;
  std::size_t cut_ = std::string_view::npos;  // where the parsed part ends
  bool seen_doctype_ = false;
  bool switch_to_flat_ = false;
  bool flat_ = false;
};

// ---------------------------------------------------------------------------------------------
// Text output: white space collapsed, lines trimmed, at most one blank line in a row.

class TextBuilder {
 public:
  // Ordinary text: ASCII white-space runs become one space, U+00A0 becomes a space that is kept
  // (like a browser, so an Outlook "&nbsp;" paragraph still shows as a blank line).
  void text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !full_) {
      const char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        pending_space_ = true;
        ++i;
      } else if (is_nbsp(s, i)) {
        flush_space();
        put(" ");
        i += 2;
      } else {
        std::size_t j = i + 1;
        while (j < s.size() && !is_html_space(s[j]) && !is_nbsp(s, j)) ++j;
        flush_space();
        put(s.substr(i, j - i));
        i = j;
      }
    }
  }

  // Text inside <pre> and friends: kept as is, apart from U+00A0 -> space and line trimming.
  void preformatted(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && !full_) {
      std::size_t end = i;
      while (end < s.size() && s[end] != '\n' && !is_nbsp(s, end)) ++end;
      if (end > i) {
        flush_space();
        put(s.substr(i, end - i));
      }
      if (end == s.size()) break;
      if (s[end] == '\n') {
        newline();
        i = end + 1;
      } else {
        flush_space();
        put(" ");
        i = end + 2;
      }
    }
  }

  // Block boundary: start a new line unless already at the start of one.
  void block_break() {
    if (line_has_content_) {
      newline();
    } else {
      pending_space_ = false;
    }
  }

  // <br>: always a new line (blank lines are still capped).
  void line_break() { newline(); }

  // Between table cells: a space, unless at the start of a line.
  void cell_gap() { pending_space_ = true; }

  std::string finish() && {
    while (!out_.empty() && is_html_space(out_.back())) out_.pop_back();
    std::size_t lead = 0;
    while (lead < out_.size() && is_html_space(out_[lead])) ++lead;
    out_.erase(0, lead);
    return std::move(out_);
  }

 private:
  static bool is_nbsp(std::string_view s, std::size_t i) {
    return s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0';
  }

  void flush_space() {
    if (pending_space_ && line_has_content_) put(" ");
    pending_space_ = false;
  }

  void put(std::string_view s) {
    if (full_) return;
    if (out_.size() + s.size() > kMaxTextBytes) {
      s = core::utf8_prefix(s, kMaxTextBytes - out_.size());
      full_ = true;
    }
    out_.append(s);
    line_has_content_ = true;
  }

  void newline() {
    pending_space_ = false;
    line_has_content_ = false;
    if (full_) return;
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
    if (out_.empty()) return;  // no leading blank lines
    const std::size_t size = out_.size();
    if (size >= 2 && out_[size - 1] == '\n' && out_[size - 2] == '\n') return;
    out_.push_back('\n');
  }

  std::string out_;
  bool pending_space_ = false;
  bool line_has_content_ = false;
  bool full_ = false;
};

// ---------------------------------------------------------------------------------------------
// Links: in document order, first occurrence kept.

class LinkCollector {
 public:
  LinkCollector() : seen_(16, Hash{&links_}, Equal{&links_}) {}
  LinkCollector(const LinkCollector&) = delete;  // seen_ points at links_
  LinkCollector& operator=(const LinkCollector&) = delete;

  void add(std::string_view raw) {
    if (links_.size() >= kMaxLinks) return;
    std::string link = clean(raw);
    if (link.empty() || link.front() == '#') return;
    if (link.size() > kMaxLinkBytes) link.resize(core::utf8_prefix(link, kMaxLinkBytes).size());
    links_.push_back(std::move(link));
    if (!seen_.insert(links_.size() - 1).second) links_.pop_back();
  }

  // <meta http-equiv=refresh content="5; url='...'">: the URL after the delay.
  void add_refresh(std::string_view content) {
    std::string_view s = core::trim(content);
    while (!s.empty() && ((s.front() >= '0' && s.front() <= '9') || s.front() == '.')) {
      s.remove_prefix(1);
    }
    s = core::trim(s);
    if (!s.empty() && (s.front() == ';' || s.front() == ',')) s.remove_prefix(1);
    s = core::trim(s);
    if (core::istarts_with(s, "url")) {
      const std::string_view after = core::trim(s.substr(3));
      if (after.starts_with('=')) s = core::trim(after.substr(1));
    }
    if (!s.empty() && (s.front() == '"' || s.front() == '\'')) {
      const char quote = s.front();
      s.remove_prefix(1);
      s = s.substr(0, s.find(quote));
    }
    add(s);
  }

  std::vector<std::string> take() && { return std::move(links_); }

 private:
  // Browsers drop leading/trailing C0 controls and spaces and every tab or newline inside a URL,
  // so "ht\ntp://x" is a link to http://x; normalise the same way.
  static std::string clean(std::string_view raw) {
    while (!raw.empty() && static_cast<unsigned char>(raw.front()) <= 0x20) raw.remove_prefix(1);
    while (!raw.empty() && static_cast<unsigned char>(raw.back()) <= 0x20) raw.remove_suffix(1);
    std::string out;
    out.reserve(std::min(raw.size(), kMaxLinkBytes + 4));
    for (char c : raw) {
      if (c == '\t' || c == '\n' || c == '\r') continue;
      out.push_back(c);
      if (out.size() > kMaxLinkBytes + 4) break;  // enough to cut on a character boundary later
    }
    return out;
  }

  // The set holds indices into links_ so every link is stored once.
  struct Hash {
    const std::vector<std::string>* links;
    std::size_t operator()(std::size_t i) const { return std::hash<std::string>{}((*links)[i]); }
  };
  struct Equal {
    const std::vector<std::string>* links;
    bool operator()(std::size_t a, std::size_t b) const { return (*links)[a] == (*links)[b]; }
  };

  std::vector<std::string> links_;
  std::unordered_set<std::size_t, Hash, Equal> seen_;
};

const char* attribute(const GumboElement& element, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&element.attributes, name);
  return attr == nullptr ? nullptr : attr->value;
}

void collect_links(const GumboElement& element, LinkCollector& links) {
  auto add = [&](const char* name) {
    if (const char* value = attribute(element, name)) links.add(value);
  };
  switch (element.tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
      add("href");
      break;
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_SOURCE:
      add("src");
      break;
    case GUMBO_TAG_OBJECT:
      add("data");
      break;
    case GUMBO_TAG_FORM:
      add("action");
      break;
    case GUMBO_TAG_INPUT:
      add("src");  // <input type=image>
      add("formaction");
      break;
    case GUMBO_TAG_BUTTON:
      add("formaction");
      break;
    case GUMBO_TAG_META: {
      const char* equiv = attribute(element, "http-equiv");
      const char* content = attribute(element, "content");
      if (equiv != nullptr && content != nullptr && core::iequals(core::trim(equiv), "refresh")) {
        links.add_refresh(content);
      }
      break;
    }
    default:
      break;
  }
  add("background");  // body, table, td, th: legacy but still honoured by mail clients
}

// ---------------------------------------------------------------------------------------------
// gumbo plumbing.

// Memory for one parse. gumbo_destroy_output frees the tree recursively, so a deep tree overflows
// the stack (100,000 levels crash with a 512 KiB stack), and gumbo 0.10.1 leaks a few bytes on
// some malformed input (a DOCTYPE inside <noscript>, for one). So every gumbo allocation is linked
// into a list and the whole list is released at once, instead of calling gumbo_destroy_output.
class GumboHeap {
 public:
  GumboHeap() = default;
  GumboHeap(const GumboHeap&) = delete;  // gumbo holds a pointer to it
  GumboHeap& operator=(const GumboHeap&) = delete;

  ~GumboHeap() {
    while (head_.next != &head_) {
      Block* block = head_.next;
      unlink(block);
      std::free(block);
    }
    for (char* chunk : chunks_) std::free(chunk);
  }

  // Gumbo makes a great many small, short-lived allocations (tokens, attributes, nodes); they come
  // from a bump arena that is freed at once, up to a budget, then from tracked malloc blocks.
  static void* allocate(void* heap_ptr, std::size_t size) {
    auto* heap = static_cast<GumboHeap*>(heap_ptr);
    std::size_t need = sizeof(Block) + ((size + kAlign - 1) & ~(kAlign - 1));
    if (size <= kSmall && heap->arena_bytes_ + kChunk <= kArenaBudget) {
      if (heap->chunk_left_ < need) heap->new_chunk();
      auto* block = reinterpret_cast<Block*>(heap->chunk_pos_);
      heap->chunk_pos_ += need;
      heap->chunk_left_ -= need;
      block->prev = block->next = nullptr;  // arena: nothing to free
      return block + 1;
    }
    auto* block = static_cast<Block*>(std::malloc(need));
    if (block == nullptr) std::abort();  // gumbo does not check; failing here is at least defined
    Block& head = heap->head_;
    block->prev = &head;
    block->next = head.next;
    head.next->prev = block;
    head.next = block;
    return block + 1;
  }

  static void deallocate(void* /*heap*/, void* p) {
    if (p == nullptr) return;
    Block* block = static_cast<Block*>(p) - 1;
    if (block->prev == nullptr) return;
    unlink(block);
    std::free(block);
  }

 private:
  // Header in front of each allocation; its alignment keeps the payload suitably aligned.
  struct alignas(std::max_align_t) Block {
    Block* prev;
    Block* next;
  };
  static constexpr std::size_t kAlign = alignof(std::max_align_t);
  static constexpr std::size_t kSmall = 512;
  static constexpr std::size_t kChunk = 256u << 10;
  static constexpr std::size_t kArenaBudget = 64u << 20;

  void new_chunk() {
    char* chunk = static_cast<char*>(std::malloc(kChunk));
    if (chunk == nullptr) std::abort();
    chunks_.push_back(chunk);
    arena_bytes_ += kChunk;
    chunk_pos_ = chunk;
    chunk_left_ = kChunk;
  }

  static void unlink(Block* block) {
    block->prev->next = block->next;
    block->next->prev = block->prev;
  }

  Block head_{&head_, &head_};
  std::vector<char*> chunks_;
  char* chunk_pos_ = nullptr;
  std::size_t chunk_left_ = 0;
  std::size_t arena_bytes_ = 0;
};

void walk(const GumboNode* document, TextBuilder& text, LinkCollector& links) {
  struct Frame {
    const GumboNode* node;
    bool leaving;
  };
  std::vector<Frame> stack;
  stack.push_back({document, false});
  int hidden = 0;
  int preformatted = 0;
  auto push_children = [&stack](const GumboVector& children) {
    for (unsigned i = children.length; i-- > 0;) {
      stack.push_back({static_cast<const GumboNode*>(children.data[i]), false});
    }
  };
  while (!stack.empty()) {
    const Frame frame = stack.back();
    stack.pop_back();
    const GumboNode* node = frame.node;
    switch (node->type) {
      case GUMBO_NODE_DOCUMENT:
        push_children(node->v.document.children);
        break;
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        if (hidden > 0) break;
        if (preformatted > 0) {
          text.preformatted(node->v.text.text);
        } else {
          text.text(node->v.text.text);
        }
        break;
      case GUMBO_NODE_COMMENT:
        break;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const GumboElement& element = node->v.element;
        const GumboTag tag = element.tag;
        if (frame.leaving) {
          if (has_flag(tag, kHidden)) --hidden;
          if (has_flag(tag, kPreformatted)) --preformatted;
          if (hidden == 0 && has_flag(tag, kBlock)) text.block_break();
          break;
        }
        // Script and style hold only code; nothing in them is text or a link we want.
        if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE) break;
        collect_links(element, links);
        if (hidden == 0) {
          if (tag == GUMBO_TAG_BR) {
            text.line_break();
          } else if (has_flag(tag, kBlock)) {
            text.block_break();
          } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
            text.cell_gap();
          }
        }
        if (has_flag(tag, kHidden)) ++hidden;  // includes <template>, whatever its node type
        if (has_flag(tag, kPreformatted)) ++preformatted;
        stack.push_back({node, true});
        push_children(element.children);
        break;
      }
    }
  }
}

}  // namespace

HtmlText html_to_text(std::string_view utf8_html) {
  const std::string_view input = core::utf8_prefix(utf8_html, kMaxInputBytes);
  std::string rewritten;
  const std::string_view html = NestingLimiter(input).run(rewritten);

  GumboHeap heap;  // frees the whole tree when it goes out of scope, even on an exception
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &GumboHeap::allocate;
  options.deallocator = &GumboHeap::deallocate;
  options.userdata = &heap;
  options.max_errors = kMaxParseErrors;

  const GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  HtmlText result;
  if (output == nullptr) return result;
  TextBuilder text;
  LinkCollector links;
  walk(output->document, text, links);
  result.text = std::move(text).finish();
  result.links = std::move(links).take();
  return result;
}

}  // namespace emotriage::mime
