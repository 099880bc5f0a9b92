// The case ledger of the web UI (`serve --db`): uploads into a named case (as `analyze --case`),
// the list of cases, a case's page (checklist, timeline, campaign across its mails and logs),
// ticking items, the case's notices (as `emotriage notice`) and logs uploads (as `analyze
// --logs`). Every call opens the ledger anew: a Store serves one thread, requests run on many.
#pragma once
#include <cstdint>
#include <expected>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/store.hpp"
#include "notice/notices.hpp"
#include "report/lang.hpp"
#include "web/analyzer.hpp"

namespace emotriage::web {

// What a route answers: a status and a JSON body.
struct Answer {
  int status = 200;
  nlohmann::ordered_json body;
};

// A refusal: a machine code and both languages; the page shows the one it speaks.
Answer refusal(int status, std::string_view code, std::string_view ja, std::string_view en);

// The server's clock as RFC 3339 UTC ("2026-01-05T09:12:00Z"); EMOTRIAGE_NOW replaces it (tests).
std::string server_time();

// The date of the case's notices: server_time() in the local time zone with its offset, as
// `emotriage notice` dates them (between 00:00 and 09:00 in Japan, the UTC date is yesterday's).
std::string notice_time();

// The title of a notice for a person, by the kind its file stem starts with
// ("sender-letter-01-example.com" -> "⑥ 送信元への連絡 (01-example.com)"); the stem itself when
// the kind is unknown.
std::string notice_title(std::string_view stem, report::Lang lang);

// A case name the API accepts: 1 to 100 bytes of UTF-8 without "/" or control characters.
bool valid_case_name(std::string_view name);

// A notice file name as notice::render_notices makes them ([a-z0-9.-], no leading dot).
bool valid_notice_name(std::string_view name);

class CaseApi {
 public:
  explicit CaseApi(std::string db_path) : db_path_(std::move(db_path)) {}

  // Opens (creating or migrating) the ledger; the error says why not.
  std::expected<void, std::string> open_ledger() const;

  Answer list() const;
  // Analyses the uploads and stores each mail into the case (created when new); the answer is
  // the analysis JSON with "case" and how many mails were stored or already there.
  Answer upload(const std::string& name, const std::vector<Upload>& uploads,
                const Analyzer& analyzer, report::Lang lang) const;
  Answer page(const std::string& name, const Analyzer& analyzer, report::Lang lang) const;
  // {"key", "status": todo|done|skipped|not-needed, "who", "note"}; the time is the server's.
  Answer set_item(const std::string& name, const nlohmann::json& change) const;
  // The case's notices in `lang`: [{"name", "kind", "title", "body", "files"}] (.txt bodies).
  Answer notices(const std::string& name, const Analyzer& analyzer, report::Lang lang) const;
  // One notice file (any language) for download; nullopt with `refused` set when it cannot.
  std::optional<notice::NoticeFile> notice_file(const std::string& name,
                                                const std::string& file_name,
                                                const Analyzer& analyzer, Answer& refused) const;
  // Analyses uploaded logs; with a case, its flagged accounts join the case.
  Answer logs(const std::string& name, const std::vector<Upload>& uploads, const Analyzer& analyzer,
              report::Lang lang) const;

 private:
  struct Opened;
  std::optional<Opened> open_case(const std::string& name, Answer& refused) const;
  // The campaign across the case's mails (re-read from their originals) and its logs.
  std::expected<nlohmann::ordered_json, Answer> campaign(cases::Store& store,
                                                         const cases::CaseData& data,
                                                         const Analyzer& analyzer) const;
  std::expected<std::vector<notice::NoticeFile>, Answer> render_notices(
      const std::string& name, const Analyzer& analyzer, std::vector<report::Lang> langs) const;

  std::string db_path_;
  // Re-reading every original per page view is costly: the campaign is kept while the case's
  // mails and logs and the analyzer (profile) are the same.
  struct CachedCampaign {
    std::size_t messages = 0, log_accounts = 0;
    std::uint64_t analyzer = 0;  // Analyzer::id
    nlohmann::ordered_json campaign;
  };
  mutable std::mutex cache_mutex_;
  mutable std::map<std::string, CachedCampaign> cache_;
};

}  // namespace emotriage::web
