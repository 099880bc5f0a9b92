#include "evidence/thread.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "core/text.hpp"
#include "evidence/text.hpp"

namespace emotriage::evidence {
namespace {

// Real subjects stack a handful of prefixes; a hostile one may stack thousands.
constexpr int kMaxPrefixes = 32;
constexpr std::size_t kMaxLines = 20000;
constexpr std::size_t kMaxParticipants = 100;
constexpr std::size_t kMaxPeoplePerValue = 50;
constexpr std::size_t kMaxMarkers = 5;
constexpr std::size_t kMaxMarkerBytes = 200;
// Lines an Outlook header block spans (From/Sent/To/Cc/Subject plus wrapped recipient lines).
constexpr std::size_t kHeaderBlockLines = 10;

struct Prefix {
  std::string_view word;  // lower case, NFKC
  bool forward;
};
// English/Japanese first; AW/WG (German), SV/VS (Nordic), TR/RV/RIF (Romance) and Chinese
// clients put their own words in quoted subjects of the same stolen threads.
constexpr std::array kPrefixes{
    Prefix{"re", false},   Prefix{"返信", false}, Prefix{"aw", false},   Prefix{"sv", false},
    Prefix{"antw", false}, Prefix{"rif", false},  Prefix{"回复", false}, Prefix{"答复", false},
    Prefix{"fwd", true},   Prefix{"fw", true},    Prefix{"転送", true},  Prefix{"wg", true},
    Prefix{"tr", true},    Prefix{"vs", true},    Prefix{"rv", true},    Prefix{"转发", true},
};

// Skips "[2]", "(3)", "*4" between a prefix word and its colon.
std::string_view skip_counter(std::string_view text) {
  if (text.empty()) return text;
  char open = text.front();
  if (open == '*') {
    std::size_t digits = 1;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    return digits > 1 ? text.substr(digits) : text;
  }
  char close = open == '[' ? ']' : open == '(' ? ')' : '\0';
  if (close == '\0') return text;
  std::size_t end = text.find(close);
  if (end == std::string_view::npos || end < 2 || end > 6) return text;
  for (std::size_t i = 1; i < end; ++i) {
    if (text[i] < '0' || text[i] > '9') return text;
  }
  return text.substr(end + 1);
}

}  // namespace

SubjectPrefixes parse_subject_prefixes(std::string_view subject) {
  std::string folded = fold_width(subject);
  std::string lower = core::ascii_lower(folded);
  std::string_view rest = lower;
  SubjectPrefixes result;
  for (int step = 0; step < kMaxPrefixes; ++step) {
    rest = trim_spaces(rest);
    const Prefix* matched = nullptr;
    std::string_view after;
    for (const Prefix& prefix : kPrefixes) {
      if (!rest.starts_with(prefix.word)) continue;
      std::string_view tail = trim_spaces(skip_counter(rest.substr(prefix.word.size())));
      if (tail.starts_with(':')) {
        matched = &prefix;
        after = tail.substr(1);
        break;
      }
    }
    if (matched == nullptr) break;
    if (step == 0) result.forward_first = matched->forward;
    (matched->forward ? result.forwards : result.replies) += 1;
    rest = after;
  }
  // Same length in `lower` and `folded`: ascii_lower changes no byte counts.
  result.base =
      std::string(trim_spaces(std::string_view(folded).substr(folded.size() - rest.size())));
  return result;
}

namespace {

bool is_address_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("._%+-=!#$&'*/?^`{|}~@").find(c) != std::string_view::npos;
}

bool looks_like_address(std::string_view text) {
  std::size_t at = text.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
         text.find('@', at + 1) == std::string_view::npos &&
         text.find('.', at) != std::string_view::npos && std::ranges::all_of(text, is_address_char);
}

std::string_view strip_name(std::string_view name) {
  for (;;) {
    std::string_view before = name;
    name = trim_spaces(name);
    for (std::string_view quote : {"\"", "'", "“", "”", "*"}) {
      if (name.starts_with(quote)) name.remove_prefix(quote.size());
      if (name.ends_with(quote)) name.remove_suffix(quote.size());
    }
    if (name.ends_with(',') || name.ends_with(';')) name.remove_suffix(1);
    if (name.size() == before.size()) return name;
  }
}

std::optional<QuotedParticipant> parse_person(std::string_view piece) {
  piece = trim_spaces(piece);
  if (piece.empty()) return std::nullopt;
  QuotedParticipant person;
  std::size_t open = piece.find('<');
  std::size_t mailto = core::ascii_lower(piece).find("[mailto:");
  if (open != std::string_view::npos) {
    std::size_t close = piece.find('>', open);
    std::string_view address = piece.substr(
        open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
    if (core::istarts_with(address, "mailto:")) address.remove_prefix(7);
    if (looks_like_address(trim_spaces(address))) person.address = trim_spaces(address);
    person.display_name = strip_name(piece.substr(0, open));
  } else if (mailto != std::string::npos) {
    std::size_t close = piece.find(']', mailto);
    std::string_view address = piece.substr(
        mailto + 8, close == std::string_view::npos ? std::string_view::npos : close - mailto - 8);
    if (looks_like_address(trim_spaces(address))) person.address = trim_spaces(address);
    person.display_name = strip_name(piece.substr(0, mailto));
  } else if (looks_like_address(strip_name(piece))) {
    person.address = strip_name(piece);
  } else {
    person.display_name = strip_name(piece);
  }
  if (person.address.empty() && person.display_name.empty()) return std::nullopt;
  // A display name that is the address itself says nothing more.
  if (core::iequals(person.display_name, person.address)) person.display_name.clear();
  return person;
}

// Splits on `separator` outside double quotes ("Yamada, Taro" <t@x>, b@y).
void split_on(std::string_view text, char separator, std::vector<std::string_view>& out) {
  std::size_t start = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size() && out.size() < kMaxPeoplePerValue; ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == separator && !quoted) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (out.size() < kMaxPeoplePerValue) out.push_back(text.substr(start));
}

}  // namespace

