// Small helpers shared by the line parsers: string-keyed maps with lookup by string_view, and
// "key=value" fields of log lines.
#pragma once
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace emotriage::logs {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};
template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

enum class LineResult { used, ignored, unknown };

// The value after `key` (which includes its '='), up to `stop` or the end; npos-safe.
inline std::string_view value_after(std::string_view text, std::string_view key, char stop = ',') {
  std::size_t pos = text.find(key);
  while (pos != std::string_view::npos && pos != 0 && text[pos - 1] != ' ' &&
         text[pos - 1] != ',') {
    pos = text.find(key, pos + 1);
  }
  if (pos == std::string_view::npos) return {};
  const std::string_view rest = text.substr(pos + key.size());
  return rest.substr(0, rest.find(stop));
}

// "<addr>" -> "addr"; text without brackets is returned as is.
inline std::string_view strip_angles(std::string_view text) {
  if (text.size() >= 2 && text.front() == '<') {
    const std::size_t close = text.find('>');
    if (close != std::string_view::npos) return text.substr(1, close - 1);
  }
  return text;
}

// "name[1.2.3.4]:25" or "name [1.2.3.4]" -> "1.2.3.4"; empty when there is no bracket.
inline std::string_view bracketed_ip(std::string_view text) {
  const std::size_t open = text.find('[');
  if (open == std::string_view::npos) return {};
  const std::size_t close = text.find(']', open);
  if (close == std::string_view::npos) return {};
  std::string_view ip = text.substr(open + 1, close - open - 1);
  if (ip.starts_with("IPv6:")) ip.remove_prefix(5);
  return ip;
}

// Leading decimal digits of text; 0 when there are none.
inline std::uint64_t number(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

inline bool is_loopback(std::string_view ip) {
  return ip.starts_with("127.") || ip == "::1" || ip == "localhost";
}

inline bool is_id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A Postfix or Sendmail queue id followed by ": " at the start of text; its length or 0.
inline std::size_t queue_id_length(std::string_view text) {
  std::size_t length = 0;
  while (length < text.size() && length < 32 && is_id_char(text[length])) ++length;
  if (length < 5 || length + 1 >= text.size() || text[length] != ':' || text[length + 1] != ' ') {
    return 0;
  }
  return length;
}

}  // namespace emotriage::logs
