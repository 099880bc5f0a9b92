#include "mime/address.hpp"

#include "core/text.hpp"
#include "mime/rfc2047.hpp"

namespace emotriage::mime {

namespace {

constexpr std::size_t kMaxMailboxes = 2000;
constexpr std::size_t kMaxMessageIds = 500;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Splits at top-level commas (outside quotes, comments and angle brackets). Group syntax
// "name: a, b;" is flattened: the group name is dropped. Empty items are not kept; at most
// kMaxMailboxes items are, and `malformed` is set when more were cut.
std::vector<std::string> split_top_level(std::string_view s, bool& malformed) {
  std::vector<std::string> items;
  std::string current;
  bool in_quote = false;
  int comment_depth = 0;
  bool in_angle = false;
  std::size_t angle_begin = 0;  // index in `current` after the '<'
  auto push = [&] {
    if (!core::trim(current).empty()) items.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (items.size() >= kMaxMailboxes) {
      malformed = true;  // the list was cut
      current.clear();
      break;
    }
    char c = s[i];
    if (in_quote) {
      current.push_back(c);
      if (c == '\\' && i + 1 < s.size()) {
        current.push_back(s[++i]);
      } else if (c == '"') {
        in_quote = false;
      }
      continue;
    }
    if (comment_depth > 0) {
      current.push_back(c);
      if (c == '\\' && i + 1 < s.size()) {
        current.push_back(s[++i]);
      } else if (c == '(') {
        ++comment_depth;
      } else if (c == ')') {
        --comment_depth;
      }
      continue;
    }
    if (in_angle && c == ',' && (angle_begin >= current.size() || current[angle_begin] != '@')) {
      // A ',' inside "<...>" belongs only to a source route "<@a,@b:user@host>"; anything else
      // means the '>' is missing and the next mailbox starts here.
      in_angle = false;
      malformed = true;
    }
    if (c == '"') {
      in_quote = true;
    } else if (c == '(') {
      comment_depth = 1;
    } else if (c == '<') {
      if (in_angle) malformed = true;  // "<a <b>"
      in_angle = true;
      angle_begin = current.size() + 1;
    } else if (c == '>') {
      in_angle = false;
    } else if (!in_angle && (c == ',' || c == ';')) {
      push();
      continue;
    } else if (!in_angle && c == ':') {
      // "group:" - what came before is the group's name, not a mailbox.
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (in_quote || comment_depth > 0 || in_angle) malformed = true;
  if (items.size() < kMaxMailboxes) push();
  return items;
}

// Removes quotes and comments, keeping quoted content; returns comment text separately.
std::string strip_quotes_and_comments(std::string_view s, std::string& comments) {
  std::string out;
  bool in_quote = false;
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (depth > 0) {
      if (c == '(')
        ++depth;
      else if (c == ')') {
        if (--depth == 0) continue;
      } else if (c == '\\' && i + 1 < s.size()) {
        comments.push_back(s[++i]);
        continue;
      }
      if (depth > 0) comments.push_back(c);
      continue;
    }
    if (c == '\\' && i + 1 < s.size()) {
      out.push_back(s[++i]);
      continue;
    }
    if (c == '"') {
      in_quote = !in_quote;
      continue;
    }
    if (!in_quote && c == '(') {
      depth = 1;
      if (!comments.empty()) comments.push_back(' ');
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : core::trim(s)) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string decode_display(std::string_view raw) {
  DecodedHeader decoded = decode_header_text(raw);
  return collapse_spaces(decoded.text);
}

// Scans `s` outside quotes and comments, calling on_char(i, c, in_angle) for every such byte.
// Quoted pairs are skipped; nesting depth of comments is tracked, so this is linear.
template <typename F>
void scan_top_level(std::string_view s, F&& on_char) {
  bool in_quote = false;
  int depth = 0;
  bool in_angle = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_quote) {
      if (c == '"') in_quote = false;
      continue;
    }
    if (depth > 0) {
      if (c == '(')
        ++depth;
      else if (c == ')')
        --depth;
      continue;
    }
    if (c == '"') {
      in_quote = true;
    } else if (c == '(') {
      depth = 1;
    } else {
      if (c == '<') in_angle = true;
      on_char(i, c, in_angle);
      if (c == '>') in_angle = false;
    }
  }
}

// "Bob <bob@x> Bobby <bobby@y>" (no comma between two mailboxes): cuts an item after each
// closing '>' that is followed by another mailbox (an '@' or a '<' outside quotes and
// comments). Anything else after the '>' (a comment, stray words) stays with the item.
std::vector<std::string_view> split_run_on(std::string_view item, bool& malformed) {
  std::vector<std::size_t> cuts;
  scan_top_level(item, [&](std::size_t i, char c, bool in_angle) {
    if (c == '>' && in_angle) cuts.push_back(i + 1);
  });
  std::vector<std::string_view> pieces;
  std::size_t begin = 0;
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    std::size_t end = k + 1 < cuts.size() ? cuts[k + 1] : item.size();
    std::string_view rest = item.substr(cuts[k], end - cuts[k]);
    bool another = false;
    scan_top_level(rest,
                   [&](std::size_t, char c, bool) { another = another || c == '<' || c == '@'; });
    if (another) {
      pieces.push_back(item.substr(begin, cuts[k] - begin));
      begin = cuts[k];
      malformed = true;
    }
  }
  pieces.push_back(item.substr(begin));
  return pieces;
}

// Splits at white space outside quotes and comments.
std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t start = std::string_view::npos;
  bool in_quote = false;
  int depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!in_quote && depth == 0 && is_space(c)) {
      if (start != std::string_view::npos) words.push_back(s.substr(start, i - start));
      start = std::string_view::npos;
      continue;
    }
    if (start == std::string_view::npos) start = i;
    if (c == '\\') {
      ++i;
    } else if (in_quote) {
      if (c == '"') in_quote = false;
    } else if (depth > 0) {
      if (c == '(')
        ++depth;
      else if (c == ')')
        --depth;
    } else if (c == '"') {
      in_quote = true;
    } else if (c == '(') {
      depth = 1;
    }
  }
  if (start != std::string_view::npos) words.push_back(s.substr(start));
  return words;
}

