// Domain facts behind DomainMatch: public-suffix split, homoglyph skeleton, edit distance,
// free-mail providers and the lookalike techniques.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace emotriage::profile {

// A host name taken apart once so that comparisons against many genuine domains stay cheap.
struct DomainParts {
  std::string ascii;        // lower case, A-labels
  std::string registrable;  // eTLD+1 (libpsl); `ascii` when it has none
  std::string suffix;       // public suffix ("example", "co.jp")
  std::string label;        // registrable minus suffix ("sample-shoji")
  std::string prefix;       // everything before the suffix ("mail.sample-shoji")
  std::string skeleton;     // homoglyph skeleton of `registrable` (see homoglyph_skeleton)
  bool non_ascii = false;   // the Unicode form has non-ASCII characters (IDN)
};

DomainParts split_domain(std::string_view domain);

// Text in which look-alike characters are made equal: Unicode confusables (UTS #39 skeleton,
// e.g. Cyrillic а -> a), then the ASCII tricks of phishing domains: rn -> m, vv -> w, cl -> d,
// 1/i/| -> l, 0 -> o.
std::string homoglyph_skeleton(std::string_view unicode_text);

// Optimal-string-alignment (Damerau) distance, or max_distance + 1 when it exceeds it.
int damerau_distance(std::string_view a, std::string_view b, int max_distance);

// How `candidate` imitates `genuine` ("tld-swap", "hyphen", "homoglyph rn/m",
// "edit-distance-1", "embedded-name"), or nullopt when it does not. Both must differ in their
// registrable domain.
std::optional<std::string> lookalike_technique(const DomainParts& candidate,
                                               const DomainParts& genuine);

bool is_freemail_domain(std::string_view ascii_domain);

}  // namespace emotriage::profile
