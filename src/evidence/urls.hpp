// URLs in mail text and HTML links, and whether one leads to a download. Emotet's 2019 wave and
// later link-only mails carried no attachment, only a link to the Word/ZIP file (reference 1.1,
// E25/E26). Nothing here resolves or fetches anything.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::evidence {

// http/https/ftp/hxxp/hxxps URLs and "www." hosts in a text, in order, each once. A URL ends at
// white space, at any non-ASCII character (Japanese punctuation and brackets) and at <>"'`{}|\^;
// trailing '.', ',', ')', ']' and the like are trimmed. At most kMaxUrls, each ≤ kMaxUrlBytes.
std::vector<std::string> extract_urls(std::string_view text);

inline constexpr std::size_t kMaxUrls = 500;
inline constexpr std::size_t kMaxUrlBytes = 2048;

struct UrlParts {
  std::string scheme;  // lower case; "http" for a bare "www." URL
  std::string host;    // lower case, without userinfo, port and IPv6 brackets
  std::string path;    // percent-decoded, without query and fragment
  std::string query;
};
UrlParts split_url(std::string_view url);

// Why a URL looks like a download ("extension .zip", "file-sharing host dropbox.com", "IP
// address host"); empty when it does not. A PDF path gives "extension .pdf" (weaker; see
// is_weak_download_reason).
std::string download_reason(std::string_view url);
bool is_weak_download_reason(std::string_view reason);

}  // namespace emotriage::evidence