// A mailbox written without angle brackets but with more than one word: "Big Bug bb@x" (a name
// without brackets) or "a@x b@y" (mailboxes without a comma). Each word with an '@' is an
// address; the words before it are its display name, words after the last address join the
// last display name. Returns false when this does not apply (one word, or no '@' at all).
bool parse_bare_words(std::string_view text, std::vector<core::Mailbox>& out) {
  struct Group {
    std::string name;  // raw words of the display name
    std::string address;
    std::string comments;  // "a@x (Name)": used when there is no name
  };
  struct Word {
    std::string_view raw;
    std::string plain;  // without quotes and comments
    std::string comments;
  };
  std::vector<Word> words;
  for (std::string_view raw : split_words(text)) {
    Word word{raw, {}, {}};
    word.plain = collapse_spaces(strip_quotes_and_comments(raw, word.comments));
    // "user @ host": white space around the '@' (obsolete syntax) keeps one address.
    if (!words.empty() && !word.plain.empty() && !words.back().plain.empty() &&
        (word.plain.front() == '@' || words.back().plain.back() == '@')) {
      Word& previous = words.back();
      previous.raw =
          std::string_view(previous.raw.data(),
                           static_cast<std::size_t>(raw.data() + raw.size() - previous.raw.data()));
      previous.plain += word.plain;
      if (!word.comments.empty()) {
        if (!previous.comments.empty()) previous.comments.push_back(' ');
        previous.comments += word.comments;
      }
      continue;
    }
    words.push_back(std::move(word));
  }
  std::size_t plain_words = 0, addresses = 0;
  for (const auto& word : words) {
    if (word.plain.empty()) continue;
    ++plain_words;
    if (word.plain.find('@') != std::string::npos) ++addresses;
  }
  if (plain_words < 2 || addresses == 0) return false;

  std::vector<Group> groups;
  Group current;
  auto append = [](std::string& to, std::string_view what) {
    if (what.empty()) return;
    if (!to.empty()) to.push_back(' ');
    to.append(what);
  };
  for (const auto& word : words) {
    if (word.plain.empty()) {
      append(current.comments, word.comments);
      continue;
    }
    if (!current.address.empty()) {
      groups.push_back(std::move(current));
      current = Group{};
    }
    if (word.plain.find('@') != std::string::npos) {
      current.address = word.plain;
      append(current.comments, word.comments);
    } else {
      append(current.name, word.raw);
    }
  }
  if (!current.address.empty()) {
    groups.push_back(std::move(current));
  } else {
    // Words after the last address: "bb@x Big Bug".
    append(groups.back().name, current.name);
    append(groups.back().comments, current.comments);
  }
  for (auto& group : groups) {
    core::Mailbox mailbox;
    mailbox.address = std::move(group.address);
    std::string ignored;
    mailbox.display_name = decode_display(strip_quotes_and_comments(group.name, ignored));
    if (mailbox.display_name.empty()) mailbox.display_name = decode_display(group.comments);
    out.push_back(std::move(mailbox));
  }
  return true;
}

}  // namespace

