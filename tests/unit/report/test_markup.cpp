// Escaping for the Markdown and HTML reports, and the documents' invariants.
#include <gtest/gtest.h>

#include "report/document.hpp"
#include "report/markup.hpp"

namespace emotriage::report {
namespace {

TEST(Markup, HtmlEscapesTextAndBothQuotes) {
  EXPECT_EQ(html_escape(R"(<a href="x" title='y'>&amp;</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  EXPECT_EQ(html_text("a\r\nb\xE2\x80\xAE"), "a\\r\\nb\\u202e");
}

TEST(Markup, MarkdownEscapesEveryPunctuationAndBreaksMailAutolinks) {
  EXPECT_EQ(md_text("[x](javascript:y)"), "\\[x\\]\\(javascript\\:y\\)");
  EXPECT_EQ(md_text("# h\n- l"), "\\# h\\\\n\\- l");
  EXPECT_EQ(md_text("a@b.example"), "a\\@\u2060b\\.example");
  EXPECT_EQ(md_text("日本語"), "日本語");
}

TEST(Markup, MarkdownCodeSpanFenceOutgrowsTheContent) {
  EXPECT_EQ(md_code("a"), "` a `");
  EXPECT_EQ(md_code("x ``` y"), "```` x ``` y ````");
  EXPECT_EQ(md_code("`"), "`` ` ``");
}

verdict::Analysis hostile() {
  verdict::Analysis a;
  a.message.locator = "m.eml";
  a.message.envelope.subject = "<script>x</script>\"><svg onload=y>";
  a.message.envelope.from.push_back({"<img src=x onerror=z>", "a@b.example"});
  a.verdict.suspicious = true;
  a.verdict.scenario = verdict::Scenario::external_malspam;
  core::Attachment node;
  node.part = "2";
  node.filename = "<b>.exe";
  a.inspection.attachments.push_back(node);
  return a;
}

TEST(Document, HtmlCarriesNoTagFromTheMail) {
  DocumentWriter writer(DocumentFormat::html, Lang::en);
  std::string out = writer.begin() + writer.message(hostile(), true);
  Campaign campaign;
  campaign.add(hostile());
  out += writer.end(campaign.summary());
  EXPECT_EQ(out.find("<script"), std::string::npos);
  EXPECT_EQ(out.find("<img"), std::string::npos);
  EXPECT_EQ(out.find("<svg onload"), std::string::npos);
  EXPECT_EQ(out.find("<b>"), std::string::npos);
  EXPECT_NE(out.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(out.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(out.find("</html>"), std::string::npos);
}

TEST(Document, VerdictComesBeforeFindingsAndActions) {
  auto a = hostile();
  a.evidence.findings.push_back({"sender.freemail", core::Severity::low, "", "", "", ""});
  a.verdict.actions.push_back({1, "keep-evidence", "m.eml", "保存", "keep it"});
  for (auto format : {DocumentFormat::markdown, DocumentFormat::html}) {
    DocumentWriter writer(format, Lang::en);
    std::string out = writer.message(a, true);
    auto verdict_at = out.find("Verdict");
    auto findings_at = out.find("Evidence");
    auto attachments_at = out.find("Attachments");
    auto actions_at = out.find("What to do");
    ASSERT_NE(actions_at, std::string::npos);
    EXPECT_LT(verdict_at, findings_at);
    EXPECT_LT(findings_at, attachments_at);
    EXPECT_LT(attachments_at, actions_at);
  }
}

}  // namespace
}  // namespace emotriage::report
