#include "mime/transfer.hpp"

#include <array>
#include <cstdint>

namespace emotriage::mime {

namespace {

constexpr std::array<signed char, 256> make_base64_table() {
  std::array<signed char, 256> table{};
  for (auto& v : table) v = -1;
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
  }
  return table;
}
constexpr auto kBase64 = make_base64_table();

// The same table with each value already shifted into its place in a quantum, one table per
// position, and a flag bit above the 24 data bits for a character outside the alphabet: a whole
// quantum is then four lookups and three ORs.
constexpr std::uint32_t kNotAlphabet = 1u << 24;
constexpr std::array<std::array<std::uint32_t, 256>, 4> make_shifted_tables() {
  std::array<std::array<std::uint32_t, 256>, 4> tables{};
  for (std::size_t position = 0; position < 4; ++position) {
    for (std::size_t c = 0; c < 256; ++c) {
      tables[position][c] = kBase64[c] < 0
                                ? kNotAlphabet
                                : static_cast<std::uint32_t>(kBase64[c]) << (6 * (3 - position));
    }
  }
  return tables;
}
constexpr auto kShifted = make_shifted_tables();

// Decodes whole quanta of four alphabet characters from `src[i]` on, as far as they go; returns
// the new `i` and advances `dst`.
std::size_t decode_quanta(const unsigned char* src, std::size_t i, std::size_t n, char*& dst) {
  while (i + 4 <= n) {
    const std::uint32_t v = kShifted[0][src[i]] | kShifted[1][src[i + 1]] |
                            kShifted[2][src[i + 2]] | kShifted[3][src[i + 3]];
    if ((v & kNotAlphabet) != 0) break;
    dst[0] = static_cast<char>(v >> 16);
    dst[1] = static_cast<char>(v >> 8);
    dst[2] = static_cast<char>(v);
    dst += 3;
    i += 4;
  }
  return i;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool decode_base64_lenient(std::string_view text, std::string& out, bool stop_at_padding) {
  // Attachments are almost all of a mailbox's bytes, so the common case (full quanta of four
  // alphabet characters between line breaks) is decoded without per-byte bookkeeping.
  bool clean = true;
  int bits = 0;
  std::size_t start = out.size();
  // resize_and_overwrite: the output is written once, not zero-filled first.
  out.resize_and_overwrite(start + text.size() / 4 * 3 + 3, [&](char* buffer, std::size_t) {
    char* dst = buffer + start;
    const auto* src = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    unsigned int accumulator = 0;
    std::size_t i = 0;
    while (i < n) {
      if (bits == 0) {
        i = decode_quanta(src, i, n, dst);
        if (i >= n) break;
      }
      char ch = static_cast<char>(src[i++]);
      if (ch == '=' && stop_at_padding) {
        if (bits == 6) clean = false;
        bits = 0;
        // Only padding and white space may follow.
        for (; i < n; ++i) {
          if (kBase64[src[i]] >= 0) {
            clean = false;
            break;
          }
        }
        break;
      }
      if (ch == '=') {
        // Padding ends a quantum; a new one may follow (gmime #133: words glued together). A
        // single character before it carries fewer than 8 bits: data was lost.
        if (bits == 6) clean = false;
        accumulator = 0;
        bits = 0;
        continue;
      }
      int value = kBase64[static_cast<unsigned char>(ch)];
      if (value < 0) {
        if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') clean = false;
        continue;
      }
      accumulator = (accumulator << 6) | static_cast<unsigned int>(value);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        *dst++ = static_cast<char>((accumulator >> bits) & 0xFF);
      }
      if (bits == 0) accumulator = 0;
    }
    return static_cast<std::size_t>(dst - buffer);
  });
  // Missing padding is tolerated; a dangling sixth bit group is not a byte.
  if (bits == 6) clean = false;
  return clean;
}

bool decode_q_word(std::string_view text, std::string& out) {
  bool clean = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      if (c == '=') clean = false;
      out.push_back(c);
    }
  }
  return clean;
}

bool decode_percent(std::string_view text, std::string& out) {
  bool clean = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      if (c == '%') clean = false;
      out.push_back(c);
    }
  }
  return clean;
}

}  // namespace emotriage::mime
