// One message analysed end to end: parse → evidence → attachment inspection (with YARA/IOC) →
// verdict. Pure and thread-safe: the context is read-only and shared by every worker.
#pragma once
#include "core/limits.hpp"
#include "ingest/source.hpp"
#include "inspect/extract.hpp"
#include "inspect/inspect.hpp"
#include "intel/intel.hpp"
#include "profile/matcher.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::app {

struct AnalysisContext {
  const profile::Matcher* matcher = nullptr;      // required
  const intel::YaraRules* yara = nullptr;         // optional
  const intel::IocSet* ioc = nullptr;             // optional
  const inspect::Extractor* extractor = nullptr;  // --extract DIR, optional
  // `parse`: inspect the attachments (with YARA/IOC) but judge nothing: no evidence, no verdict,
  // attached mails stay inside the dump of their carrier. No matcher needed.
  bool inspect_only = false;
};

verdict::Analysis analyze_message(core::Message&& message, const AnalysisContext& context,
                                  const core::Limits& limits);

}  // namespace emotriage::app
