#include "profile/matcher.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "core/text.hpp"
#include "profile/domain.hpp"
#include "profile/multi_pattern.hpp"
#include "profile/net.hpp"
#include "profile/normalize.hpp"

namespace emotriage::profile {

namespace {

// One text can name the same people thousands of times (a mailing-list digest); later hits add
// nothing for the verdict, so the search stops collecting there.
constexpr std::size_t kMaxNameHits = 10000;
// Display names are short; a longer one is an attack on our time, not a person's name.
constexpr std::size_t kMaxDisplayNameBytes = 4096;
// Family names of one CJK character (林, 森) are too common in ordinary words to search alone.
constexpr std::size_t kMinFamilyNameChars = 2;

// Legal-form words around a company name, in normalised form (after normalize_plain): NFKC turns
// ㈱ into "(株)" and removes spaces, so "Co., Ltd." arrives as "co.,ltd.".
constexpr std::string_view kLegalForms[] = {
    "株式会社",    "(株)",    "有限会社", "(有)", "合同会社", "(同)", "co.,ltd.",
    "co.,ltd",     "co.ltd.", "co.ltd",   "ltd.", "ltd",      "inc.", "inc",
    "corporation", "corp.",   "corp",     "k.k.", "llc",      "co.",
};

enum class Script { latin, kana, other };

struct PatternUse {
  int employee = -1;
  bool family_only = false;
};

struct NamePattern {
  Script script = Script::other;
  std::vector<PatternUse> uses;
};

std::size_t count_code_points(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Script script_of(std::string_view normalized) {
  bool all_latin = true;
  bool all_kana = true;
  for (std::size_t pos = 0; pos < normalized.size();) {
    std::size_t length = 1;
    char32_t code_point = decode_utf8_at(normalized, pos, &length);
    all_latin = all_latin && (is_latin_or_digit(code_point) || code_point == '.' ||
                              code_point == '-' || code_point == '\'');
    all_kana = all_kana && is_kana(code_point);
    pos += length;
  }
  return all_latin ? Script::latin : all_kana ? Script::kana : Script::other;
}

bool all_cjk(std::string_view normalized) {
  for (std::size_t pos = 0; pos < normalized.size();) {
    std::size_t length = 1;
    char32_t code_point = decode_utf8_at(normalized, pos, &length);
    if (!is_han(code_point) && !is_kana(code_point)) return false;
    pos += length;
  }
  return !normalized.empty();
}

// Splits a name into its parts at spaces (any width), the name dot ・ and commas.
std::vector<std::string> name_parts(std::string_view name) {
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    std::string normalized = normalize_plain(current);
    if (!normalized.empty()) parts.push_back(std::move(normalized));
    current.clear();
  };
  for (std::size_t pos = 0; pos < name.size();) {
    std::size_t length = 1;
    char32_t code_point = decode_utf8_at(name, pos, &length);
    bool separator = code_point == ' ' || code_point == '\t' || code_point == 0x3000 ||
                     code_point == ',' || code_point == 0xFF0C || code_point == 0x3001 ||
                     code_point == 0x30FB || code_point == 0xFF65 || code_point == 0x00B7;
    if (separator) {
      flush();
    } else {
      current.append(name.substr(pos, length));
    }
    pos += length;
  }
  flush();
  if (!parts.empty()) parts.back() = strip_trailing_honorifics(std::move(parts.back()));
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += part;
  return out;
}

// Cuts the decorations mail clients and people put around a display name: the address in <>,
// quotes, and bracketed notes such as (営業部) or 【サンプル商事】.
std::string strip_display_decorations(std::string_view display_name) {
  std::string_view text = core::utf8_prefix(display_name, kMaxDisplayNameBytes);
  std::size_t angle = text.find('<');
  if (angle != std::string_view::npos && angle > 0) text = text.substr(0, angle);
  static constexpr std::pair<std::string_view, std::string_view> kBrackets[] = {
      {"(", ")"}, {"（", "）"}, {"[", "]"}, {"［", "］"}, {"【", "】"}, {"<", ">"}, {"＜", "＞"}};
  static constexpr std::string_view kQuotes[] = {"\"", "'", "“", "”", "「", "」", "『", "』"};
  std::string out;
  std::size_t depth = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::string_view rest = text.substr(pos);
    bool handled = false;
    for (const auto& [open, close] : kBrackets) {
      if (rest.starts_with(open)) {
        ++depth, pos += open.size(), handled = true;
        break;
      }
      if (rest.starts_with(close)) {
        depth = depth > 0 ? depth - 1 : 0, pos += close.size(), handled = true;
        out += ' ';
        break;
      }
    }
    if (handled) continue;
    for (std::string_view quote : kQuotes) {
      if (!handled && rest.starts_with(quote)) pos += quote.size(), handled = true;
    }
    if (handled) continue;
    if (depth == 0) out += text[pos];
    ++pos;
  }
  return out;
}

std::string strip_legal_forms(std::string normalized) {
  // At most one form on each side in real names ("株式会社サンプル商事", "Sample Shoji Co., Ltd.").
  for (int round = 0; round < 2; ++round) {
    for (std::string_view form : kLegalForms) {
      if (normalized.size() > form.size() && normalized.starts_with(form)) {
        normalized.erase(0, form.size());
      }
      if (normalized.size() > form.size() && normalized.ends_with(form)) {
        normalized.resize(normalized.size() - form.size());
      }
    }
    while (!normalized.empty() && (normalized.back() == ',' || normalized.back() == '.')) {
      normalized.pop_back();
    }
  }
  return normalized;
}

char32_t code_point_before(std::string_view text, std::size_t pos) {
  if (pos == 0) return 0;
  std::size_t start = pos - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  std::size_t length = 1;
  return decode_utf8_at(text, start, &length);
}

// A managed domain itself or one of its subdomains.
bool is_within(const std::string& ascii, const std::string& managed) {
  return ascii == managed || (ascii.size() > managed.size() && ascii.ends_with(managed) &&
                              ascii[ascii.size() - managed.size() - 1] == '.');
}

char32_t code_point_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  std::size_t length = 1;
  return decode_utf8_at(text, pos, &length);
}

}  // namespace

