// A case for people and programs: the checklist (`case show`), the list of cases, the JSON export
// and the incident report for management or an insurer (Markdown, or self-contained HTML).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cases/store.hpp"
#include "report/lang.hpp"

namespace emotriage::cases {

// Items are numbered from 1 in checklist order; the number addresses an item like its key.
// Returns the index into `items`, or -1.
int find_item(const std::vector<Item>& items, const std::string& key_or_number);

std::string list_text(const std::vector<CaseSummary>& cases, report::Lang lang);
nlohmann::ordered_json list_json(const std::vector<CaseSummary>& cases);

std::string case_text(const CaseData& data, report::Lang lang);
// The checklist and counts; `full` adds the messages (with their analyses) and the timeline.
nlohmann::ordered_json case_json(const CaseData& data, report::Lang lang, bool full);

std::string report_markdown(const CaseData& data, report::Lang lang);
std::string report_html(const CaseData& data, report::Lang lang);

}  // namespace emotriage::cases