AddressList parse_address_list(std::string_view raw_in) {
  AddressList list;
  std::string raw = unfold(raw_in);
  // Addresses are ASCII in practice; repair anything else so output stays valid UTF-8.
  auto add = [&](core::Mailbox&& mailbox) {
    if (list.mailboxes.size() >= kMaxMailboxes) {
      list.malformed = true;
      return;
    }
    if (!core::is_valid_utf8(mailbox.address)) {
      std::string repaired;
      core::repair_utf8(mailbox.address, repaired);
      mailbox.address = std::move(repaired);
      list.malformed = true;
    }
    // A name without an address before another mailbox is an unquoted comma in a display name
    // ("Team, Name <a@x>"): mail clients show it as one sender, and so do we.
    if (!list.mailboxes.empty() && list.mailboxes.back().address.empty() &&
        !list.mailboxes.back().display_name.empty() && !mailbox.address.empty()) {
      std::string joined = list.mailboxes.back().display_name;
      if (!mailbox.display_name.empty()) joined += ", " + mailbox.display_name;
      mailbox.display_name = std::move(joined);
      list.mailboxes.pop_back();
      list.malformed = true;
    }
    if (!mailbox.address.empty() || !mailbox.display_name.empty()) {
      list.mailboxes.push_back(std::move(mailbox));
    }
  };
  for (const auto& item : split_top_level(raw, list.malformed)) {
    for (std::string_view piece : split_run_on(item, list.malformed)) {
      if (list.mailboxes.size() >= kMaxMailboxes) break;
      std::string_view text = core::trim(piece);
      if (text.empty()) continue;
      core::Mailbox mailbox;
      // The address is in the last <...> outside quotes; everything before it is the name.
      std::size_t angle = std::string_view::npos;
      bool in_quote = false;
      for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\') {
          ++i;
          continue;
        }
        if (text[i] == '"') in_quote = !in_quote;
        if (!in_quote && text[i] == '<') angle = i;
      }
      std::string comments;
      if (angle != std::string_view::npos) {
        std::size_t close = text.find('>', angle);
        std::string_view inside =
            text.substr(angle + 1, close == std::string_view::npos ? std::string_view::npos
                                                                   : close - angle - 1);
        if (close == std::string_view::npos) list.malformed = true;
        std::string ignored;
        mailbox.address = collapse_spaces(strip_quotes_and_comments(inside, ignored));
        // A source route "@a,@b:user@host" keeps only the mailbox.
        if (auto colon = mailbox.address.rfind(':');
            colon != std::string::npos && mailbox.address.starts_with('@')) {
          mailbox.address.erase(0, colon + 1);
        }
        std::string name = strip_quotes_and_comments(text.substr(0, angle), comments);
        mailbox.display_name = decode_display(name);
      } else if (std::vector<core::Mailbox> several; parse_bare_words(text, several)) {
        // No angle brackets and several words: "Name a@x", "a@x b@y".
        list.malformed = true;
        for (auto& one : several) add(std::move(one));
        continue;
      } else {
        mailbox.address = collapse_spaces(strip_quotes_and_comments(text, comments));
        // "user@host (Name)" - the old form puts the name in a comment.
        mailbox.display_name = decode_display(comments);
        if (mailbox.address.find('@') == std::string::npos) {
          // No address at all: "Undisclosed recipients" or a bare name.
          mailbox.display_name = decode_display(strip_quotes_and_comments(text, comments));
          mailbox.address.clear();
          list.malformed = true;
        }
      }
      add(std::move(mailbox));
    }
    if (list.mailboxes.size() >= kMaxMailboxes) break;
  }
  return list;
}

std::vector<std::string> parse_message_ids(std::string_view raw) {
  std::vector<std::string> ids;
  std::size_t pos = 0;
  while (ids.size() < kMaxMessageIds && pos < raw.size()) {
    char c = raw[pos];
    if (c == '(') {
      // A comment may hold "<...>" text that is not an id.
      int depth = 0;
      for (; pos < raw.size(); ++pos) {
        if (raw[pos] == '\\') {
          ++pos;
        } else if (raw[pos] == '(') {
          ++depth;
        } else if (raw[pos] == ')' && --depth == 0) {
          break;
        }
      }
      ++pos;
      continue;
    }
    if (c != '<') {
      ++pos;
      continue;
    }
    std::size_t close = raw.find('>', pos);
    if (close == std::string_view::npos) break;
    std::string id;
    for (char ch : raw.substr(pos, close - pos + 1)) {
      if (!is_space(ch)) id.push_back(ch);
    }
    std::string repaired;
    core::repair_utf8(id, repaired);
    ids.push_back(std::move(repaired));
    pos = close + 1;
  }
  if (ids.empty()) {
    std::string_view bare = core::trim(raw);
    if (!bare.empty()) {
      std::string repaired;
      core::repair_utf8(bare.substr(0, 998), repaired);
      ids.push_back(std::move(repaired));
    }
  }
  return ids;
}

}  // namespace emotriage::mime
