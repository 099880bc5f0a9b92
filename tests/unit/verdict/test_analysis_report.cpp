// The analyze renderers: the JSON contract's fields, and text that mail cannot forge or colour.
#include <gtest/gtest.h>

#include "report/analysis_report.hpp"

namespace emotriage::report {
namespace {

verdict::Analysis sample_analysis() {
  verdict::Analysis a;
  a.message.locator = "mail/1.eml";
  a.message.envelope.subject = "RE: 請求書の件\x1b[2J";
  a.message.envelope.message_id = "<1@other.example>";
  a.message.envelope.date = "2026-01-05T09:12:00+09:00";
  a.message.envelope.from.push_back({"山田 太郎", "xyz@other.example"});
  a.evidence.from = a.message.envelope.from.front();
  a.evidence.employees_referenced.push_back(
      {0, "山田 太郎", "t.yamada@sample-shoji.example", {"display-name", "quoted-thread"}});
  a.evidence.urls.push_back({"http://bad.example/a.doc", "text", true});
  a.evidence.findings.push_back({"sender.display-name-mismatch", core::Severity::high,
                                 "表示名は社員", "display name is an employee",
                                 "From: \"山田 太郎\" <xyz@other.example>\nForged: line", ""});
  core::Attachment zip;
  zip.part = "2";
  zip.path = zip.filename = "請求書.zip";
  zip.detected_type = "zip";
  zip.encrypted = true;
  zip.password_found = "Ab12";
  core::Attachment doc;
  doc.filename = "請求書.doc";
  doc.path = "請求書.zip/請求書.doc";
  doc.detected_type = "ole";
  doc.macros = doc.autoexec = true;
  zip.children.push_back(doc);
  a.inspection.attachments.push_back(zip);
  a.verdict.scenario = verdict::Scenario::identity_misused_external;
  a.verdict.score = 87;
  a.verdict.suspicious = a.verdict.emotet_like = true;
  a.verdict.summary_ja = "社外のアドレス xyz@other.example から…";
  a.verdict.summary_en = "Emotet-style mail from xyz@other.example…";
  a.verdict.actions.push_back({6, "contact-sender-owner", "xyz@other.example", "連絡", "contact"});
  return a;
}

TEST(AnalysisReport, JsonCarriesTheContractFields) {
  auto json = analysis_to_json(sample_analysis(), Lang::en);
  EXPECT_EQ(json["source"], "mail/1.eml");
  EXPECT_EQ(json["message_id"], "<1@other.example>");
  EXPECT_EQ(json["from"]["display_name"], "山田 太郎");
  EXPECT_EQ(json["from"]["address"], "xyz@other.example");
  EXPECT_EQ(json["verdict"]["scenario"], "identity-misused-external");
  EXPECT_EQ(json["verdict"]["score"], 87);
  EXPECT_EQ(json["verdict"]["emotet_like"], true);
  EXPECT_EQ(json["findings"][0]["id"], "sender.display-name-mismatch");
  EXPECT_EQ(json["findings"][0]["message"], "display name is an employee");
  EXPECT_EQ(json["employees_referenced"][0]["where"][1], "quoted-thread");
  EXPECT_EQ(json["attachments"][0]["password_found"], "Ab12");
  EXPECT_EQ(json["attachments"][0]["children"][0]["detected_type"], "ole");
  EXPECT_EQ(json["attachments"][0]["children"][0]["autoexec"], true);
  EXPECT_EQ(json["urls"][0], "http://bad.example/a.doc");
  EXPECT_EQ(json["actions"][0]["step"], 6);
  EXPECT_EQ(json["actions"][0]["kind"], "contact-sender-owner");
  EXPECT_EQ(json["actions"][0]["target"], "xyz@other.example");
  EXPECT_EQ(analysis_to_json(sample_analysis(), Lang::ja)["findings"][0]["message"],
            "表示名は社員");
}

TEST(AnalysisReport, TextPutsTheVerdictFirstAndCannotBeForged) {
  for (Lang lang : {Lang::ja, Lang::en}) {
    std::string text = analysis_text(sample_analysis(), {lang, false});
    auto verdict_at = text.find(lang == Lang::ja ? "判定: " : "Verdict: ");
    auto evidence_at = text.find(lang == Lang::ja ? "根拠" : "Evidence");
    auto steps_at = text.find(lang == Lang::ja ? "対応手順" : "What to do");
    ASSERT_NE(verdict_at, std::string::npos);
    ASSERT_NE(evidence_at, std::string::npos);
    ASSERT_NE(steps_at, std::string::npos);
    EXPECT_LT(verdict_at, evidence_at);
    EXPECT_LT(evidence_at, steps_at);
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << "no escape from the mail, no colour asked";
    EXPECT_EQ(text.find("\nForged: line"), std::string::npos);
    EXPECT_NE(text.find("請求書.zip"), std::string::npos);
  }
  std::string coloured = analysis_text(sample_analysis(), {Lang::en, true});
  EXPECT_NE(coloured.find("\x1b[31m"), std::string::npos);
  EXPECT_EQ(coloured.find("\x1b[2J"), std::string::npos);
}

}  // namespace
}  // namespace emotriage::report
