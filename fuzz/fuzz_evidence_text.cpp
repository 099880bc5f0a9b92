// Arbitrary text through the evidence module's text readers: passwords, subject prefixes,
// quoted threads, lure words, URLs and download links.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "evidence/evidence.hpp"
#include "evidence/text.hpp"
#include "evidence/thread.hpp"
#include "evidence/urls.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace evidence = emotriage::evidence;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t found = evidence::password_candidates(text).size();
  found += static_cast<std::size_t>(evidence::parse_subject_prefixes(text).replies);
  std::string folded = evidence::fold_width(text);
  evidence::QuotedThread thread = evidence::parse_quoted_thread(folded);
  if (thread.found && thread.start >= folded.size()) __builtin_trap();
  found += evidence::lure_keywords(text).size();
  for (const std::string& url : evidence::extract_urls(folded)) {
    found += evidence::is_download_link(url) ? 1 : 0;
  }
  return found > 1000000 ? 1 : 0;
}