std::vector<QuotedParticipant> parse_people(std::string_view value) {
  std::vector<std::string_view> pieces;
  split_on(value, ';', pieces);
  std::vector<QuotedParticipant> people;
  for (std::string_view piece : pieces) {
    // Outlook separates with ';'; others with ',' — but "Yamada, Taro" is one person.
    std::vector<std::string_view> parts;
    if (std::ranges::count(piece, '@') > 1) {
      split_on(piece, ',', parts);
    } else {
      parts.push_back(piece);
    }
    for (std::string_view part : parts) {
      if (people.size() >= kMaxPeoplePerValue) return people;
      if (auto person = parse_person(part)) people.push_back(std::move(*person));
    }
  }
  return people;
}

namespace {

struct HeaderName {
  std::string_view name;  // lower case, NFKC
  HeaderKey key;
};
constexpr std::array kHeaderNames{
    HeaderName{"from", HeaderKey::from},       HeaderName{"差出人", HeaderKey::from},
    HeaderName{"送信者", HeaderKey::from},     HeaderName{"送信元", HeaderKey::from},
    HeaderName{"sent", HeaderKey::sent},       HeaderName{"date", HeaderKey::sent},
    HeaderName{"送信日時", HeaderKey::sent},   HeaderName{"日付", HeaderKey::sent},
    HeaderName{"日時", HeaderKey::sent},       HeaderName{"to", HeaderKey::to},
    HeaderName{"宛先", HeaderKey::to},         HeaderName{"cc", HeaderKey::cc},
    HeaderName{"subject", HeaderKey::subject}, HeaderName{"件名", HeaderKey::subject},
};

struct SeparatorTitle {
  std::string_view title;  // lower case, NFKC
  SeparatorKind kind;
};
constexpr std::array kSeparatorTitles{
    SeparatorTitle{"original message", SeparatorKind::original},
    SeparatorTitle{"元のメッセージ", SeparatorKind::original},
    SeparatorTitle{"original message follows", SeparatorKind::original},
    SeparatorTitle{"オリジナルメッセージ", SeparatorKind::original},
    SeparatorTitle{"forwarded message", SeparatorKind::forwarded},
    SeparatorTitle{"転送メッセージ", SeparatorKind::forwarded},
    SeparatorTitle{"転送されたメッセージ", SeparatorKind::forwarded},
};

}  // namespace

