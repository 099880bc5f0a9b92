#include "mime/structured.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdio>
#include <cstring>

#include "core/text.hpp"

namespace emotriage::mime {

namespace {

using core::ascii_lower;
using core::iequals;
using core::istarts_with;
using core::trim;

constexpr std::size_t kNpos = std::string_view::npos;
// Real Authentication-Results carry fewer than ten methods; the cap stops a long authserv-id
// from being copied into tens of thousands of results (quadratic memory).
constexpr std::size_t kMaxAuthResults = 64;
// A date needs at most weekday, day, month, year, time and zone; the rest is ignored.
constexpr std::size_t kMaxDateTokens = 8;
// "Microsoft SMTP Server" is the longest multi-word protocol name seen in practice.
constexpr int kMaxWithWords = 3;
// Longest textual IPv6 address (with an embedded IPv4 tail) is 45 characters.
constexpr std::size_t kMaxIpText = 45;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Case-insensitive search. Needles are short constants, so this stays linear in `hay`.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return kNpos;
  char first = ascii_lower(needle.front());
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (ascii_lower(hay[i]) == first && iequals(hay.substr(i, needle.size()), needle)) return i;
  }
  return kNpos;
}

// Returns the index just past the comment opening at s[pos] == '('. Nesting is counted, not
// recursed into, so 10,000 open parentheses cost nothing; an unclosed comment runs to the end.
std::size_t skip_comment(std::string_view s, std::size_t pos, bool* closed = nullptr) {
  std::size_t depth = 0;
  for (std::size_t i = pos; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;  // quoted-pair: the next byte is literal
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      if (closed) *closed = true;
      return i + 1;
    }
  }
  if (closed) *closed = false;
  return s.size();
}

std::string_view first_word(std::string_view text) {
  text = trim(text);
  std::size_t end = 0;
  while (end < text.size() && !is_space(text[end]) && text[end] != '(' && text[end] != ')') ++end;
  return text.substr(0, end);
}

std::string_view strip_angle(std::string_view text) {
  if (!text.empty() && text.front() == '<') text.remove_prefix(1);
  if (!text.empty() && text.back() == '>') text.remove_suffix(1);
  return text;
}

std::string remove_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!is_space(c)) out.push_back(c);
  }
  return out;
}

// Validates a textual IPv4/IPv6 address (optionally "IPv6:"-prefixed, with an IPv6 zone id);
// returns it with IPv6 in canonical form so hops compare equal, or "" if it is not an address.
std::string normalize_ip(std::string_view text) {
  text = trim(text);
  if (istarts_with(text, "IPv6:")) text.remove_prefix(5);
  bool v6 = text.find(':') != kNpos;
  if (v6) {
    if (std::size_t pct = text.find('%'); pct != kNpos) text = text.substr(0, pct);
  }
  // inet_pton stops at NUL, so an embedded NUL would let trailing garbage pass.
  if (text.empty() || text.size() > kMaxIpText || text.find('\0') != kNpos) return {};
  char buf[kMaxIpText + 1];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  if (!v6) {
    in_addr addr4{};
    if (inet_pton(AF_INET, buf, &addr4) == 1) return std::string(text);
    return {};
  }
  in6_addr addr6{};
  if (inet_pton(AF_INET6, buf, &addr6) != 1) return {};
  char out[INET6_ADDRSTRLEN];
  if (inet_ntop(AF_INET6, &addr6, out, sizeof out) == nullptr) return {};
  return out;
}

// ---------------------------------------------------------------------------------------------
// Received

struct Item {
  bool comment = false;
  std::string_view text;  // a word, or a comment's inner text (nested comments included)
};

std::vector<Item> split_received(std::string_view s) {
  std::vector<Item> items;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (is_space(c) || c == ';' || c == ')') {
      ++i;
      continue;
    }
    if (c == '(') {
      bool closed = false;
      std::size_t end = skip_comment(s, i, &closed);
      std::size_t inner_end = closed ? end - 1 : end;
      items.push_back({true, s.substr(i + 1, inner_end - (i + 1))});
      i = end;
      continue;
    }
    std::size_t start = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != ';') ++i;
    items.push_back({false, s.substr(start, i - start)});
  }
  return items;
}

enum class Key { kNone, kFrom, kBy, kVia, kWith, kId, kFor };

