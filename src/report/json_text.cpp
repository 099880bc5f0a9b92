#include "report/json_text.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <charconv>

#include "core/text.hpp"

namespace emotriage::report {
namespace {

using Json = nlohmann::ordered_json;

// nlohmann's own text for what it alone decides: invalid UTF-8 (its replacement follows its
// decoder's state machine), floating-point numbers and binary values.
void append_nlohmann(std::string& out, const Json& value) {
  out += value.dump(-1, ' ', false, kJsonErrors);
}

// The escape each byte needs inside a JSON string (ensure_ascii off): none for every byte from
// 0x20 up, except the quote and the backslash.
constexpr std::array<bool, 256> make_needs_escape() {
  std::array<bool, 256> table{};
  for (std::size_t c = 0; c < 0x20; ++c) table[c] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}
constexpr auto kNeedsEscape = make_needs_escape();

void append_escaped(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      constexpr char kHex[] = "0123456789abcdef";
      const char code[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(code, sizeof code);
    }
  }
}

// Index of the first byte at or after `from` that the writer must look at: a control character,
// the quote, the backslash and, while the text is not yet known to be valid UTF-8, any byte
// from 0x80 up. Sixteen bytes at a time: headers and bodies are long runs of plain text.
std::size_t next_special(std::string_view text, std::size_t from, bool high_is_special) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i minus_one = _mm_set1_epi8(-1);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // Signed bytes: everything from 0x80 up is negative, so "below 0x20" includes it.
    __m128i below_space = _mm_cmpgt_epi8(space, chunk);
    if (!high_is_special)
      below_space = _mm_and_si128(below_space, _mm_cmpgt_epi8(chunk, minus_one));
    const __m128i special = _mm_or_si128(
        below_space, _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) {
      return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kNeedsEscape[c] || (high_is_special && c >= 0x80)) return i;
  }
  return i;
}

void append_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0;
  bool valid_utf8 = false;
  for (std::size_t i = next_special(text, 0, true); i < text.size();
       i = next_special(text, i, !valid_utf8)) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      // Everything before the first non-ASCII byte is ASCII: the rest decides.
      if (!core::is_valid_utf8(text.substr(i))) {
        out.resize(start);
        append_nlohmann(out, Json(std::string(text)));
        return;
      }
      valid_utf8 = true;
      continue;
    }
    out.append(text, run, i - run);
    append_escaped(out, c);
    run = ++i;
  }
  out.append(text, run);
  out += '"';
}

template <typename Integer>
void append_integer(std::string& out, Integer number) {
  std::array<char, 24> digits{};
  auto [end, error] = std::to_chars(digits.data(), digits.data() + digits.size(), number);
  out.append(digits.data(), end);
}

void append_value(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += value.get_ref<const Json::boolean_t&>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      append_integer(out, value.get_ref<const Json::number_integer_t&>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, value.get_ref<const Json::number_unsigned_t&>());
      return;
    case Json::value_t::string:
      append_string(out, value.get_ref<const Json::string_t&>());
      return;
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& element : value) {
        if (!first) out += ',';
        first = false;
        append_value(out, element);
      }
      out += ']';
      return;
    }
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto member = value.begin(); member != value.end(); ++member) {
        if (!first) out += ',';
        first = false;
        append_string(out, member.key());
        out += ':';
        append_value(out, member.value());
      }
      out += '}';
      return;
    }
    case Json::value_t::number_float:
    case Json::value_t::binary:
    case Json::value_t::discarded:
      append_nlohmann(out, value);
      return;
  }
}

}  // namespace

std::string compact_json(const Json& value) {
  std::string out;
  append_value(out, value);
  return out;
}

}  // namespace emotriage::report
