// Steps ③–⑦ as a decision: the findings of one message become an Emotet-likeness score, one of the
// scenarios of DESIGN.md, and the numbered actions an SME's IT person takes next.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/message.hpp"
#include "evidence/evidence.hpp"
#include "inspect/inspect.hpp"
#include "profile/profile.hpp"

namespace emotriage::verdict {

enum class Scenario {
  own_account_compromised,    // our address, and the mail really left our servers
  own_address_spoofed,        // our address, but the mail did not come through our servers
  identity_misused_external,  // outside address using our employees' or company's information
  external_malspam,           // Emotet-like mail from outside that uses nothing of ours
  not_suspicious
};

std::string_view to_string(Scenario scenario);  // the stable scenario id

// One thing to do, tied to a step of the procedure (DESIGN.md: 5 reset, 6 contact, 7 notice;
// 1 handling of the mail itself; 8 removal: check PCs; 9 prevention).
struct Action {
  int step = 0;
  std::string kind;    // stable: reset-password, check-logs, check-pc, contact-sender-owner, ...
  std::string target;  // account, address, domain, employee — what the action is about
  std::string text_ja;
  std::string text_en;
};

struct Verdict {
  Scenario scenario = Scenario::not_suspicious;
  int score = 0;             // 0–100 Emotet-likeness, explained by `contributions`
  bool suspicious = false;   // score reached kSuspiciousScore: exit status 1
  bool emotet_like = false;  // a payload (attachment or download link) plus enough context
  std::string summary_ja, summary_en;  // the verdict in one plain sentence
  struct Contribution {
    std::string id;
    int points = 0;
  };
  std::vector<Contribution> contributions;  // largest first; they add up to `score` before capping
  std::vector<Action> actions;
  std::vector<std::string> accounts_to_reset;   // ours, most certain first
  std::vector<std::string> check_pcs_first;     // "山田 太郎 <t.yamada@...>", partner sides
  std::vector<std::string> senders_to_contact;  // outside addresses/domains to notify
};

inline constexpr int kSuspiciousScore = 40;
inline constexpr int kEmotetLikeScore = 50;

struct Inputs {
  const core::Message& message;
  const evidence::Evidence& evidence;
  const inspect::Result& inspection;
  const profile::Profile& profile;
};

// Every finding of the message (parse, evidence, inspection) in one list, parse findings first.
std::vector<const core::Finding*> all_findings(const core::Message& message,
                                               const evidence::Evidence& evidence,
                                               const inspect::Result& inspection);

Verdict decide(const Inputs& inputs);

// One of ours forwarded the mail inline (forward.inline): decide() judges the forwarded mail, so
// its sender and Evidence::inline_forward->references stand for the mail, not the reporter's.
bool judged_by_inline_forward(const evidence::Evidence& evidence);

}  // namespace emotriage::verdict