Key keyword(const Item& item) {
  if (item.comment) return Key::kNone;
  std::string_view w = item.text;
  if (iequals(w, "from")) return Key::kFrom;
  if (iequals(w, "by")) return Key::kBy;
  if (iequals(w, "via")) return Key::kVia;
  if (iequals(w, "with")) return Key::kWith;
  if (iequals(w, "id")) return Key::kId;
  if (iequals(w, "for")) return Key::kFor;
  return Key::kNone;
}

// Value of "name=value" where name starts a word ("helo=" but not "xhelo=").
std::string_view word_value(std::string_view text, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = ifind(text, name, pos)) != kNpos) {
    if (pos == 0 || is_space(text[pos - 1]) || text[pos - 1] == '(' || text[pos - 1] == ']') {
      return first_word(text.substr(pos + name.size()));
    }
    pos += name.size();
  }
  return {};
}

// Authenticated user written in a comment by Postfix ("Authenticated sender: x"), Exim and
// others ("authenticated as x", "authenticated id x"). Sendmail's "(authenticated bits=0)" names
// nobody; the protocol (ESMTPA/ESMTPSA) still records that the hop was authenticated.
std::string_view comment_auth_sender(std::string_view comment) {
  if (std::size_t pos = ifind(comment, "authenticated sender:"); pos != kNpos) {
    return strip_angle(first_word(comment.substr(pos + 21)));
  }
  for (std::string_view marker : {"authenticated as ", "authenticated id "}) {
    if (std::size_t pos = ifind(comment, marker); pos != kNpos) {
      return strip_angle(first_word(comment.substr(pos + marker.size())));
    }
  }
  return {};
}

// What the comments after "from X" say about the client.
struct FromInfo {
  std::string ip;
  std::string_view rdns;        // name logged beside the IP ("rdns [ip]")
  std::string_view helo;        // explicit HELO: Exim "helo=X", qmail "(HELO X)"
  std::string_view remoteinfo;  // qmail "(user@ip)"
  bool bare_bracket = false;    // Exim "([ip])": the from name is the verified rDNS
};

void read_from_comment(std::string_view comment, FromInfo& info) {
  std::string_view text = trim(comment);
  if (info.helo.empty()) {
    if (std::string_view h = word_value(text, "helo="); !h.empty()) {
      info.helo = h;
    } else if (istarts_with(text, "HELO ")) {
      info.helo = first_word(text.substr(5));
    }
  }
  if (!info.ip.empty()) return;
  // Postfix/Sendmail "(rdns [ip])", "(user@rdns [ip] (may be forged))", Exim "([ip]:port ...)".
  if (std::size_t lb = text.find('['); lb != kNpos) {
    std::size_t rb = text.find(']', lb);
    if (rb == kNpos) return;
    std::string ip = normalize_ip(text.substr(lb + 1, rb - lb - 1));
    if (ip.empty()) return;
    info.ip = std::move(ip);
    std::string_view before = trim(text.substr(0, lb));
    if (before.empty()) {
      info.bare_bracket = true;
    } else if (first_word(before).size() == before.size()) {
      if (std::size_t at = before.rfind('@'); at != kNpos) before.remove_prefix(at + 1);
      if (!before.empty() && before.back() == '.') before.remove_suffix(1);
      if (!iequals(before, "unknown")) info.rdns = before;
    }
    return;
  }
  // Microsoft "(2603:1096::13)", qmail "(1.2.3.4)" or "(user@1.2.3.4)".
  std::string_view addr = text;
  std::string_view user;
  if (std::size_t at = text.rfind('@'); at != kNpos) {
    addr = text.substr(at + 1);
    user = text.substr(0, at);
  }
  if (std::string ip = normalize_ip(addr); !ip.empty()) {
    info.ip = std::move(ip);
    info.remoteinfo = user;
  }
}

// IP of a bracketed from name ("from [192.0.2.1]"), or "".
std::string literal_ip(std::string_view name) {
  if (name.size() < 3 || name.front() != '[' || name.back() != ']') return {};
  return normalize_ip(name.substr(1, name.size() - 2));
}

bool is_authenticated_protocol(std::string_view with) {
  return iequals(with, "esmtpa") || iequals(with, "esmtpsa") || iequals(with, "lmtpa") ||
         iequals(with, "lmtpsa");
}

