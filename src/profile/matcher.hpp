// Questions the later stages ask about the profile, answered fast enough to run on every message
// of a 100k-message mailbox: is this address/domain/host ours, a partner's, a lookalike, free
// mail; which employees or which company name appear in a text.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profile/profile.hpp"

namespace emotriage::profile {

// Name normalisation used for every comparison: NFKC, width folding, half-width kana, katakana
// to hiragana, case, spaces removed, honorifics (様, さん, 殿, 御中 ...) stripped, variant kanji
// folded (髙→高, 﨑→崎, 邊/邉→辺, 齋/齊→斎, 濱→浜, 澤→沢, 德→徳 ...).
std::string normalize_name(std::string_view name);

// Lower-cased registrable domain (eTLD+1, libpsl) of a host or domain; the input lower-cased
// when it has none. IDN U-labels are converted to A-labels (libidn2) first.
std::string registrable_domain(std::string_view domain);

// Domain part of an address, lower case, IDNA A-label; empty when there is none.
std::string address_domain(std::string_view address);

enum class DomainKind { own, partner, lookalike_own, lookalike_partner, freemail, other };

struct DomainMatch {
  DomainKind kind = DomainKind::other;
  int partner = -1;       // index in Profile::partners for partner / lookalike_partner
  std::string imitated;   // the own/partner domain a lookalike imitates
  std::string technique;  // "edit-distance-1", "homoglyph rn/m", "hyphen", "tld-swap" ...
};

struct NameHit {
  int employee = -1;         // index in Profile::employees
  std::string matched;       // the text as it appeared
  std::size_t offset = 0;    // byte offset in the searched text
  bool honorific = false;    // followed by 様/さん/殿 ... (an addressee, not a signer)
  bool family_only = false;  // only a family name matched (weak)
};

class Matcher {
 public:
  explicit Matcher(Profile profile);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  const Profile& profile() const;

  // Employee owning this address (case-insensitive), if any.
  std::optional<int> employee_by_address(std::string_view address) const;
  // Employees whose name equals this display name after normalize_name (order-insensitive for
  // two-part names: "山田 太郎" = "太郎 山田"; romaji as listed in the profile).
  std::vector<int> employees_by_display_name(std::string_view display_name) const;
  // Every employee name occurring in a text (body, signature, quoted thread). Cost does not grow
  // with employees × text length (one multi-pattern pass over the normalised text).
  std::vector<NameHit> find_employee_names(std::string_view text) const;
  // Whether our company name (ja or en, with or without 株式会社/(株)/Co., Ltd.) occurs.
  std::optional<std::string> find_company_name(std::string_view text) const;
  // Whether a display name is our company's name.
  bool is_company_name(std::string_view display_name) const;

  DomainMatch classify_domain(std::string_view domain) const;
  bool is_own_domain(std::string_view domain) const;
  // A Received hop's host name or IP is one of our outbound servers (names, IPs, CIDRs).
  bool is_own_server(std::string_view host_or_ip) const;
  static bool is_freemail(std::string_view domain);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emotriage::profile
