// `--extract DIR`: inspected objects written to a quarantine folder on request, never
// otherwise. Files get generated names (<sha256>.quarantine, no name from the mail, mode 0600,
// created with O_EXCL and O_NOFOLLOW) and manifest.jsonl records where each came from.
#pragma once
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inspect/inspect.hpp"

namespace emotriage::inspect {

class Extractor {
 public:
  // Creates `directory` (mode 0700) when missing and opens its manifest for appending. The
  // error text names the path and the system error.
  static std::expected<Extractor, std::string> open(const std::string& directory);

  // A hook for Options::scan that writes every object of one message (its locator goes into the
  // manifest). Hooks may run on several threads at once; they share this extractor's state,
  // which lives as long as any hook or the extractor.
  ScanHook hook(std::string message_locator) const;

  // Writes one object now (what a hook does). Objects already written (same content) are not
  // written again; the manifest still gets a line.
  void write(std::string_view message_locator, std::string_view bytes,
             const core::Attachment& node) const;

  // Write failures so far (disk full, permissions), for the caller to report once.
  std::vector<std::string> errors() const;

 private:
  struct State;
  explicit Extractor(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

}  // namespace emotriage::inspect
