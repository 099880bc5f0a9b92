#include "profile/domain.hpp"

#include <libpsl.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <array>
#include <vector>

#include "core/text.hpp"
#include "profile/matcher.hpp"
#include "profile/net.hpp"
#include "profile/normalize.hpp"

namespace emotriage::profile {

namespace {

// Consumer mail services anyone can sign up to, so an address there says nothing about its
// owner: the large webmail providers (their public sign-up domains) and the mail of Japanese
// mobile carriers and ISPs (as listed on the carriers' and ISPs' own help pages). Compared
// against the domain and each of its parents, so subdomains such as i.softbank.jp match.
constexpr std::string_view kFreemailDomains[] = {
    "gmail.com",    "googlemail.com", "yahoo.co.jp",    "ymail.ne.jp",    "yahoo.com",
    "yahoo.co.uk",  "ymail.com",      "rocketmail.com", "outlook.jp",     "outlook.com",
    "hotmail.com",  "hotmail.co.jp",  "hotmail.co.uk",  "live.jp",        "live.com",
    "msn.com",      "icloud.com",     "me.com",         "mac.com",        "aol.com",
    "aol.jp",       "mail.ru",        "inbox.ru",       "bk.ru",          "list.ru",
    "proton.me",    "protonmail.com", "pm.me",          "zoho.com",       "tutanota.com",
    "mail.com",     "qq.com",         "163.com",        "126.com",        "naver.com",
    "ezweb.ne.jp",  "au.com",         "docomo.ne.jp",   "softbank.ne.jp", "i.softbank.jp",
    "disney.ne.jp", "ymobile.ne.jp",  "rakuten.jp",     "nifty.com",      "biglobe.ne.jp",
    "ocn.ne.jp",    "so-net.ne.jp",   "excite.co.jp",   "goo.jp",         "infoseek.jp",
    "livedoor.com", "auone.jp",
};
// Providers with one brand under many country domains (gmx.de, gmx.net, yandex.ru, yandex.com).
constexpr std::string_view kFreemailBrands[] = {"gmx", "yandex"};

const USpoofChecker* spoof_checker() {
  // Created once and only read afterwards: ICU documents the skeleton call as thread safe.
  static const USpoofChecker* checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* created = uspoof_open(&status);
    return U_SUCCESS(status) ? created : nullptr;
  }();
  return checker;
}

std::string remove_hyphens_and_dots(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '-' && c != '.') out += c;
  }
  return out;
}

std::size_t count_of(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// Names the ASCII homoglyph tricks that differ between two domains with equal skeletons.
std::string homoglyph_name(const DomainParts& candidate, const DomainParts& genuine) {
  if (candidate.non_ascii) return "homoglyph idn";
  struct Trick {
    std::string_view name;
    std::array<std::string_view, 3> sequences;
  };
  static constexpr std::array<Trick, 5> kTricks = {{
      {"rn/m", {"rn", "m", ""}},
      {"vv/w", {"vv", "w", ""}},
      {"cl/d", {"cl", "d", ""}},
      {"l/1/i", {"l", "1", "i"}},
      {"0/o", {"0", "o", ""}},
  }};
  std::string name = "homoglyph";
  for (const Trick& trick : kTricks) {
    bool differs = std::any_of(trick.sequences.begin(), trick.sequences.end(), [&](auto seq) {
      return !seq.empty() &&
             count_of(candidate.registrable, seq) != count_of(genuine.registrable, seq);
    });
    if (differs) {
      name += ' ';
      name += trick.name;
    }
  }
  return name;
}

// Whether `needle` occurs in `text` between label or word boundaries ('.', '-', either end).
bool contains_as_part(std::string_view text, std::string_view needle) {
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + 1)) {
    bool starts = pos == 0 || text[pos - 1] == '.' || text[pos - 1] == '-';
    std::size_t end = pos + needle.size();
    bool ends = end == text.size() || text[end] == '.' || text[end] == '-';
    if (starts && ends) return true;
  }
  return false;
}

// Label lengths below which an edit or an embedding is too likely to hit an unrelated domain
// ("abc.jp" vs "abd.jp"): the thresholds phishing-domain studies use for one and two edits.
constexpr std::size_t kMinLabelForOneEdit = 5;
constexpr std::size_t kMinLabelForTwoEdits = 10;
constexpr std::size_t kMinLabelForEmbedding = 6;
constexpr std::size_t kMinLabelForTldSwap = 4;

std::string ascii_form(std::string_view domain) {
  return domain_to_ascii(domain).value_or(core::ascii_lower(core::trim(domain)));
}

// libpsl's built-in list; a name without a registrable part (a bare suffix) is kept as it is.
// Unlisted TLDs such as .example fall under the "*" rule, so sample-shoji.example stays itself.
std::string psl_registrable(const std::string& ascii) {
  if (const psl_ctx_t* psl = psl_builtin(); psl != nullptr && !ascii.empty()) {
    if (const char* registrable = psl_registrable_domain(psl, ascii.c_str())) return registrable;
  }
  return ascii;
}

}  // namespace

DomainParts split_domain(std::string_view domain) {
  DomainParts parts;
  parts.ascii = ascii_form(domain);
  parts.registrable = psl_registrable(parts.ascii);
  std::size_t dot = parts.registrable.find('.');
  if (dot != std::string::npos) {
    parts.label = parts.registrable.substr(0, dot);
    parts.suffix = parts.registrable.substr(dot + 1);
    parts.prefix = parts.ascii.substr(0, parts.ascii.size() - parts.suffix.size() - 1);
  } else {
    parts.label = parts.registrable;
    parts.prefix = parts.ascii;
  }
  std::string unicode = domain_to_unicode(parts.registrable);
  parts.non_ascii = !core::is_ascii(unicode);
  parts.skeleton = homoglyph_skeleton(unicode);
  return parts;
}