std::string normalize_name(std::string_view name) {
  return strip_trailing_honorifics(normalize_plain(name));
}

struct Matcher::Impl {
  Profile profile;
  std::unordered_map<std::string, int> employee_by_email;
  std::unordered_map<std::string, std::vector<int>> employees_by_name_key;
  MultiPatternMatcher names;
  std::vector<NamePattern> name_patterns;
  std::vector<std::string> company_keys;
  std::vector<DomainParts> own_domains;
  std::vector<std::pair<DomainParts, int>> partner_domains;
  std::vector<std::string> server_names;
  std::vector<IpAddress> server_addresses;
  std::vector<IpNetwork> server_networks;

  void add_name_pattern(const std::string& normalized, PatternUse use,
                        std::unordered_map<std::string, int>& ids) {
    auto [it, inserted] = ids.try_emplace(normalized, static_cast<int>(name_patterns.size()));
    if (inserted) {
      names.add(normalized);
      name_patterns.push_back({script_of(normalized), {}});
    }
    auto& uses = name_patterns[static_cast<std::size_t>(it->second)].uses;
    bool known = std::any_of(uses.begin(), uses.end(), [&](const PatternUse& existing) {
      return existing.employee == use.employee && existing.family_only == use.family_only;
    });
    if (!known) uses.push_back(use);
  }

  void add_name_key(const std::string& key, int employee) {
    if (key.empty()) return;
    auto& list = employees_by_name_key[key];
    if (std::find(list.begin(), list.end(), employee) == list.end()) list.push_back(employee);
  }

