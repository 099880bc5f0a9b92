// Small helpers shared by the line parsers: string-keyed maps with lookup by string_view, and
// "key=value" fields of log lines.
#pragma once
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace emotriage::logs {

// A 64-bit hash of short texts (queue ids, addresses, IPs), 8 bytes a step with splitmix64's
// final mix: several times cheaper than std::hash on them, and good enough for tables whose
// collisions cost a comparison (or, in a HashSet64, one distinct value in 10^9).
inline std::uint64_t text_hash(std::string_view text) {
  constexpr std::uint64_t kOdd = 0x9E3779B97F4A7C15ull;
  std::uint64_t hash = text.size() * kOdd;
  const char* data = text.data();
  std::size_t left = text.size();
  std::uint64_t word = 0;
  for (; left >= 8; left -= 8, data += 8) {
    std::memcpy(&word, data, 8);
    hash = (hash ^ word) * kOdd;
    hash ^= hash >> 32;
  }
  // The tail from fixed-size loads (no call to memcpy): two overlapping halves, or three bytes.
  if (left >= 4) {
    std::uint32_t low = 0, high = 0;
    std::memcpy(&low, data, 4);
    std::memcpy(&high, data + left - 4, 4);
    hash = (hash ^ (std::uint64_t{high} << 32 | low)) * kOdd;
  } else if (left > 0) {
    const auto byte = [&](std::size_t i) {
      return std::uint64_t{static_cast<unsigned char>(data[i])};
    };
    hash = (hash ^ (byte(0) << 16 | byte(left / 2) << 8 | byte(left - 1))) * kOdd;
  }
  hash ^= hash >> 30;
  hash *= 0xBF58476D1CE4E5B9ull;
  hash ^= hash >> 27;
  hash *= 0x94D049BB133111EBull;
  return hash ^ (hash >> 31);
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const { return text_hash(text); }
};
template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Distinct values counted by a 64-bit hash of their text (open addressing, linear probing):
// 8 bytes a value and no allocation per insert; a collision among 100,000 values has a
// probability of about 3e-10.
class HashSet64 {
 public:
  bool contains(std::uint64_t hash) const {
    if (slots_.empty()) return false;
    const std::uint64_t value = stored(hash);
    for (std::size_t i = value & mask(); slots_[i] != 0; i = (i + 1) & mask()) {
      if (slots_[i] == value) return true;
    }
    return false;
  }
  // Adds a value not contained yet.
  void add(std::uint64_t hash) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(stored(hash));
    ++size_;
  }
  std::size_t size() const { return size_; }

 private:
  static std::uint64_t stored(std::uint64_t hash) { return hash == 0 ? 1 : hash; }  // 0: empty
  std::size_t mask() const { return slots_.size() - 1; }
  void place(std::uint64_t value) {
    std::size_t i = value & mask();
    while (slots_[i] != 0) i = (i + 1) & mask();
    slots_[i] = value;
  }
  void grow() {
    std::vector<std::uint64_t> old(slots_.empty() ? 16 : slots_.size() * 2, 0);
    old.swap(slots_);
    for (std::uint64_t value : old) {
      if (value != 0) place(value);
    }
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

enum class LineResult { used, ignored, unknown };

// Equality of short texts (queue ids) without a call to memcmp.
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t size = a.size();
  if (size != b.size()) return false;
  const auto same = [&](std::size_t at, auto word) {
    decltype(word) x = 0, y = 0;
    std::memcpy(&x, a.data() + at, sizeof x);
    std::memcpy(&y, b.data() + at, sizeof y);
    return x == y;
  };
  if (size >= 8) {
    for (std::size_t i = 0; i + 8 < size; i += 8) {
      if (!same(i, std::uint64_t{})) return false;
    }
    return same(size - 8, std::uint64_t{});  // the tail, overlapping
  }
  if (size >= 4) return same(0, std::uint32_t{}) && same(size - 4, std::uint32_t{});
  for (std::size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The first `needle` in text at or after pos, or npos. libstdc++'s string_view::find compares
// byte by byte; memchr skips to candidates (a third of the time of field extraction).
inline std::size_t find_text(std::string_view text, std::string_view needle, std::size_t pos = 0) {
  if (needle.empty()) return pos <= text.size() ? pos : std::string_view::npos;
  while (pos < text.size() && text.size() - pos >= needle.size()) {
    const void* found =
        std::memchr(text.data() + pos, needle[0], text.size() - pos - needle.size() + 1);
    if (found == nullptr) break;
    pos = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    if (std::memcmp(text.data() + pos + 1, needle.data() + 1, needle.size() - 1) == 0) return pos;
    ++pos;
  }
  return std::string_view::npos;
}

// The value after `key` (which includes its '='), up to `stop` or the end; npos-safe.
inline std::string_view value_after(std::string_view text, std::string_view key, char stop = ',') {
  std::size_t pos = find_text(text, key);
  while (pos != std::string_view::npos && pos != 0 && text[pos - 1] != ' ' &&
         text[pos - 1] != ',') {
    pos = find_text(text, key, pos + 1);
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

// A table rather than three ranges: queue ids are scanned on every line.
inline constexpr auto kIdChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
  return table;
}();

inline bool is_id_char(char c) {
  return kIdChars[static_cast<unsigned char>(c)];
}

// A Postfix or Sendmail queue id followed by ": " at the start of text; its length or 0.
inline std::size_t queue_id_length(std::string_view text) {
  const std::size_t most = std::min<std::size_t>(text.size(), 32);
  std::size_t length = 0;
  while (length < most && is_id_char(text[length])) ++length;
  if (length < 5 || length + 1 >= text.size() || text[length] != ':' || text[length + 1] != ' ') {
    return 0;
  }
  return length;
}

}  // namespace emotriage::logs
