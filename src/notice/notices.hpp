// Writing the notices of a case (step ⑥ letters and abuse reports, ⑦ website notice, the staff
// alert and the partner advisory) from a saved analysis and the profile. docs/notices.md.
#pragma once
#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "profile/profile.hpp"
#include "report/lang.hpp"

namespace emotriage::notice {

struct NoticeOptions {
  std::vector<report::Lang> langs{report::Lang::ja};
  // --templates DIR: <DIR>/<lang>/<name>.mustache replaces that one built-in template.
  std::string user_templates;
  // A folder replacing the built-in templates compiled into the program ($EMOTRIAGE_TEMPLATES);
  // empty: the compiled-in copies of templates/.
  std::string builtin_templates;
  std::string date;      // RFC 3339 time of the drafts: the caller's clock, injected
  std::string staff_to;  // recipient of the staff alert; empty: the profile's contact address
};

struct NoticeFile {
  std::string name;  // safe file name: [a-z0-9.-], no mail-derived text but a sanitised domain
  std::string bytes;
};

struct NoticeError {
  std::string source;  // the template (or option) at fault
  std::string message_ja, message_en;
};

// Every notice of the case in every requested language, in a stable order.
std::expected<std::vector<NoticeFile>, NoticeError> render_notices(
    const nlohmann::ordered_json& analysis, const profile::Profile& profile,
    const NoticeOptions& options);

// The kinds of notice render_notices writes; each file's name starts with its kind
// ("website-notice.ja.txt", "sender-letter-01-example.com.en.eml").
const std::vector<std::string>& notice_kinds();

// The names of the templates a user may override (e.g. "website.html"), without ".mustache".
const std::vector<std::string>& template_names();

}  // namespace emotriage::notice