  void index_employees() {
    std::unordered_map<std::string, int> pattern_ids;
    for (std::size_t index = 0; index < profile.employees.size(); ++index) {
      const Employee& employee = profile.employees[index];
      const int id = static_cast<int>(index);
      for (const auto& email : employee.emails) {
        employee_by_email.try_emplace(normalize_email(email).value_or(core::ascii_lower(email)),
                                      id);
      }
      for (const auto& name : employee.names) {
        std::vector<std::string> parts = name_parts(name);
        if (parts.empty()) continue;
        std::string in_order = join(parts);
        add_name_key(in_order, id);
        add_name_pattern(in_order, {id, false}, pattern_ids);
        if (parts.size() >= 2) {
          std::vector<std::string> reversed(parts.rbegin(), parts.rend());
          std::string reversed_key = join(reversed);
          add_name_key(reversed_key, id);
          add_name_pattern(reversed_key, {id, false}, pattern_ids);
          // Japanese-script names are written family name first; romaji family names are too
          // short and too ambiguous in order to search alone.
          const std::string& family = parts.front();
          if (all_cjk(family) && count_code_points(family) >= kMinFamilyNameChars) {
            add_name_pattern(family, {id, true}, pattern_ids);
          }
        }
      }
    }
    names.build();
  }

  void index_company() {
    for (const std::string* name : {&profile.company.name, &profile.company.name_en}) {
      std::string key = strip_legal_forms(normalize_name(*name));
      if (!key.empty() &&
          std::find(company_keys.begin(), company_keys.end(), key) == company_keys.end()) {
        company_keys.push_back(std::move(key));
      }
    }
  }

  void index_domains_and_servers() {
    for (const auto& domain : profile.company.domains) own_domains.push_back(split_domain(domain));
    for (std::size_t index = 0; index < profile.partners.size(); ++index) {
      for (const auto& domain : profile.partners[index].domains) {
        partner_domains.emplace_back(split_domain(domain), static_cast<int>(index));
      }
    }
    for (const auto& server : profile.company.mail_servers) {
      if (auto network = parse_cidr(server)) {
        server_networks.push_back(*network);
      } else if (auto address = parse_ip(server)) {
        server_addresses.push_back(*address);
      } else if (auto host = domain_to_ascii(server)) {
        server_names.push_back(*host);
      }
    }
  }

  // Whether the match normalized[start, end) stands on its own: romaji between word boundaries,
  // kana not inside a longer kana word, a CJK family name not after another kanji. A character
  // removed in between (a space) is a boundary.
  bool stands_alone(const NormalizedText& text, std::size_t start, std::size_t end,
                    const NamePattern& pattern, bool family_only, bool honorific) const {
    bool gap_before = start == 0 || text.source_end[start - 1] < text.source_begin[start];
    bool gap_after = end == text.text.size() || text.source_end[end - 1] < text.source_begin[end];
    char32_t before = gap_before ? 0 : code_point_before(text.text, start);
    char32_t after = gap_after ? 0 : code_point_at(text.text, end);
    switch (pattern.script) {
      case Script::latin:
        return !is_latin_or_digit(before) && (honorific || !is_latin_or_digit(after));
      case Script::kana:
        return !is_kana(before) && (honorific || !is_kana(after));
      case Script::other:
        return !family_only || !is_han(before);
    }
    return true;
  }
};

Matcher::Matcher(Profile profile) : impl_(std::make_unique<Impl>()) {
  impl_->profile = std::move(profile);
  impl_->index_employees();
  impl_->index_company();
  impl_->index_domains_and_servers();
}

Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

const Profile& Matcher::profile() const {
  return impl_->profile;
}

std::optional<int> Matcher::employee_by_address(std::string_view address) const {
  address = core::trim(address);
  if (address.starts_with('<') && address.ends_with('>')) {
    address = address.substr(1, address.size() - 2);
  }
  std::string key = normalize_email(address).value_or(core::ascii_lower(address));
  auto it = impl_->employee_by_email.find(key);
  if (it == impl_->employee_by_email.end()) return std::nullopt;
  return it->second;
}

