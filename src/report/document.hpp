// `analyze --format md|html`: the report as a document. Per message the verdict first, then the
// findings, the attachment tree, the employees referenced and the actions; at the end the campaign
// summary with a timeline and inline-SVG charts of mails per day and per technique.
// HTML is one self-contained file (no script, no external resource, a strict CSP meta) that is
// also well-formed XML; every mail-derived string is escaped (docs/reports.md).
#pragma once
#include <memory>
#include <string>

#include "report/campaign.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::report {

enum class DocumentFormat { markdown, html };

class DocumentMarkup;  // the syntax (document.cpp)

class DocumentWriter {
 public:
  DocumentWriter(DocumentFormat format, Lang lang);
  ~DocumentWriter();

  std::string begin() const;
  // One mail: in full, or (`full` false: a mail with nothing suspicious) as one line.
  std::string message(const verdict::Analysis& analysis, bool full);
  std::string end(const CampaignSummary& campaign) const;

 private:
  std::unique_ptr<DocumentMarkup> markup_;
  Lang lang_;
  std::size_t messages_ = 0;  // numbers the sections (anchors m1, m2, ...)
};

}  // namespace emotriage::report
