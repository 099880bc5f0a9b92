// Passwords offered by the mail's own text. Emotet put the ZIP password in the same mail
// (reference 1.3: legitimate PPAP sends it separately), so this is both an indicator and the key
// the attachment inspector tries. Precision matters more than recall: a sentence fragment
// returned as a "password" becomes a wrong evidence line.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "core/text.hpp"
#include "evidence/evidence.hpp"
#include "evidence/text.hpp"

namespace emotriage::evidence {
namespace {

// Lines read; a password sits near the top, and this bounds hostile one-character lines.
constexpr std::size_t kMaxLines = 20000;
// Labels looked for on one line; more is not text a person wrote.
constexpr int kMaxLabelsPerLine = 8;
constexpr std::size_t kMaxPasswordBytes = 64;
// Only the first non-empty line below a lone "パスワード" line may hold the password.
constexpr std::size_t kNextLineReach = 1;

struct Label {
  std::string_view text;  // NFKC form, ASCII ones lower case
  bool english;
};
// Longest first, so "password" wins over "pass" at the same position.
constexpr std::array kLabels{
    Label{"解凍パスワード", false},
    Label{"パスワード", false},
    Label{"暗証番号", false},
    Label{"password", true},
    Label{"passcode", true},
    Label{"passwd", true},
    Label{"pass", true},
    Label{"pwd", true},
    Label{"pw", true},
};

// The first byte of some label: every other position is passed over at once (this scan runs
// over every body of a mailbox).
constexpr std::array<bool, 256> kLabelFirstBytes = [] {
  std::array<bool, 256> first{};
  for (const Label& label : kLabels) first[static_cast<unsigned char>(label.text.front())] = true;
  return first;
}();

struct QuotePair {
  std::string_view open, close;
};
constexpr std::array kQuotes{
    QuotePair{"「", "」"}, QuotePair{"『", "』"}, QuotePair{"【", "】"},
    QuotePair{"\"", "\""}, QuotePair{"'", "'"},   QuotePair{"“", "”"},
    QuotePair{"‘", "’"},   QuotePair{"《", "》"}, QuotePair{"〈", "〉"},
};

// Words that follow "password" in sentences, never passwords themselves.
constexpr std::array<std::string_view, 40> kStopWords{
    "is",        "are",      "was",    "the",   "a",          "an",      "for",       "of",
    "to",        "be",       "will",   "sent",  "separately", "below",   "following", "attached",
    "protected", "required", "please", "mail",  "email",      "e-mail",  "file",      "here",
    "and",       "in",       "on",     "this",  "that",       "not",     "no",        "none",
    "n/a",       "you",      "your",   "reset", "change",     "expired", "policy",    "same",
};
// Japanese phrases after the label that mean "see the next lines".
constexpr std::array<std::string_view, 7> kSeeBelow{"下記",      "以下",       "次", "below",
                                                    "following", "as follows", "→"};

bool is_stop_word(std::string_view token) {
  std::string lower = core::ascii_lower(token);
  return std::ranges::find(kStopWords, lower) != kStopWords.end();
}

bool has_alnum(std::string_view token) {
  return std::ranges::any_of(token, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

bool is_printable_ascii(std::string_view text) {
  return std::ranges::all_of(text, [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// Digits, capitals after the first letter, or symbols: not an ordinary word.
bool looks_like_password(std::string_view token) {
  for (std::size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    bool lower = c >= 'a' && c <= 'z';
    bool upper = c >= 'A' && c <= 'Z';
    if (!lower && !(upper && i == 0)) return true;
  }
  return false;
}

std::optional<std::string> accept(std::string_view token) {
  if (token.empty() || token.size() > kMaxPasswordBytes) return std::nullopt;
  if (!is_printable_ascii(token) || !has_alnum(token) || is_stop_word(token)) return std::nullopt;
  if (core::istarts_with(token, "http") || core::istarts_with(token, "www.")) return std::nullopt;
  // Markup and URL parameters ("</td>", "target=") from HTML sources sent as text.
  if (token.find_first_of("<>") != std::string_view::npos || token.ends_with('=')) {
    return std::nullopt;
  }
  return std::string(token);
}

// A quoted password at the start of `text`: 「Ab12」, "Ab 12" (spaces allowed inside quotes).
std::optional<std::string> quoted_token(std::string_view text, bool* was_quoted) {
  for (const QuotePair& quote : kQuotes) {
    if (!text.starts_with(quote.open)) continue;
    *was_quoted = true;
    std::string_view inner = text.substr(quote.open.size());
    std::size_t close = inner.find(quote.close);
    if (close == std::string_view::npos) return std::nullopt;
    return accept(trim_spaces(inner.substr(0, close)));
  }
  return std::nullopt;
}

// The printable-ASCII run at the start of `text`, sentence punctuation trimmed: "Ab12です" -> Ab12.
std::optional<std::string> bare_token(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && text[end] > 0x20 && text[end] < 0x7f) ++end;
  std::string_view token = text.substr(0, end);
  while (!token.empty() && std::string_view(".,;:").find(token.back()) != std::string_view::npos) {
    token.remove_suffix(1);
  }
  if (token.ends_with(')') && token.find('(') == std::string_view::npos) token.remove_suffix(1);
  return accept(token);
}

std::optional<std::string> line_as_password(std::string_view line) {
  line = trim_spaces(line);
  bool quoted = false;
  if (auto token = quoted_token(line, &quoted)) return token;
  if (quoted || line.find(' ') != std::string_view::npos) return std::nullopt;
  std::optional<std::string> token = bare_token(line);
  // The whole line must be the token, or it was a sentence.
  if (!token || token->size() + 2 < line.size()) return std::nullopt;
  return token;
}

struct AfterLabel {
  std::optional<std::string> password;
  bool quoted = false;
  bool look_below = false;
};

AfterLabel read_after_label(std::string_view rest, bool english) {
  AfterLabel result;
  bool separated = false;
  bool spaced = false;
  bool said_is = false;
  // Separators in any order: "】：", " is ", "は「", "=" ...
  for (int step = 0; step < 6; ++step) {
    std::string_view trimmed = trim_spaces(rest);
    if (trimmed.size() != rest.size()) spaced = true;
    rest = trimmed;
    bool consumed = false;
    for (std::string_view separator : {":", "=", "】", "]", ")", "は", "-"}) {
      if (rest.starts_with(separator)) {
        rest.remove_prefix(separator.size());
        separated = consumed = true;
        break;
      }
    }
    if (!consumed && english && core::istarts_with(rest, "is") &&
        (rest.size() == 2 || rest[2] == ' ')) {
      rest.remove_prefix(2);
      separated = consumed = said_is = true;
    }
    if (!consumed) break;
  }
  rest = trim_spaces(rest);
  if (rest.empty()) {
    result.look_below = true;
    return result;
  }
  for (std::string_view phrase : kSeeBelow) {
    if (core::istarts_with(rest, phrase)) {
      result.look_below = true;
      return result;
    }
  }
  result.password = quoted_token(rest, &result.quoted);
  if (result.quoted) return result;
  // "password protected" / "パスワードを別途": a label with no separator is a sentence.
  if (!separated && (english || !spaced)) return result;
  result.password = bare_token(rest);
  // "password is due to expire": after "is", a plain word must end the sentence to count.
  if (result.password && said_is && !looks_like_password(*result.password)) {
    std::string_view after = trim_spaces(rest.substr(result.password->size()));
    if (!after.empty() && !after.starts_with('.') && static_cast<unsigned char>(after[0]) < 0x80) {
      result.password.reset();
    }
  }
  return result;
}

// A character before an English label that makes it part of a word, a URL parameter or markup
// ("compass", "?pw=", "data-pass").
bool touches_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("/?&=._-").find(c) != std::string_view::npos;
}

struct Candidate {
  std::string value;
  int rank;  // quoted 3, label + separator 2, next line 1
};

}  // namespace

std::vector<std::string> password_candidates(std::string_view text) {
  std::string folded = fold_width(text);
  std::vector<std::string_view> lines = split_lines(folded);
  if (lines.size() > kMaxLines) lines.resize(kMaxLines);

  std::vector<Candidate> candidates;
  auto add = [&](std::string value, int rank) {
    auto same = std::ranges::find(candidates, value, &Candidate::value);
    if (same == candidates.end()) {
      candidates.push_back({std::move(value), rank});
    } else {
      same->rank = std::max(same->rank, rank);
    }
  };

  for (std::size_t index = 0; index < lines.size(); ++index) {
    std::string lower = core::ascii_lower(lines[index]);
    int labels_seen = 0;
    std::size_t pos = 0;
    while (pos < lower.size() && labels_seen < kMaxLabelsPerLine) {
      if (!kLabelFirstBytes[static_cast<unsigned char>(lower[pos])]) {
        ++pos;
        continue;
      }
      const Label* label = nullptr;
      for (const Label& candidate : kLabels) {
        if (std::string_view(lower).substr(pos).starts_with(candidate.text) &&
            (!candidate.english || pos == 0 || !touches_word(lower[pos - 1]))) {
          label = &candidate;
          break;
        }
      }
      if (label == nullptr) {
        ++pos;
        continue;
      }
      ++labels_seen;
      pos += label->text.size();
      std::string_view rest = std::string_view(lines[index]).substr(pos);
      AfterLabel after = read_after_label(rest, label->english);
      if (after.password) {
        add(std::move(*after.password), after.quoted ? 3 : 2);
      } else if (after.look_below) {
        std::size_t seen = 0;
        for (std::size_t next = index + 1; next < lines.size() && seen < kNextLineReach; ++next) {
          if (trim_spaces(lines[next]).empty()) continue;
          ++seen;
          if (auto password = line_as_password(lines[next])) {
            add(std::move(*password), 1);
            break;
          }
        }
      }
    }
  }
  std::ranges::stable_sort(candidates, std::greater<>{}, &Candidate::rank);
  std::vector<std::string> passwords;
  passwords.reserve(candidates.size());
  for (Candidate& candidate : candidates) passwords.push_back(std::move(candidate.value));
  return passwords;
}

}  // namespace emotriage::evidence
