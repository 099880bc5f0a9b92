// The analyses of the web UI: uploads analysed in memory into the JSON of `analyze --format json`
// (DESIGN.md), campaign included, and uploaded mail-server logs. Nothing is written anywhere.
#pragma once
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/analyze.hpp"
#include "core/limits.hpp"
#include "intel/intel.hpp"
#include "logs/logs.hpp"
#include "profile/matcher.hpp"
#include "report/abuse_contacts.hpp"
#include "report/lang.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::web {

// One uploaded file or pasted source: an .eml, an Outlook .msg, an mbox or a PST/OST, sniffed by
// content like a file given to `analyze`; or a mail-server log.
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

struct AnalyzeHooks {
  // Each mail as read (attached mails inside it), with its bytes in message.raw: the ledger.
  std::function<void(const verdict::Analysis&)> each;
  // Mail-server logs whose mass-sending accounts join the campaign (`analyze --logs`).
  const logs::LogReport* logs = nullptr;
};

// Shared by every request thread: analysis only reads it. A new profile makes a new Analyzer
// (with_profile) that shares the rules.
class Analyzer {
 public:
  explicit Analyzer(AnalyzerSetup setup);
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  nlohmann::ordered_json analyze(const std::vector<Upload>& uploads, report::Lang lang,
                                 const AnalyzeHooks& hooks = {}) const;
  // Calls its argument once per upload; the upload may be dropped after the call.
  using UploadSource = std::function<void(const std::function<void(const Upload&)>&)>;
  // Only the campaign (English) across the uploads `source` gives one at a time: a case's view of
  // a whole imported mailbox holds one mail at a time, not all of them with their reports.
  nlohmann::ordered_json campaign(const UploadSource& source, const AnalyzeHooks& hooks) const;
  // `emotriage logs` over uploaded files (plain or gzip; a rotated set ordered by name).
  std::expected<logs::LogReport, std::string> analyze_logs(
      const std::vector<Upload>& uploads) const;

  const profile::Profile& profile() const { return matcher_.profile(); }
  // Distinct for every Analyzer of the process (caches of its results key on it).
  std::uint64_t id() const { return id_; }
  std::unique_ptr<Analyzer> with_profile(profile::Profile profile) const;

 private:
  // The analyses behind analyze() and campaign(); each message's report is kept only when
  // `keep_messages`.
  nlohmann::ordered_json run(const UploadSource& source, report::Lang lang,
                             const AnalyzeHooks& hooks, bool keep_messages) const;
  struct Shared {
    std::optional<intel::YaraRules> yara;
    std::optional<report::AbuseContacts> contacts;
    core::Limits limits;
  };
  Analyzer(profile::Profile profile, std::shared_ptr<const Shared> shared);

  profile::Matcher matcher_;
  std::shared_ptr<const Shared> shared_;
  app::AnalysisContext context_;
  std::uint64_t id_;
};

}  // namespace emotriage::web
