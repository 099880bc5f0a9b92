// `emotriage parse`: the forensic dump of a parsed message, as JSON (for tools) and text (for a
// person). Deterministic: the same message gives the same bytes.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/message.hpp"
#include "inspect/inspect.hpp"
#include "report/lang.hpp"

namespace emotriage::report {

struct DumpOptions {
  Lang lang = Lang::ja;
  std::size_t excerpt_chars = 400;  // text excerpt per text part, in bytes of UTF-8
};

nlohmann::ordered_json finding_to_json(const core::Finding& finding, Lang lang);
nlohmann::ordered_json mailbox_to_json(const core::Mailbox& mailbox);
// With `inspection`, the dump adds the attachment trees and the inspection's findings.
nlohmann::ordered_json message_dump_json(const core::Message& message, const DumpOptions& options,
                                         const inspect::Result* inspection = nullptr);
std::string message_dump_text(const core::Message& message, const DumpOptions& options,
                              const inspect::Result* inspection = nullptr);

}  // namespace emotriage::report