// ---------------------------------------------------------------------------------------------
// Authentication-Results

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  bool done() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  void advance() { ++pos_; }
  std::size_t pos() const { return pos_; }
  void reset(std::size_t pos) { pos_ = pos; }

  void skip_cfws() {
    while (pos_ < s_.size()) {
      if (is_space(s_[pos_])) {
        ++pos_;
      } else if (s_[pos_] == '(') {
        pos_ = skip_comment(s_, pos_);
      } else {
        break;
      }
    }
  }

  // A bare token: method, result or property name ("dkim/1", "header.d").
  std::string_view token() {
    std::size_t start = pos_;
    while (pos_ < s_.size() && !is_stop(s_[pos_]) && s_[pos_] != '=' && s_[pos_] != '"') ++pos_;
    return s_.substr(start, pos_ - start);
  }

  // A value: runs of plain bytes and quoted strings up to white space, ';' or a comment. '=' is
  // allowed because base64 header.b values can end in it.
  std::string value() {
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        while (pos_ < s_.size() && s_[pos_] != '"') {
          if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) ++pos_;
          out.push_back(s_[pos_++]);
        }
        if (pos_ < s_.size()) ++pos_;  // closing quote
      } else if (is_stop(c)) {
        break;
      } else {
        out.push_back(c);
        ++pos_;
      }
    }
    return out;
  }

  // Moves to the next top-level ';' (not consumed), past comments and quoted strings.
  void skip_to_semicolon() {
    while (pos_ < s_.size() && s_[pos_] != ';') {
      char c = s_[pos_];
      if (c == '(') {
        pos_ = skip_comment(s_, pos_);
      } else if (c == '"') {
        value();
      } else {
        ++pos_;
      }
    }
  }

 private:
  static bool is_stop(char c) { return is_space(c) || c == ';' || c == '(' || c == ')'; }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// Reads "ptype.property=value", "reason=..." and bare "name=value" tokens up to the next ';'.
void read_properties(Cursor& in, core::AuthResult& result) {
  bool have_reason = false;
  while (true) {
    in.skip_cfws();
    if (in.done() || in.peek() == ';') return;
    std::string_view name = in.token();
    in.skip_cfws();
    if (!in.done() && in.peek() == '=') {
      in.advance();
      in.skip_cfws();
      std::string val = in.value();
      if (name.empty()) continue;
      if (iequals(name, "reason")) {
        if (!have_reason) result.reason = std::move(val);
        have_reason = true;
      } else {
        result.properties.emplace_back(ascii_lower(name), std::move(val));
      }
    } else if (name.empty()) {
      // A stray quote or ')': consume it so the loop always advances.
      if (!in.done() && in.peek() == '"') {
        in.value();
      } else if (!in.done() && in.peek() != ';') {
        in.advance();
      }
    }
    // A bare word without '=' carries nothing RFC 8601 defines; it is dropped.
  }
}

// ---------------------------------------------------------------------------------------------
// Date

constexpr std::array<std::string_view, 7> kWeekdays = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun"};
constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

struct NamedZone {
  std::string_view name;
  char sign;
  int hours;
};

// RFC 5322 4.3 names plus the ones Japanese and European mailers write.
constexpr std::array<NamedZone, 16> kNamedZones = {{{"gmt", '+', 0},
                                                    {"ut", '+', 0},
                                                    {"utc", '+', 0},
                                                    {"z", '+', 0},
                                                    {"est", '-', 5},
                                                    {"edt", '-', 4},
                                                    {"cst", '-', 6},
                                                    {"cdt", '-', 5},
                                                    {"mst", '-', 7},
                                                    {"mdt", '-', 6},
                                                    {"pst", '-', 8},
                                                    {"pdt", '-', 7},
                                                    {"jst", '+', 9},
                                                    {"kst", '+', 9},
                                                    {"cet", '+', 1},
                                                    {"cest", '+', 2}}};

bool all_alpha(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t) {
    if (!is_alpha(c)) return false;
  }
  return true;
}

