// Attachment inspection: every attachment of a parsed message, recursively through archives,
// attached messages and embedded objects, inspected in memory and never executed or written.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.hpp"
#include "core/finding.hpp"
#include "core/limits.hpp"
#include "core/message.hpp"

namespace emotriage::inspect {

// Called once for every object inspected (attachment, archive member, embedded file) with its
// bytes (possibly only the head of a streamed, padded member): YARA and IOC matching plug in here.
using ScanHook = std::function<void(std::string_view bytes, const core::Attachment& node,
                                    std::vector<core::Finding>& findings)>;

struct Options {
  core::Limits limits;
  std::vector<std::string> passwords;  // candidates from the message text, tried in this order
  ScanHook scan;                       // optional
};

struct Result {
  std::vector<core::Attachment> attachments;  // one tree per attachment part, in part order
  std::vector<core::Finding> findings;
};

// Content type of a byte string (libmagic plus the project's checks); `name` only breaks ties
// between formats that share a container (zip → docx/xlsm/...).
std::string detect_type(std::string_view bytes, std::string_view name);

Result inspect_message(const core::Message& message, const Options& options);

// Inspects one file's bytes as if it were an attachment (for tests, fuzzing and `parse FILE`).
Result inspect_bytes(std::string_view bytes, std::string_view filename, const Options& options);

}  // namespace emotriage::inspect
