// The case ledger's storage: cases, the original mails (compressed, by SHA-256), their analyses,
// the checklist items and the timeline. Callers see only these value types; the SQL stays inside
// the implementation, so that a PostgreSQL store can take SQLite's place (DESIGN.md growth path).
// Every write is one transaction: a killed process loses at most the write in flight, and several
// processes may write the same case at once.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace emotriage::cases {

enum class Status { todo, done, skipped, not_needed };
std::string_view to_string(Status status);  // "todo", "done", "skipped", "not-needed"
std::optional<Status> status_from(std::string_view text);

// A checklist item to create if the case does not have it yet (creation is idempotent).
struct ItemSpec {
  std::string key;     // stable address: "reset-mailbox:t.yamada@sample-shoji.example"
  std::string kind;    // "reset-mailbox"
  std::string target;  // "t.yamada@sample-shoji.example"; empty for case-wide items
  int rank = 0;        // position of its kind in the procedure; items sort by rank, then age
  Status status = Status::todo;
  std::string who;  // for an item created already done (by emotriage itself)
};

// One analysed mail: the mail as read, or a mail attached to it.
struct NewAnalysis {
  std::string part;  // "" for the mail itself, the MIME path of an attached mail ("2")
  std::string locator;
  std::string analysis_ja, analysis_en;  // report::analysis_to_json, the contract
  std::string campaign_json;             // report::Campaign over this mail alone
  std::string scenario, date, from_address, subject;
  int score = 0;
  bool suspicious = false;
};

// One mail as read, with what it adds to the checklist.
struct NewMail {
  std::string raw;     // the original bytes
  std::string sha256;  // of `raw`; the store checks it
  std::vector<NewAnalysis> analyses;
  std::vector<ItemSpec> items;
};

enum class Added { stored, seen_again };

struct Sighting {
  std::string locator, at;
};

struct StoredMessage {
  std::string sha256, part, added_at, scenario, date, from_address, subject;
  std::uint64_t size = 0;
  int score = 0;
  bool suspicious = false;
  std::string analysis_ja, analysis_en, campaign_json;
  std::vector<Sighting> sightings;  // first sighting first
};

struct Item {
  std::string key, kind, target;
  int rank = 0;
  Status status = Status::todo;
  std::string who, at, note;
};

// The timeline: what people (and emotriage) did, in the order it was recorded.
struct Event {
  std::string at, kind;  // kind: "item" (a status change) or "note"
  std::string item_key, status, who, text;
};

struct CaseSummary {
  std::string name, created_at;
  std::uint64_t mails = 0;     // as read
  std::uint64_t messages = 0;  // analysed: the mails and the mails attached to them
  std::uint64_t suspicious = 0, items = 0, items_open = 0;
};

// An account mail-server logs flagged as mass-sending (a logs upload into the case): it joins
// the case's campaign as an account to reset, like `analyze --logs`.
struct LogAccount {
  std::string source;  // the log file's name
  std::string account, employee;
  std::uint64_t messages = 0;
  std::vector<std::string> reasons;  // logs::reason_id
  std::string added_at;
};

struct CaseData {
  std::string name, created_at;
  std::vector<StoredMessage> messages;  // in the order they were stored
  std::vector<Item> items;              // checklist order
  std::vector<Event> events;
  std::vector<LogAccount> log_accounts;  // in the order they were stored

  // Checklist items still to do.
  std::size_t open_items() const {
    return static_cast<std::size_t>(std::ranges::count(items, Status::todo, &Item::status));
  }
};

class Store {
 public:
  virtual ~Store() = default;
  // Creates the case (with `items`) unless it exists; creates missing items either way.
  [[nodiscard]] virtual core::Result<void> open_case(const std::string& name,
                                                     const std::vector<ItemSpec>& items,
                                                     const std::string& at) = 0;
  // Stores a mail of the case, or records another sighting when its bytes are already there.
  [[nodiscard]] virtual core::Result<Added> add_mail(const std::string& name, const NewMail& mail,
                                                     const std::string& at) = 0;
  // `note`: nullopt keeps the item's note, "" clears it.
  [[nodiscard]] virtual core::Result<void> set_item(const std::string& name, const std::string& key,
                                                    Status status, const std::string& who,
                                                    const std::optional<std::string>& note,
                                                    const std::string& at) = 0;
  [[nodiscard]] virtual core::Result<void> add_note(const std::string& name, const std::string& who,
                                                    const std::string& text,
                                                    const std::string& at) = 0;
  // Stores what mail-server logs found (`added_at` of each is `at`) with the items they call for.
  [[nodiscard]] virtual core::Result<void> add_log_accounts(const std::string& name,
                                                            const std::vector<LogAccount>& accounts,
                                                            const std::vector<ItemSpec>& items,
                                                            const std::string& at) = 0;
  [[nodiscard]] virtual core::Result<std::vector<CaseSummary>> list_cases() = 0;
  [[nodiscard]] virtual core::Result<CaseData> load_case(const std::string& name) = 0;
  // The original bytes of a stored mail, checked against its hash.
  [[nodiscard]] virtual core::Result<std::string> original(const std::string& sha256) = 0;
};

// Opens (creating and migrating as needed) the SQLite ledger at `path`.
[[nodiscard]] core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

}  // namespace emotriage::cases
