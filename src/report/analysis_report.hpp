// `emotriage analyze` output: per message the verdict first, then the evidence, then the steps;
// and the campaign view over a batch. JSON follows the contract of DESIGN.md
// (docs/report-schema.md); text is for a person and may be coloured.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/attachment.hpp"
#include "logs/logs.hpp"
#include "report/lang.hpp"
#include "verdict/analysis.hpp"

namespace emotriage::report {

struct TextOptions {
  Lang lang = Lang::ja;
  bool color = false;  // ANSI colours (a terminal, and NO_COLOR unset)
};

std::string_view scenario_label(verdict::Scenario scenario, Lang lang);

nlohmann::ordered_json attachment_to_json(const core::Attachment& node);
// The attachment trees as indented text lines (shared by `parse` and `analyze`).
std::string attachments_text(const std::vector<core::Attachment>& attachments, Lang lang);
nlohmann::ordered_json analysis_to_json(const verdict::Analysis& analysis, Lang lang);
std::string analysis_text(const verdict::Analysis& analysis, const TextOptions& options);

// What a batch adds up to: which of our accounts to reset, whom to contact, whose names are used.
class Campaign {
 public:
  void add(const verdict::Analysis& analysis);
  // `analyze --logs`: accounts the mail-server logs flag as mass-sending join the accounts to
  // reset (step ⑤) even when no sample mail of theirs was given.
  void add_logs(const logs::LogReport& report);
  nlohmann::ordered_json to_json() const;
  std::string text(const TextOptions& options) const;
  std::size_t suspicious() const { return suspicious_; }
  // Something to act on: a suspicious mail or a mass-sending account in the logs (exit status 1).
  bool needs_action() const { return suspicious_ > 0 || !mass_sending_.empty(); }

 private:
  struct Count {
    std::string key;
    std::size_t messages = 0;
  };
  static void bump(std::vector<Count>& list, const std::string& key);

  std::size_t messages_ = 0;
  std::size_t suspicious_ = 0;
  std::size_t emotet_like_ = 0;
  std::vector<Count> scenarios_;
  std::vector<Count> accounts_to_reset_;
  std::vector<Count> senders_to_contact_;
  std::vector<Count> employees_impersonated_;
  std::vector<Count> check_pcs_first_;
  struct LogAccount {
    std::string account, employee;
    std::uint64_t messages = 0;
    std::vector<std::string> reasons;
  };
  std::vector<LogAccount> mass_sending_;
  bool logs_given_ = false;
  std::string first_seen_, last_seen_;
};

}  // namespace emotriage::report