std::string homoglyph_skeleton(std::string_view unicode_text) {
  std::string text(unicode_text);
  if (!core::is_ascii(text)) {
    if (const USpoofChecker* checker = spoof_checker()) {
      UErrorCode status = U_ZERO_ERROR;
      auto length = static_cast<int32_t>(text.size());
      int32_t needed =
          uspoof_getSkeletonUTF8(checker, 0, text.c_str(), length, nullptr, 0, &status);
      if (status == U_BUFFER_OVERFLOW_ERROR && needed > 0) {
        std::string skeleton(static_cast<std::size_t>(needed), '\0');
        status = U_ZERO_ERROR;
        uspoof_getSkeletonUTF8(checker, 0, text.c_str(), length, skeleton.data(), needed, &status);
        if (U_SUCCESS(status)) text = std::move(skeleton);
      }
    }
  }
  // The UTS #39 prototypes are mixed case ("rn" for m, "O" for 0): fold case, then the ASCII
  // tricks, the two-letter ones first so that "rn" is not read as "r" + "n".
  text = core::ascii_lower(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view rest = std::string_view(text).substr(i);
    if (rest.starts_with("rn")) {
      out += 'm', ++i;
    } else if (rest.starts_with("vv")) {
      out += 'w', ++i;
    } else if (rest.starts_with("cl")) {
      out += 'd', ++i;
    } else if (text[i] == '1' || text[i] == 'i' || text[i] == '|') {
      out += 'l';
    } else if (text[i] == '0') {
      out += 'o';
    } else {
      out += text[i];
    }
  }
  return out;
}

int damerau_distance(std::string_view a, std::string_view b, int max_distance) {
  const int too_far = max_distance + 1;
  auto length_gap =
      static_cast<int>(a.size() > b.size() ? a.size() - b.size() : b.size() - a.size());
  // Host names are at most 253 bytes; the guard keeps the table small for anything else.
  if (length_gap > max_distance || a.size() > 253 || b.size() > 253) return too_far;
  const std::size_t columns = b.size() + 1;
  std::vector<int> two_back(columns), previous(columns), current(columns);
  for (std::size_t j = 0; j < columns; ++j) previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    int row_best = current[0];
    for (std::size_t j = 1; j < columns; ++j) {
      int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      int value = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        value = std::min(value, two_back[j - 2] + 1);
      }
      current[j] = value;
      row_best = std::min(row_best, value);
    }
    if (row_best > max_distance) return too_far;
    std::swap(two_back, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], too_far);
}

std::optional<std::string> lookalike_technique(const DomainParts& candidate,
                                               const DomainParts& genuine) {
  if (candidate.registrable == genuine.registrable || genuine.label.empty()) return std::nullopt;
  const std::size_t label_size = genuine.label.size();
  // Skeletons first: a homoglyph in the TLD (partner.exarnple) is not a change of TLD.
  if (candidate.skeleton == genuine.skeleton) return homoglyph_name(candidate, genuine);
  if (candidate.label == genuine.label && candidate.suffix != genuine.suffix &&
      label_size >= kMinLabelForTldSwap) {
    return "tld-swap";
  }
  if (candidate.suffix == genuine.suffix) {
    std::string genuine_flat = remove_hyphens_and_dots(genuine.label);
    if (remove_hyphens_and_dots(candidate.label) == genuine_flat ||
        remove_hyphens_and_dots(candidate.prefix) == genuine_flat) {
      return "hyphen";
    }
  }
  int allowed = label_size >= kMinLabelForTwoEdits ? 2 : label_size >= kMinLabelForOneEdit ? 1 : 0;
  if (allowed > 0) {
    int distance = damerau_distance(candidate.registrable, genuine.registrable, allowed);
    if (distance <= allowed) return "edit-distance-" + std::to_string(distance);
  }
  // Our name inside a foreign domain: sample-shoji.example.com, sample-shoji-secure.com.
  if (label_size >= kMinLabelForEmbedding && contains_as_part(candidate.prefix, genuine.label)) {
    return "embedded-name";
  }
  return std::nullopt;
}

bool is_freemail_domain(std::string_view ascii_domain) {
  std::string_view domain = ascii_domain;
  // Checks the domain and every parent (i.softbank.jp, mail.yahoo.co.jp); at most 127 labels.
  while (!domain.empty()) {
    if (std::find(std::begin(kFreemailDomains), std::end(kFreemailDomains), domain) !=
        std::end(kFreemailDomains)) {
      return true;
    }
    std::size_t dot = domain.find('.');
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  std::string registrable = psl_registrable(std::string(ascii_domain));
  std::string_view brand = std::string_view(registrable).substr(0, registrable.find('.'));
  return std::find(std::begin(kFreemailBrands), std::end(kFreemailBrands), brand) !=
         std::end(kFreemailBrands);
}

std::string registrable_domain(std::string_view domain) {
  return psl_registrable(ascii_form(domain));
}

std::string address_domain(std::string_view address) {
  address = core::trim(address);
  if (address.starts_with('<') && address.ends_with('>')) {
    address = address.substr(1, address.size() - 2);
  }
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view domain = core::trim(address.substr(at + 1));
  if (domain.empty()) return {};
  return domain_to_ascii(domain).value_or(core::ascii_lower(domain));
}

}  // namespace emotriage::profile
