#include "mime/html.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"

namespace emotriage::mime {
namespace {

using Links = std::vector<std::string>;

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out.append(piece);
  return out;
}

TEST(HtmlToText, EmptyInput) {
  const HtmlText result = html_to_text("");
  EXPECT_EQ(result.text, "");
  EXPECT_TRUE(result.links.empty());
}

TEST(HtmlToText, PlainTextCollapsesWhiteSpace) {
  EXPECT_EQ(html_to_text("  hello \t\r\n  world  ").text, "hello world");
  EXPECT_EQ(html_to_text("<b>a</b> <i>b</i>").text, "a b");
  EXPECT_EQ(html_to_text("x<b>y</b>z").text, "xyz");
  EXPECT_EQ(html_to_text("<span>a </span><span> b</span>").text, "a b");
}

TEST(HtmlToText, OutlookMsoNormalParagraphs) {
  const std::string html =
      "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\">"
      "<head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">"
      "<style><!-- p.MsoNormal {margin:0cm; font-size:10.5pt;} --></style></head>"
      "<body lang=JA link=\"#0563C1\" vlink=\"#954F72\"><div class=WordSection1>\r\n"
      "<p class=MsoNormal>株式会社サンプル<o:p></o:p></p>\r\n"
      "<p class=MsoNormal>田中様<o:p></o:p></p>\r\n"
      "<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n"
      "<p class=MsoNormal>いつもお世話になっております。<o:p></o:p></p>\r\n"
      "<p class=MsoNormal><span lang=EN-US>Invoice No. 1234</span><o:p></o:p></p>\r\n"
      "</div></body></html>";
  const HtmlText result = html_to_text(html);
  EXPECT_EQ(result.text,
            "株式会社サンプル\n田中様\n\nいつもお世話になっております。\nInvoice No. 1234");
  EXPECT_TRUE(result.links.empty());  // link="#0563C1" is a colour, not a URL attribute
}

TEST(HtmlToText, JapaneseTextPreservedExactly) {
  const HtmlText result =
      html_to_text("<p>「請求書をご確認ください」</p><p>ｶﾀｶﾅ　全角スペース①</p>");
  EXPECT_EQ(result.text, "「請求書をご確認ください」\nｶﾀｶﾅ　全角スペース①");
  EXPECT_TRUE(core::is_valid_utf8(result.text));
}

TEST(HtmlToText, LinksFromAnchorsImagesFormsAndMetaRefresh) {
  const HtmlText result = html_to_text(
      "<html><head><meta http-equiv=\"refresh\" content=\"0; URL='http://refresh.example/r'\">"
      "</head><body>"
      "<a href=\"http://a.example/invoice\">請求書</a>"
      "<img src=\"http://img.example/logo.png\" alt=logo>"
      "<form action=\"https://phish.example/login\" method=post>"
      "<input name=pw type=password><button formaction=\"https://phish.example/b\">送信</button>"
      "</form>"
      "<map><area href=\"http://area.example/\"></map>"
      "</body></html>");
  EXPECT_EQ(result.links, (Links{"http://refresh.example/r", "http://a.example/invoice",
                                 "http://img.example/logo.png", "https://phish.example/login",
                                 "https://phish.example/b", "http://area.example/"}));
  EXPECT_EQ(result.text, "請求書\n送信");
}

TEST(HtmlToText, MetaRefreshVariants) {
  auto refresh = [](std::string_view content) {
    return html_to_text("<meta http-equiv=Refresh content=\"" + std::string(content) + "\">").links;
  };
  EXPECT_EQ(refresh("5; url = http://b.example/"), (Links{"http://b.example/"}));
  EXPECT_EQ(refresh("0;URL=\'http://c.example/x\'"), (Links{"http://c.example/x"}));
  EXPECT_EQ(refresh("1, http://d.example/"), (Links{"http://d.example/"}));
  EXPECT_TRUE(refresh("30").empty());
  // Not a refresh: content is not a URL.
  EXPECT_TRUE(html_to_text("<meta name=description content=\"http://no.example/\">").links.empty());
}

TEST(HtmlToText, OtherLinkAttributes) {
  const HtmlText result = html_to_text(
      "<head><base href=\"http://base.example/\"><link rel=stylesheet href=\"http://css.example/\">"
      "</head><body background=\"http://bg.example/body.png\">"
      "<table><tr><td background=\"http://bg.example/td.png\">cell</td></tr></table>"
      "<iframe src=\"http://iframe.example/\"></iframe>"
      "<embed src=\"http://embed.example/\"><object data=\"http://object.example/\"></object>"
      "<video src=\"http://video.example/\"><source src=\"http://source.example/\"></video>"
      "<audio src=\"http://audio.example/\"></audio>"
      "<input type=submit formaction=\"http://formaction.example/\">"
      "</body>");
  EXPECT_EQ(result.links,
            (Links{"http://base.example/", "http://css.example/", "http://bg.example/body.png",
                   "http://bg.example/td.png", "http://iframe.example/", "http://embed.example/",
                   "http://object.example/", "http://video.example/", "http://source.example/",
                   "http://audio.example/", "http://formaction.example/"}));
  const HtmlText frames =
      html_to_text("<frameset><frame src=\"http://frame.example/\"></frameset>");
  EXPECT_EQ(frames.links, (Links{"http://frame.example/"}));
}

TEST(HtmlToText, LinkValuesTrimmedFilteredAndKept) {
  const HtmlText result = html_to_text(
      "<a href=\"  http://trim.example/  \">1</a>"
      "<a href=\"\">2</a><a href=\"   \">3</a><a href=\"#top\">4</a><a>5</a>"
      "<a href=\"javascript:alert(1)\">6</a><a href=\"mailto:sales@example.co.jp\">7</a>"
      "<img src=\"cid:image001.png@01D9\"><img src=\"data:image/gif;base64,R0lGOD\">"
      "<a href=\"ht&#x09;tp://split\n.example/\">8</a>");
  EXPECT_EQ(result.links, (Links{"http://trim.example/", "javascript:alert(1)",
                                 "mailto:sales@example.co.jp", "cid:image001.png@01D9",
                                 "data:image/gif;base64,R0lGOD", "http://split.example/"}));
}

TEST(HtmlToText, LongLinkTruncatedOnCharacterBoundary) {
  // 3-byte characters: 2,048 is not a multiple of 3, so the cut must step back.
  const std::string long_url = "http://x.example/?q=" + repeat("あ", 1000);
  const HtmlText result = html_to_text("<a href=\"" + long_url + "\">x</a>");
  ASSERT_EQ(result.links.size(), 1u);
  EXPECT_LE(result.links[0].size(), 2048u);
  EXPECT_GT(result.links[0].size(), 2040u);
  EXPECT_TRUE(core::is_valid_utf8(result.links[0]));
  EXPECT_TRUE(long_url.starts_with(result.links[0]));
}

TEST(HtmlToText, DuplicateLinksDeduplicatedInFirstOccurrenceOrder) {
  const HtmlText result = html_to_text(
      "<a href=\"http://b.example/\">b</a><a href=\"http://a.example/\">a</a>"
      "<img src=\"http://b.example/\"><a href=\" http://a.example/ \">a again</a>"
      "<a href=\"http://B.example/\">different case is a different string</a>");
  EXPECT_EQ(result.links, (Links{"http://b.example/", "http://a.example/", "http://B.example/"}));
}

TEST(HtmlToText, LinkCountCapped) {
  std::string html;
  for (int i = 0; i < 10'050; ++i) html += "<a href=\"http://h" + std::to_string(i) + "/\">x</a>";
  const HtmlText result = html_to_text(html);
  ASSERT_EQ(result.links.size(), 10'000u);
  EXPECT_EQ(result.links.front(), "http://h0/");
  EXPECT_EQ(result.links.back(), "http://h9999/");
}

TEST(HtmlToText, ScriptStyleAndHiddenContentDropped) {
  const HtmlText result = html_to_text(
      "<html><head><title>Title text</title><style>body { color: red; }</style>"
      "<script>var headScript = 1;</script></head><body>"
      "<p>visible</p><script type=\"text/javascript\">document.write('evil');</script>"
      "<style>.x{display:none}</style><!-- a comment -->"
      "<noscript>enable javascript</noscript>"
      "<template><p>template text</p><a href=\"http://template.example/\">t</a></template>"
      "<p>also visible</p></body></html>");
  EXPECT_EQ(result.text, "visible\nalso visible");
  for (std::string_view hidden :
       {"Title", "color", "headScript", "evil", "display", "comment", "enable", "template text"}) {
    EXPECT_EQ(result.text.find(hidden), std::string::npos) << hidden;
  }
  // Links in hidden, inert content are still worth reporting.
  EXPECT_EQ(result.links, (Links{"http://template.example/"}));
}

TEST(HtmlToText, EntitiesDecodedAsText) {
  const HtmlText result = html_to_text(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#x3042;&#12354; &copy</p>");
  EXPECT_EQ(result.text, "<script>alert(1)</script> & \"x\" ああ ©");
}

TEST(HtmlToText, NonBreakingSpaceBecomesSpace) {
  const HtmlText result = html_to_text(
      "<p>a&nbsp;b\xC2\xA0"
      "c&nbsp;&nbsp;d</p>");
  EXPECT_EQ(result.text, "a b c  d");
  EXPECT_EQ(result.text.find("\xC2\xA0"), std::string::npos);
}

TEST(HtmlToText, BrAndBlockLineBreaks) {
  EXPECT_EQ(html_to_text("a<br>b<br/>c").text, "a\nb\nc");
  EXPECT_EQ(html_to_text("a<br><br>b").text, "a\n\nb");
  // No more than two newlines in a row, however many breaks.
  EXPECT_EQ(html_to_text("a<br><br><br><br><p></p><div><br></div><br>b").text, "a\n\nb");
  EXPECT_EQ(html_to_text("<ul><li>one</li><li>two</li></ul><h1>title</h1><hr>end").text,
            "one\ntwo\ntitle\nend");
  EXPECT_EQ(html_to_text("<div>a <span>b</span> </div>  <div>c</div>").text, "a b\nc");
}

TEST(HtmlToText, TableCellsSeparated) {
  EXPECT_EQ(html_to_text("<table><tr><td>品名</td><td>数量</td></tr>"
                         "<tr><th>A</th><td>1</td></tr></table>")
                .text,
            "品名 数量\nA 1");
}

TEST(HtmlToText, PreKeepsWhiteSpace) {
  const HtmlText result = html_to_text("<p>x</p><pre>a   b\n    c\t d   \n\n\n\ne</pre>y  z");
  EXPECT_EQ(result.text, "x\na   b\n    c\t d\n\ne\ny z");
}

TEST(HtmlToText, MalformedHtml) {
  EXPECT_EQ(html_to_text("<div><p>one<p>two<b>bold<i>both</div>three").text,
            "one\ntwoboldboth\nthree");
  // An unfinished tag at end of input is dropped by the parser, not an error.
  const HtmlText eof = html_to_text("before <a href=x");
  EXPECT_EQ(eof.text, "before");
  EXPECT_NO_FATAL_FAILURE(html_to_text("<a href=\"unterminated"));
  EXPECT_NO_FATAL_FAILURE(html_to_text("<!-- never closed <p>hidden"));
  EXPECT_NO_FATAL_FAILURE(html_to_text("</div></div></p><//><<<>>>&#xFFFFFFFF;&#0;&bogus;"));
  const HtmlText stray = html_to_text("text</a></table></td><td>cell");
  EXPECT_NE(stray.text.find("text"), std::string::npos);
  EXPECT_NE(stray.text.find("cell"), std::string::npos);
}

TEST(HtmlToText, NulBytes) {
  const std::string html("<p>a\0b</p><a href=\"http://x\0y/\">l\0ink</a>\0", 38);
  ASSERT_EQ(html.size(), 38u);
  const HtmlText result = html_to_text(html);
  EXPECT_EQ(result.text.find('\0'), std::string::npos);
  EXPECT_NE(result.text.find('a'), std::string::npos);
  EXPECT_NE(result.text.find('b'), std::string::npos);
  ASSERT_EQ(result.links.size(), 1u);
  EXPECT_EQ(result.links[0].find('\0'), std::string::npos);
  EXPECT_TRUE(result.links[0].starts_with("http://x"));
  EXPECT_TRUE(html_to_text(std::string(100, '\0')).text.empty());
}

TEST(HtmlToText, DeeplyNestedDivsFinish) {
  constexpr std::size_t kDepth = 100'000;
  const std::string html = repeat("<div>", kDepth) + "deep <a href=\"http://deep.example/\">x</a>" +
                           repeat("</div>", kDepth) + "after";
  const HtmlText result = html_to_text(html);
  EXPECT_NE(result.text.find("deep x"), std::string::npos);
  EXPECT_TRUE(result.text.ends_with("after"));
  EXPECT_EQ(result.links, (Links{"http://deep.example/"}));
}

TEST(HtmlToText, OtherHostileNestingFinishes) {
  constexpr std::size_t kCount = 50'000;
  for (std::string_view piece :
       {"<span>", "<b>", "<font color=red>", "<a href=#>", "<table><tr><td>", "<ul><li>",
        "<span><div></span>", "<div><table><td></div>", "<svg><g>", "<x-unknown>", "<p><b id=1>",
        "<object>", "<select><option>", "<li><ul></li>", "<optgroup>", "<frameset>"}) {
    const HtmlText result = html_to_text(repeat(piece, kCount) + "end");
    // A frameset document has no body text at all; the others keep theirs.
    if (piece != "<frameset>") {
      EXPECT_NE(result.text.find("end"), std::string::npos) << piece;
    }
  }
}

TEST(HtmlToText, NestingCappedInShortDocuments) {
  // Few enough tags for the tree-shaped parse, deeper than the nesting cap.
  const std::string html = repeat("<div><span>", 3'000) +
                           "deep <a href=\"http://deep.example/\">x</a>" +
                           repeat("</span></div>", 3'000) + "<p>after</p>";
  const HtmlText result = html_to_text(html);
  EXPECT_EQ(result.text, "deep x\nafter");
  EXPECT_EQ(result.links, (Links{"http://deep.example/"}));
}

TEST(HtmlToText, FormattingElementsDoNotChangeText) {
  EXPECT_EQ(html_to_text("<p>a <b>bold <i>both</b> italic</i> c</p>").text, "a bold both italic c");
  EXPECT_EQ(html_to_text("<a href=\"http://x/\"><div>block in link</div></a>tail").text,
            "block in link\ntail");
}

TEST(HtmlToText, SvgDocumentsStillGiveLinesCellsAndLinks) {
  // SVG switches to the flat parse; lines, cells and links survive it.
  const HtmlText result = html_to_text(
      "<svg><circle r=1/><a href=\"http://svg.example/\"><text>t</text></a></svg>"
      "<div>one<div>two <a href=\"http://x.example/\">link</a></div>three</div>"
      "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table><ul><li>i1<li>i2</ul>"
      "<p>end<br>x</p>");
  EXPECT_EQ(result.text, "t\none\ntwo link\nthree\na b\nc\ni1\ni2\nend\nx");
  EXPECT_EQ(result.links, (Links{"http://svg.example/", "http://x.example/"}));
}

TEST(HtmlToText, StartTagBudget) {
  const std::string html = "<a href=\"http://early.example/\">e</a>" + repeat("<i>", 300'000) +
                           "<a href=\"http://late.example/\">l</a>";
  EXPECT_EQ(html_to_text(html).links, (Links{"http://early.example/"}));
}

TEST(HtmlToText, OutputTextCapped) {
  // 5 MiB of 3-byte characters in 1 KiB text nodes: the cut must land on a character boundary.
  const std::string chunk = "<span>" + repeat("あ", 341) + "</span>";
  const HtmlText result = html_to_text(repeat(chunk, 5 * 1024));
  EXPECT_LE(result.text.size(), std::size_t{4} << 20);
  EXPECT_GT(result.text.size(), (std::size_t{4} << 20) - 16);
  EXPECT_TRUE(core::is_valid_utf8(result.text));
}

TEST(HtmlToText, InputBeyondEightMiBIgnored) {
  const std::string html = "<a href=\"http://early.example/\">e</a><!--" +
                           std::string((std::size_t{8} << 20) + 100, 'x') +
                           "--><a href=\"http://late.example/\">l</a>";
  const HtmlText result = html_to_text(html);
  EXPECT_EQ(result.links, (Links{"http://early.example/"}));
}

}  // namespace
}  // namespace emotriage::mime