// Index (0-based) of a name whose first three letters match ("Tue", "Tuesday", "Sept"), or -1.
template <std::size_t N>
int name_index(std::string_view t, const std::array<std::string_view, N>& names) {
  if (t.size() < 3 || t.size() > 9 || !all_alpha(t)) return -1;
  for (std::size_t i = 0; i < N; ++i) {
    if (iequals(t.substr(0, 3), names[i])) return static_cast<int>(i);
  }
  return -1;
}

// Unsigned decimal of min..max digits, or -1.
int parse_number(std::string_view t, std::size_t min_digits, std::size_t max_digits) {
  if (t.size() < min_digits || t.size() > max_digits) return -1;
  int n = 0;
  for (char c : t) {
    if (!is_digit(c)) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

int parse_year(std::string_view t) {
  int year = parse_number(t, 2, 4);
  if (year < 0) return -1;
  if (t.size() == 2) return year < 50 ? 2000 + year : 1900 + year;  // RFC 5322 4.3
  if (t.size() == 3) return 1900 + year;
  return year >= 1900 ? year : -1;
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

struct Clock {
  int hour = -1, minute = -1, second = 0;
};

std::optional<Clock> parse_time(std::string_view t) {
  Clock clock;
  std::size_t c1 = t.find(':');
  if (c1 == kNpos) return std::nullopt;
  std::size_t c2 = t.find(':', c1 + 1);
  clock.hour = parse_number(t.substr(0, c1), 1, 2);
  if (c2 == kNpos) {
    clock.minute = parse_number(t.substr(c1 + 1), 2, 2);
  } else {
    clock.minute = parse_number(t.substr(c1 + 1, c2 - c1 - 1), 2, 2);
    clock.second = parse_number(t.substr(c2 + 1), 2, 2);
  }
  // Second 60 is a leap second, which RFC 5322 allows.
  if (clock.hour < 0 || clock.hour > 23 || clock.minute < 0 || clock.minute > 59 ||
      clock.second < 0 || clock.second > 60) {
    return std::nullopt;
  }
  return clock;
}

struct Offset {
  char sign = '+';
  int hours = 0;
  int minutes = 0;
};

// nullopt only for a malformed numeric zone; a missing or unknown named zone is +00:00 (RFC
// 5322 4.3 says unknown names carry no information).
std::optional<Offset> parse_zone(std::string_view t) {
  if (t.empty()) return Offset{};
  if (t.size() > 3 && (istarts_with(t, "GMT") || istarts_with(t, "UTC")) &&
      (t[3] == '+' || t[3] == '-')) {
    t.remove_prefix(3);  // "GMT+0900"
  }
  if (t[0] == '+' || t[0] == '-') {
    std::string_view digits = t.substr(1);
    int hh = -1, mm = -1;
    if (digits.size() == 4) {
      hh = parse_number(digits.substr(0, 2), 2, 2);
      mm = parse_number(digits.substr(2), 2, 2);
    } else if (digits.size() == 5 && digits[2] == ':') {  // "+09:00"
      hh = parse_number(digits.substr(0, 2), 2, 2);
      mm = parse_number(digits.substr(3), 2, 2);
    }
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
    return Offset{t[0], hh, mm};
  }
  for (const NamedZone& zone : kNamedZones) {
    if (iequals(t, zone.name)) return Offset{zone.sign, zone.hours, 0};
  }
  return Offset{};
}

}  // namespace

core::ReceivedHop parse_received(std::string_view value) {
  core::ReceivedHop hop;
  hop.raw = std::string(value);

  std::string_view clauses = value;
  if (std::size_t semi = value.rfind(';'); semi != kNpos) {
    clauses = value.substr(0, semi);
    if (auto date = parse_date(value.substr(semi + 1))) hop.timestamp = std::move(*date);
  }

  std::vector<Item> items = split_received(clauses);
  std::string_view from_name;
  bool seen_from = false;
  FromInfo from;
  std::size_t i = 0;
  while (i < items.size()) {
    Key key = keyword(items[i]);
    ++i;
    if (key == Key::kNone) continue;
    std::string_view word;
    if (i < items.size() && !items[i].comment && keyword(items[i]) == Key::kNone) {
      word = items[i].text;
      ++i;
    }
    switch (key) {
      case Key::kFrom:
        if (seen_from) break;
        seen_from = true;
        from_name = word;
        while (i < items.size() && items[i].comment) read_from_comment(items[i++].text, from);
        break;
      case Key::kBy:
        if (hop.by.empty()) hop.by = word;
        break;
      case Key::kWith:
        if (!hop.with.empty()) break;
        hop.with = word;
        // Exchange writes "with Microsoft SMTP Server"; keep the whole product name.
        if (iequals(word, "Microsoft")) {
          for (int n = 0; n < kMaxWithWords - 1 && i < items.size() && !items[i].comment &&
                          keyword(items[i]) == Key::kNone;
               ++n, ++i) {
            hop.with.push_back(' ');
            hop.with.append(items[i].text);
          }
        }
        break;
      case Key::kId:
        if (hop.id.empty()) hop.id = word;
        break;
      case Key::kFor:
        if (hop.for_address.empty()) hop.for_address = strip_angle(word);
        break;
      case Key::kVia:
      case Key::kNone:
        break;
    }
  }

  bool exim = false;
  for (const Item& item : items) {
    if (!item.comment) continue;
    if (istarts_with(trim(item.text), "Exim ")) exim = true;
    if (hop.auth_sender.empty()) hop.auth_sender = comment_auth_sender(item.text);
  }

  std::string name_ip = literal_ip(from_name);
  if (!from.helo.empty()) {
    // Exim "rdns ([ip] helo=X)" / "[ip] (helo=X)", qmail "rdns (HELO X) (ip)": the from name is
    // the receiver's own view of the client, the comment holds what the client claimed.
    hop.from_helo = from.helo;
    if (name_ip.empty() && !from_name.empty() && !iequals(from_name, "unknown") &&
        from.rdns.empty()) {
      from.rdns = from_name;
    }
  } else {
    hop.from_helo = from_name;
    // Exim omits helo= when it matched the verified rDNS name: "from rdns ([ip])".
    if (exim && from.bare_bracket && name_ip.empty() && from.rdns.empty()) from.rdns = from_name;
  }
  if (!from.rdns.empty() && from.rdns.back() == '.') from.rdns.remove_suffix(1);
  hop.from_rdns = from.rdns;
  hop.from_ip = !from.ip.empty() ? from.ip : name_ip;
  // qmail with an SMTP AUTH patch logs the user as remoteinfo: "(user@example.jp@192.0.2.1)".
  if (hop.auth_sender.empty() && !from.remoteinfo.empty() && is_authenticated_protocol(hop.with)) {
    hop.auth_sender = from.remoteinfo;
  }
  return hop;
}

std::vector<core::AuthResult> parse_authentication_results(std::string_view value) {
  std::vector<core::AuthResult> results;
  Cursor in(value);
  in.skip_cfws();

  // ARC-Authentication-Results starts with "i=N;"; skip it so both headers share this parser.
  std::size_t start = in.pos();
  if (std::string first = in.value(); first.size() > 2 && first.size() <= 4 &&
                                      istarts_with(first, "i=") &&
                                      parse_number(std::string_view(first).substr(2), 1, 2) >= 0) {
    in.skip_cfws();
    if (!in.done() && in.peek() == ';') in.advance();
    in.skip_cfws();
    start = in.pos();
  }
  in.reset(start);

  // authserv-id is a token or quoted string, so it cannot contain '='. Microsoft 365 omits it
  // and starts straight with "spf=...": then the first resinfo begins at the start.
  std::string authserv_id = in.value();
  if (authserv_id.find('=') != std::string::npos) {
    authserv_id.clear();
    in.reset(start);
  } else {
    in.skip_to_semicolon();  // optional version number
  }

  while (results.size() < kMaxAuthResults) {
    in.skip_cfws();
    if (in.done()) break;
    if (in.peek() == ';') {
      in.advance();
      continue;
    }
    std::string_view method = in.token();
    in.skip_cfws();
    if (method.empty() || in.done() || in.peek() != '=') {
      // "none" (no results), or junk: skip this resinfo. Always advance past a stray byte.
      if (method.empty() && !in.done() && in.peek() != ';') in.advance();
      in.skip_to_semicolon();
      continue;
    }
    in.advance();
    in.skip_cfws();
    std::string_view result = in.token();
    if (std::size_t slash = method.find('/'); slash != kNpos) method = method.substr(0, slash);
    method = trim(method);
    if (method.empty() || result.empty()) {
      in.skip_to_semicolon();
      continue;
    }
    core::AuthResult entry;
    entry.authserv_id = authserv_id;
    entry.method = ascii_lower(method);
    entry.result = ascii_lower(result);
    read_properties(in, entry);
    results.push_back(std::move(entry));
  }
  return results;
}

core::DkimSignature parse_dkim_signature(std::string_view value) {
  core::DkimSignature sig;
  // RFC 6376 3.2: a duplicated tag makes the signature invalid; keep the first for the record.
  bool seen_d = false, seen_s = false, seen_a = false, seen_c = false, seen_h = false,
       seen_i = false;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    std::size_t semi = value.find(';', pos);
    if (semi == kNpos) semi = value.size();
    std::string_view spec = value.substr(pos, semi - pos);
    pos = semi + 1;
    std::size_t eq = spec.find('=');
    if (eq == kNpos) continue;
    // Tag names are case-sensitive (RFC 6376 3.2); FWS may surround them.
    std::string_view name = trim(spec.substr(0, eq));
    std::string_view val = spec.substr(eq + 1);
    if (name == "d" && !seen_d) {
      seen_d = true;
      sig.domain = ascii_lower(remove_whitespace(val));
    } else if (name == "s" && !seen_s) {
      seen_s = true;
      sig.selector = remove_whitespace(val);
    } else if (name == "a" && !seen_a) {
      seen_a = true;
      sig.algorithm = remove_whitespace(val);
    } else if (name == "c" && !seen_c) {
      seen_c = true;
      sig.canonicalization = remove_whitespace(val);
    } else if (name == "i" && !seen_i) {
      seen_i = true;
      sig.identity = remove_whitespace(val);
    } else if (name == "h" && !seen_h) {
      seen_h = true;
      std::size_t start = 0;
      while (start <= val.size()) {
        std::size_t colon = val.find(':', start);
        if (colon == kNpos) colon = val.size();
        std::string_view field = trim(val.substr(start, colon - start));
        if (!field.empty()) sig.signed_headers.emplace_back(field);
        start = colon + 1;
      }
    }
    // b= and bh= are not stored: the triage does not verify signatures.
  }
  return sig;
}

std::optional<std::string> parse_date(std::string_view value) {
  std::array<std::string_view, kMaxDateTokens> tokens;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < value.size() && count < kMaxDateTokens) {
    char c = value[i];
    if (is_space(c) || c == ',' || c == ')') {
      ++i;
    } else if (c == '(') {
      i = skip_comment(value, i);  // "(JST)", "(UTC)"
    } else {
      std::size_t start = i;
      while (i < value.size() && !is_space(value[i]) && value[i] != ',' && value[i] != '(' &&
             value[i] != ')') {
        ++i;
      }
      tokens[count++] = value.substr(start, i - start);
    }
  }

  std::size_t k = 0;
  auto next = [&]() -> std::string_view { return k < count ? tokens[k++] : std::string_view(); };
  if (k < count && name_index(tokens[k], kWeekdays) >= 0) ++k;

  int day = -1, month = -1, year = -1;
  std::optional<Clock> clock;
  std::string_view zone;
  if (k < count && name_index(tokens[k], kMonths) >= 0) {
    // asctime() form some broken mailers write: "Tue Jan  5 09:12:00 [zone] 2026".
    month = name_index(next(), kMonths) + 1;
    day = parse_number(next(), 1, 2);
    clock = parse_time(next());
    std::string_view t = next();
    if (parse_number(t, 2, 4) >= 0) {
      year = parse_year(t);
      zone = next();
    } else {
      zone = t;
      year = parse_year(next());
    }
  } else {
    day = parse_number(next(), 1, 2);
    month = name_index(next(), kMonths) + 1;
    year = parse_year(next());
    clock = parse_time(next());
    zone = next();
  }
  if (day < 1 || month < 1 || year < 0 || !clock) return std::nullopt;
  if (day > days_in_month(year, month)) return std::nullopt;
  std::optional<Offset> offset = parse_zone(zone);
  if (!offset) return std::nullopt;

  char buf[128];  // room for any int the compiler cannot bound
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day,
                clock->hour, clock->minute, clock->second, offset->sign, offset->hours,
                offset->minutes);
  return std::string(buf);
}

}  // namespace emotriage::mime
