#include "core/text.hpp"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

namespace emotriage::core {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {
// Length of the valid UTF-8 sequence at `i`, or 0 if it is invalid (overlongs and surrogates
// included).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = s.size() - i;
  auto cont = [&](std::size_t k) { return (byte(i + k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return (n >= 2 && cont(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !cont(1) || !cont(2)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xE0 && c1 < 0xA0) return 0;
    if (c == 0xED && c1 >= 0xA0) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    unsigned char c1 = byte(i + 1);
    if (c == 0xF0 && c1 < 0x90) return 0;
    if (c == 0xF4 && c1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}
}  // namespace

std::size_t repair_utf8(std::string_view bytes, std::string& out) {
  std::size_t replaced = 0;
  out.reserve(out.size() + bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    // Fast path over ASCII runs.
    std::size_t start = i;
    while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80) ++i;
    out.append(bytes.data() + start, i - start);
    if (i >= bytes.size()) break;
    std::size_t len = utf8_sequence_length(bytes, i);
    if (len == 0) {
      out.append("\xEF\xBF\xBD");
      ++replaced;
      ++i;
    } else {
      out.append(bytes.data() + i, len);
      i += len;
    }
  }
  return replaced;
}

bool is_valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = utf8_sequence_length(bytes, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool is_ascii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::size_t count_replacement_chars(std::string_view utf8) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while ((pos = utf8.find("\xEF\xBF\xBD", pos)) != std::string_view::npos) {
    ++count;
    pos += 3;
  }
  return count;
}

namespace {

std::size_t memmem_from(std::string_view haystack, std::string_view needle, std::size_t from) {
  const void* hit =
      memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
  if (hit == nullptr) return std::string_view::npos;
  return static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data());
}

}  // namespace

// glibc's memmem looks at every byte with scalar code (about 3.5 instructions a byte); the mbox
// split and the MIME boundary search spend most of their time in it. 16 positions at a time are
// filtered on the needle's first and last byte (SSE2, always present on x86-64) and only the
// survivors compared whole. A crafted haystack can make every position a survivor, so long
// needles, where each comparison could cost much, keep memmem's linear two-way search.
std::size_t find_bytes(std::string_view haystack, std::string_view needle, std::size_t from) {
  if (from > haystack.size()) return std::string_view::npos;
#if defined(__SSE2__)
  constexpr std::size_t kBlock = 16;
  const std::size_t n = needle.size();
  if (n >= 2 && n <= 64) {
    const char* hay = haystack.data();
    const __m128i first = _mm_set1_epi8(needle.front());
    const __m128i last = _mm_set1_epi8(needle.back());
    std::size_t i = from;
    for (; i + n - 1 + kBlock <= haystack.size(); i += kBlock) {
      const __m128i at_first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay + i));
      const __m128i at_last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay + i + n - 1));
      auto candidates = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_and_si128(_mm_cmpeq_epi8(at_first, first), _mm_cmpeq_epi8(at_last, last))));
      while (candidates != 0) {
        const std::size_t at = i + static_cast<std::size_t>(__builtin_ctz(candidates));
        if (std::memcmp(hay + at + 1, needle.data() + 1, n - 2) == 0) return at;
        candidates &= candidates - 1;
      }
    }
    return memmem_from(haystack, needle, i);
  }
#endif
  return memmem_from(haystack, needle, from);
}

std::string_view utf8_prefix(std::string_view utf8, std::size_t max_bytes) {
  if (utf8.size() <= max_bytes) return utf8;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80) --cut;
  return utf8.substr(0, cut);
}

std::string grouped_digits(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

}  // namespace emotriage::core
