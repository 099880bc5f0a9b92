// `emotriage analyze` output: per message the verdict first, then the evidence, then the steps;
// and the campaign view over a batch. JSON follows the contract of DESIGN.md
// (docs/report-schema.md); text is for a person and may be coloured.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/attachment.hpp"
#include "report/lang.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::report {

struct TextOptions {
  Lang lang = Lang::ja;
  bool color = false;  // ANSI colours (a terminal, and NO_COLOR unset)
};

std::string_view scenario_label(verdict::Scenario scenario, Lang lang);
// Stable id of where a mail came from: own-server-authenticated, own-server, external, unknown.
std::string_view origin_id(evidence::Origin origin);
std::string_view origin_label(evidence::Origin origin, Lang lang);
std::string_view step_label(int step, Lang lang);
// Every URL of the mail and its attachments, de-duplicated, in order.
std::vector<std::string> all_urls(const verdict::Analysis& analysis);
// Every finding, the most severe first.
std::vector<const core::Finding*> findings_by_severity(const verdict::Analysis& analysis);

nlohmann::ordered_json attachment_to_json(const core::Attachment& node);
// One attachment node on one line: name, type, size, encryption, password, macros, hash.
std::string attachment_line(const core::Attachment& node, Lang lang);
// The attachment trees as indented text lines (shared by `parse` and `analyze`).
std::string attachments_text(const std::vector<core::Attachment>& attachments, Lang lang);
nlohmann::ordered_json analysis_to_json(const verdict::Analysis& analysis, Lang lang);
std::string analysis_text(const verdict::Analysis& analysis, const TextOptions& options);

}  // namespace emotriage::report