std::string_view unquote(std::string_view line, bool* quoted) {
  line = trim_spaces(line);
  *quoted = false;
  while (line.starts_with('>')) {
    *quoted = true;
    line = trim_spaces(line.substr(1));
  }
  return line;
}

std::pair<HeaderKey, std::string_view> header_line(std::string_view line) {
  while (line.starts_with('*')) line.remove_prefix(1);
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 16) return {HeaderKey::none, {}};
  std::string name = core::ascii_lower(trim_spaces(line.substr(0, colon)));
  while (!name.empty() && name.back() == '*') name.pop_back();
  for (const HeaderName& header : kHeaderNames) {
    if (name == header.name) {
      std::string_view value = line.substr(colon + 1);
      while (value.starts_with('*')) value.remove_prefix(1);
      return {header.key, trim_spaces(value)};
    }
  }
  return {HeaderKey::none, {}};
}

SeparatorKind separator_kind(std::string_view line) {
  if (!line.starts_with("--") && !line.starts_with("__") && !line.starts_with("==")) {
    return SeparatorKind::none;
  }
  std::size_t first = line.find_first_not_of("-_= ");
  std::size_t last = line.find_last_not_of("-_= ");
  if (first == std::string_view::npos) return SeparatorKind::none;
  std::string title = core::ascii_lower(line.substr(first, last - first + 1));
  const auto found = std::ranges::find(kSeparatorTitles, title, &SeparatorTitle::title);
  return found == kSeparatorTitles.end() ? SeparatorKind::none : found->kind;
}

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// End of the last "H:MM" (with optional ":SS", " AM"/" PM") in `text`, or 0.
std::size_t after_last_time(std::string_view text) {
  std::size_t best = 0;
  for (std::size_t i = 1; i + 2 < text.size(); ++i) {
    if (text[i] != ':' || !is_digit(text[i - 1]) || !is_digit(text[i + 1]) ||
        !is_digit(text[i + 2])) {
      continue;
    }
    std::size_t end = i + 3;
    if (end + 2 < text.size() && text[end] == ':' && is_digit(text[end + 1]) &&
        is_digit(text[end + 2])) {
      end += 3;
    }
    std::string lower = core::ascii_lower(text.substr(end, 3));
    if (lower == " am" || lower == " pm") end += 3;
    best = end;
  }
  return best;
}

// "On Mon, Jan 5, 2026 at 9:12 AM 山田 太郎 <t@x> wrote:", "2026年1月5日(月) 9:12 山田 <t@x>:",
// "山田 太郎 さんは書きました:" -> the person; nullopt when the line is no attribution.
std::optional<QuotedParticipant> attribution(std::string_view line) {
  std::string lower = core::ascii_lower(line);
  std::string_view head;
  bool japanese = false;
  for (std::string_view ending :
       {"wrote:", "writes:", "書きました:", "書きました。", "書きました"}) {
    if (std::string_view(lower).ends_with(ending)) {
      head = line.substr(0, line.size() - ending.size());
      japanese = !ending.starts_with('w');
      break;
    }
  }
  if (head.empty() && lower.ends_with(">:") && lower.find('@') != std::string::npos) {
    head = line.substr(0, line.size() - 1);
  }
  if (head.empty()) return std::nullopt;
  head = trim_spaces(head);
  if (japanese) {
    for (std::string_view particle : {"さんは", "さんが", "は", "が"}) {
      if (head.ends_with(particle)) {
        head.remove_suffix(particle.size());
        break;
      }
    }
  }
  if (core::istarts_with(head, "on ")) head.remove_prefix(3);
  std::size_t open = head.rfind('<');
  std::string_view before = open == std::string_view::npos ? head : head.substr(0, open);
  std::size_t cut =
      std::max(after_last_time(before),
               before.rfind(',') == std::string_view::npos ? 0 : before.rfind(',') + 1);
  std::string_view person = head.substr(cut);
  auto result = parse_person(person);
  if (result && result->address.empty() && result->display_name.size() > 64) return std::nullopt;
  return result;
}

}  // namespace

