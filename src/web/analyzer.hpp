// `POST /api/analyze`: uploads analysed in memory into the JSON of `analyze --format json`
// (DESIGN.md), campaign included. Nothing is written anywhere.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "core/limits.hpp"
#include "intel/intel.hpp"
#include "profile/matcher.hpp"
#include "report/abuse_contacts.hpp"
#include "report/lang.hpp"

namespace emotriage::web {

// One uploaded file or pasted source: an .eml, an Outlook .msg, an mbox or a PST/OST, sniffed by
// content like a file given to `analyze`.
struct Upload {
  std::string name;
  std::string bytes;
};

struct AnalyzerSetup {
  profile::Profile profile;
  std::optional<intel::YaraRules> yara;
  std::optional<report::AbuseContacts> contacts;
  core::Limits limits;
};

// Shared by every request thread: analysis only reads it.
class Analyzer {
 public:
  explicit Analyzer(AnalyzerSetup setup);
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  nlohmann::ordered_json analyze(const std::vector<Upload>& uploads, report::Lang lang) const;

 private:
  profile::Matcher matcher_;
  std::optional<intel::YaraRules> yara_;
  std::optional<report::AbuseContacts> contacts_;
  core::Limits limits_;
  app::AnalysisContext context_;
};

}  // namespace emotriage::web
