// Everything emotriage concluded about one message: the parsed mail, the evidence read against the
// profile, the attachment inspection and the verdict. Reports, notices and the case ledger read it.
#pragma once
#include <optional>
#include <vector>

#include "core/message.hpp"
#include "evidence/evidence.hpp"
#include "inspect/inspect.hpp"
#include "verdict/verdict.hpp"

namespace emotriage::verdict {

struct Analysis {
  core::Message message;
  evidence::Evidence evidence;
  inspect::Result inspection;
  Verdict verdict;
  bool failed = false;  // parse.crashed: the analysis could not finish; the verdict is empty
  // Mails attached to this one (message/rfc822: "forward as attachment", a report sent to the IT
  // person), each analysed as a mail of its own; this analysis covers only its own parts.
  std::vector<Analysis> attached;
  // Set on a mail analysed out of a carrier (one of `attached` above): the carrier's sender.
  std::optional<core::Mailbox> forwarded_by;
};

}  // namespace emotriage::verdict