QuotedThread parse_quoted_thread(std::string_view folded_text) {
  QuotedThread thread;
  std::vector<std::string_view> lines = split_lines(folded_text.substr(0, kMaxScanBytes));
  if (lines.size() > kMaxLines) lines.resize(kMaxLines);

  auto mark = [&](std::string_view line) {
    auto offset = static_cast<std::size_t>(line.data() - folded_text.data());
    thread.found = true;
    thread.start = std::min(thread.start, offset);
    if (thread.markers.size() < kMaxMarkers) {
      thread.markers.emplace_back(core::utf8_prefix(trim_spaces(line), kMaxMarkerBytes));
    }
  };
  auto add_people = [&](std::string_view value) {
    for (QuotedParticipant& person : parse_people(value)) {
      if (thread.participants.size() >= kMaxParticipants) return;
      bool seen = std::ranges::any_of(thread.participants, [&](const QuotedParticipant& known) {
        return person.address.empty()
                   ? known.address.empty() && known.display_name == person.display_name
                   : core::iequals(known.address, person.address);
      });
      if (!seen) thread.participants.push_back(std::move(person));
    }
  };

  std::size_t quoted_lines = 0;
  std::string_view first_quoted;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    bool quoted = false;
    std::string_view line = unquote(lines[index], &quoted);
    if (quoted && ++quoted_lines == 1) first_quoted = lines[index];
    if (separator_kind(line) != SeparatorKind::none) {
      mark(lines[index]);
      continue;
    }
    auto [key, value] = header_line(line);
    if (key == HeaderKey::from) {
      // An Outlook block: From, then Sent or Subject within the next lines.
      std::vector<std::pair<HeaderKey, std::string_view>> block{{key, value}};
      std::size_t end = index + 1;
      for (; end < lines.size() && end < index + kHeaderBlockLines; ++end) {
        bool inner_quoted = false;
        std::string_view next = unquote(lines[end], &inner_quoted);
        if (next.empty()) break;
        auto field = header_line(next);
        if (field.first == HeaderKey::from) break;
        if (field.first != HeaderKey::none) block.push_back(field);
      }
      // Two lines "From: ... / Date: ..." occur in prose; a real block has three fields or an
      // address after From.
      bool complete = std::ranges::any_of(block,
                                          [](const auto& field) {
                                            return field.first == HeaderKey::sent ||
                                                   field.first == HeaderKey::subject;
                                          }) &&
                      (block.size() >= 3 || value.find('@') != std::string_view::npos);
      if (complete) {
        mark(lines[index]);
        for (const auto& [field_key, field_value] : block) {
          if (field_key == HeaderKey::from || field_key == HeaderKey::to ||
              field_key == HeaderKey::cc) {
            add_people(field_value);
          }
          // Outlook often shows names only ("To: Yamada, Taro"); only addresses let the
          // caller check that the sender was on the thread.
          if ((field_key == HeaderKey::to || field_key == HeaderKey::cc) &&
              field_value.find('@') != std::string_view::npos) {
            thread.lists_recipients = true;
          }
        }
        index = end - 1;
        continue;
      }
    }
    std::optional<QuotedParticipant> author = attribution(line);
    // Gmail wraps a long "On ... wrote:" line in two.
    if (!author && index + 1 < lines.size() && core::istarts_with(line, "on ")) {
      bool next_quoted = false;
      std::string joined =
          std::string(line) + " " + std::string(unquote(lines[index + 1], &next_quoted));
      author = attribution(joined);
    }
    if (author) {
      mark(lines[index]);
      if (thread.participants.size() < kMaxParticipants) {
        add_people(author->address.empty() ? author->display_name
                                           : author->display_name + " <" + author->address + ">");
      }
    }
  }
  // One '>' line can be anything; two or more are a quote.
  if (quoted_lines >= 2) mark(first_quoted);
  return thread;
}

}  // namespace emotriage::evidence