std::vector<int> Matcher::employees_by_display_name(std::string_view display_name) const {
  std::string cleaned = strip_display_decorations(display_name);
  // "山田 太郎 / サンプル商事" and "営業部｜山田太郎": each side of a slash or bar on its own.
  std::vector<std::string> candidates{cleaned};
  std::string piece;
  for (std::size_t pos = 0; pos <= cleaned.size(); ++pos) {
    std::string_view rest = std::string_view(cleaned).substr(std::min(pos, cleaned.size()));
    std::size_t separator = 0;
    for (std::string_view mark : {"/", "|", "／", "｜"}) {
      if (rest.starts_with(mark)) separator = mark.size();
    }
    if (pos == cleaned.size() || separator > 0) {
      if (!piece.empty() && piece.size() != cleaned.size()) candidates.push_back(piece);
      piece.clear();
      pos += separator > 0 ? separator - 1 : 0;
    } else {
      piece += cleaned[pos];
    }
  }
  std::vector<int> found;
  for (const auto& candidate : candidates) {
    std::vector<std::string> parts = name_parts(candidate);
    std::vector<std::string> keys{join(parts)};
    // A company name before or after the person ("サンプル商事 山田 太郎").
    if (parts.size() >= 3) {
      for (const auto& company : impl_->company_keys) {
        if (strip_legal_forms(parts.front()) == company) {
          keys.push_back(join(std::vector<std::string>(parts.begin() + 1, parts.end())));
        }
        if (strip_legal_forms(parts.back()) == company) {
          keys.push_back(join(std::vector<std::string>(parts.begin(), parts.end() - 1)));
        }
      }
    }
    for (const auto& key : keys) {
      auto it = impl_->employees_by_name_key.find(key);
      if (it == impl_->employees_by_name_key.end()) continue;
      for (int employee : it->second) {
        if (std::find(found.begin(), found.end(), employee) == found.end()) {
          found.push_back(employee);
        }
      }
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::vector<NameHit> Matcher::find_employee_names(std::string_view text) const {
  std::vector<NameHit> hits;
  if (impl_->name_patterns.empty() || text.empty()) return hits;
  NormalizedText normalized = normalize_mapped(text);
  struct Candidate {
    std::size_t start, end;
    PatternUse use;
    bool honorific;
  };
  std::vector<Candidate> candidates;
  impl_->names.scan(normalized.text, [&](int id, std::size_t end) {
    const NamePattern& pattern = impl_->name_patterns[static_cast<std::size_t>(id)];
    std::size_t start = end - impl_->names.pattern_length(id);
    bool honorific = honorific_length_at(normalized.text, end) > 0;
    for (const PatternUse& use : pattern.uses) {
      if (impl_->stands_alone(normalized, start, end, pattern, use.family_only, honorific)) {
        candidates.push_back({start, end, use, honorific});
      }
    }
    // Family-name candidates inside full names are dropped below: room for both.
    return candidates.size() < 2 * kMaxNameHits;
  });
  // A family name inside a full-name hit is the same mention, not a second one. Full hits
  // sorted by start with the running maximum of their ends answer "does any full hit overlap
  // [start, end)" by one binary search.
  std::vector<std::pair<std::size_t, std::size_t>> full_spans;
  for (const Candidate& candidate : candidates) {
    if (!candidate.use.family_only) full_spans.emplace_back(candidate.start, candidate.end);
  }
  std::sort(full_spans.begin(), full_spans.end());
  std::vector<std::size_t> max_end(full_spans.size());
  for (std::size_t i = 0; i < full_spans.size(); ++i) {
    max_end[i] = std::max(full_spans[i].second, i > 0 ? max_end[i - 1] : 0);
  }
  auto inside_full_hit = [&](const Candidate& candidate) {
    auto after = std::lower_bound(full_spans.begin(), full_spans.end(),
                                  std::make_pair(candidate.end, std::size_t{0}));
    if (after == full_spans.begin()) return false;
    return max_end[static_cast<std::size_t>(after - full_spans.begin()) - 1] > candidate.start;
  };
  for (const Candidate& candidate : candidates) {
    if (candidate.use.family_only && inside_full_hit(candidate)) continue;
    std::uint32_t begin = normalized.source_begin[candidate.start];
    std::uint32_t finish = normalized.source_end[candidate.end - 1];
    hits.push_back({candidate.use.employee, std::string(text.substr(begin, finish - begin)), begin,
                    candidate.honorific, candidate.use.family_only});
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const NameHit& a, const NameHit& b) { return a.offset < b.offset; });
  if (hits.size() > kMaxNameHits) hits.resize(kMaxNameHits);
  return hits;
}

std::optional<std::string> Matcher::find_company_name(std::string_view text) const {
  if (impl_->company_keys.empty() || text.empty()) return std::nullopt;
  NormalizedText normalized = normalize_mapped(text);
  const std::string& haystack = normalized.text;
  for (const auto& key : impl_->company_keys) {
    bool latin = script_of(key) == Script::latin;
    for (std::size_t pos = core::find_bytes(haystack, key); pos != std::string::npos;
         pos = core::find_bytes(haystack, key, pos + 1)) {
      std::size_t start = pos;
      std::size_t end = pos + key.size();
      if (latin) {
        bool gap_before =
            start == 0 || normalized.source_end[start - 1] < normalized.source_begin[start];
        bool gap_after =
            end == haystack.size() || normalized.source_end[end - 1] < normalized.source_begin[end];
        if (!gap_before && is_latin_or_digit(code_point_before(haystack, start))) continue;
        if (!gap_after && is_latin_or_digit(code_point_at(haystack, end))) continue;
      }
      // Report the legal form with the name when it is written next to it.
      for (std::string_view form : kLegalForms) {
        if (start >= form.size() && haystack.compare(start - form.size(), form.size(), form) == 0) {
          start -= form.size();
          break;
        }
      }
      for (std::string_view form : kLegalForms) {
        if (haystack.compare(end, form.size(), form) == 0) {
          end += form.size();
          break;
        }
      }
      std::uint32_t begin = normalized.source_begin[start];
      std::uint32_t finish = normalized.source_end[end - 1];
      return std::string(text.substr(begin, finish - begin));
    }
  }
  return std::nullopt;
}

bool Matcher::is_company_name(std::string_view display_name) const {
  std::string key = strip_legal_forms(normalize_name(strip_display_decorations(display_name)));
  return !key.empty() && std::find(impl_->company_keys.begin(), impl_->company_keys.end(), key) !=
                             impl_->company_keys.end();
}

DomainMatch Matcher::classify_domain(std::string_view domain) const {
  DomainMatch match;
  auto ascii = domain_to_ascii(domain);
  if (!ascii) return match;
  for (const auto& own : impl_->own_domains) {
    if (is_within(*ascii, own.ascii)) {
      match.kind = DomainKind::own;
      return match;
    }
  }
  for (const auto& [partner, index] : impl_->partner_domains) {
    if (is_within(*ascii, partner.ascii)) {
      match.kind = DomainKind::partner;
      match.partner = index;
      return match;
    }
  }
  // A free-mail provider is a known third party, never an imitation of us.
  if (is_freemail_domain(*ascii)) {
    match.kind = DomainKind::freemail;
    return match;
  }
  DomainParts candidate = split_domain(*ascii);
  for (const auto& own : impl_->own_domains) {
    if (auto technique = lookalike_technique(candidate, own)) {
      return {DomainKind::lookalike_own, -1, own.ascii, std::move(*technique)};
    }
  }
  for (const auto& [partner, index] : impl_->partner_domains) {
    if (auto technique = lookalike_technique(candidate, partner)) {
      return {DomainKind::lookalike_partner, index, partner.ascii, std::move(*technique)};
    }
  }
  return match;
}

bool Matcher::is_own_domain(std::string_view domain) const {
  auto ascii = domain_to_ascii(domain);
  if (!ascii) return false;
  return std::any_of(impl_->own_domains.begin(), impl_->own_domains.end(),
                     [&](const DomainParts& own) { return is_within(*ascii, own.ascii); });
}

bool Matcher::is_own_server(std::string_view host_or_ip) const {
  if (auto address = parse_ip(host_or_ip)) {
    auto same = [&](const IpAddress& server) {
      return server.v6 == address->v6 && server.bytes == address->bytes;
    };
    return std::any_of(impl_->server_addresses.begin(), impl_->server_addresses.end(), same) ||
           std::any_of(
               impl_->server_networks.begin(), impl_->server_networks.end(),
               [&](const IpNetwork& network) { return network_contains(network, *address); });
  }
  auto host = domain_to_ascii(host_or_ip);
  return host && std::find(impl_->server_names.begin(), impl_->server_names.end(), *host) !=
                     impl_->server_names.end();
}

bool Matcher::is_freemail(std::string_view domain) {
  auto ascii = domain_to_ascii(domain);
  return ascii && is_freemail_domain(*ascii);
}

}  // namespace emotriage::profile
