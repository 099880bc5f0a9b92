// Compressed RTF (MS-OXRTFCP) and the body inside RTF: HTML de-encapsulated per MS-OXRTFEX, or
// the text of native / \fromtext RTF. Hand-written because no Debian package decodes either from
// memory; bounded by the caller's byte cap, the input length and a group-depth cap.
#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "outlook/detail.hpp"

namespace emotriage::outlook::detail {
namespace {

// The dictionary's initial contents (MS-OXRTFCP 2.1.2.1).
constexpr std::string_view kPrebuf =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
    "\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
    "\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
static_assert(kPrebuf.size() == 207);

constexpr std::uint32_t kCompressed = 0x75465A4C;    // "LZFu"
constexpr std::uint32_t kUncompressed = 0x414C454D;  // "MELA"

std::uint32_t le32_at(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= std::uint32_t(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// Groups nest a few levels in real RTF; past this depth groups are still counted but share the
// innermost state (no unbounded stack).
constexpr std::size_t kMaxRtfDepth = 256;

// Destinations whose text is not part of the body.
bool is_skipped_destination(std::string_view word) {
  static constexpr std::array<std::string_view, 22> kSkipped = {
      "fonttbl",   "colortbl",     "stylesheet",
      "info",      "pict",         "object",
      "fldinst",   "listtable",    "listoverridetable",
      "revtbl",    "rsidtbl",      "generator",
      "xmlnstbl",  "themedata",    "colorschememapping",
      "datastore", "latentstyles", "pgdsctbl",
      "mmathPr",   "header",       "footer",
      "filetbl"};
  for (const auto skipped : kSkipped) {
    if (word == skipped) return true;
  }
  return false;
}

struct GroupState {
  bool skip = false;      // an ignorable destination: no text
  bool htmltag = false;   // {\*\htmltag ...}: HTML text to keep in \fromhtml mode
  bool suppress = false;  // between \htmlrtf and \htmlrtf0: RTF-only text in \fromhtml mode
  int unicode_skip = 1;   // \ucN
};

class BodyWriter {
 public:
  BodyWriter(bool html, std::uint64_t max_bytes) : html_(html), max_bytes_(max_bytes) {}

  bool full() const { return out_.size() + pending_.size() >= max_bytes_; }
  void set_codepage(std::uint32_t codepage) {
    flush();
    codepage_ = codepage;
  }
  void byte(char c) { pending_ += c; }
  void code_point(char32_t c) {
    flush();
    core::append_utf8(out_, c);
  }
  std::string finish() {
    flush();
    if (out_.size() > max_bytes_) out_.resize(core::utf8_prefix(out_, max_bytes_).size());
    return std::move(out_);
  }
  bool html() const { return html_; }

 private:
  void flush() {
    if (pending_.empty()) return;
    out_ += core::is_ascii(pending_)
                ? pending_
                : mime::decode_to_utf8(pending_, codepage_label(codepage_)).text;
    pending_.clear();
  }
  bool html_;
  std::uint64_t max_bytes_;
  std::uint32_t codepage_ = 1252;
  std::string out_;
  std::string pending_;  // code-page bytes not yet converted
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

std::expected<std::string, std::string> decompress_rtf(std::string_view compressed,
                                                       std::uint64_t max_bytes) {
  if (compressed.size() < 16) return std::unexpected("compressed RTF header too short");
  const std::uint32_t declared = le32_at(compressed, 0);
  const std::uint32_t raw_size = le32_at(compressed, 4);
  const std::uint32_t type = le32_at(compressed, 8);
  // COMPSIZE counts from byte 4; a larger claim than the stream holds is cut to the stream.
  const std::size_t end = std::min<std::size_t>(compressed.size(), std::size_t{declared} + 4);
  const std::uint64_t limit = std::min<std::uint64_t>(max_bytes, raw_size);
  if (type == kUncompressed) {
    return std::string(compressed.substr(16, std::min<std::uint64_t>(end - 16, limit)));
  }
  if (type != kCompressed) return std::unexpected("unknown compressed RTF type");

  std::array<char, 4096> dictionary{};
  std::memcpy(dictionary.data(), kPrebuf.data(), kPrebuf.size());
  std::size_t write = kPrebuf.size();
  std::string out;
  std::size_t pos = 16;
  while (pos < end && out.size() < limit) {
    const auto control = static_cast<unsigned char>(compressed[pos++]);
    for (int bit = 0; bit < 8 && pos < end && out.size() < limit; ++bit) {
      if ((control & (1u << bit)) == 0) {
        const char literal = compressed[pos++];
        out += literal;
        dictionary[write] = literal;
        write = (write + 1) % dictionary.size();
        continue;
      }
      if (end - pos < 2) return out;
      const unsigned reference = (static_cast<unsigned char>(compressed[pos]) << 8) |
                                 static_cast<unsigned char>(compressed[pos + 1]);
      pos += 2;
      std::size_t offset = reference >> 4;
      const std::size_t length = (reference & 0xF) + 2;
      if (offset == write) return out;  // the end marker
      for (std::size_t i = 0; i < length && out.size() < limit; ++i) {
        const char c = dictionary[offset];
        offset = (offset + 1) % dictionary.size();
        out += c;
        dictionary[write] = c;
        write = (write + 1) % dictionary.size();
      }
    }
  }
  return out;
}

RtfBody rtf_to_body(std::string_view rtf, std::uint64_t max_bytes) {
  // \fromhtml1 sits in the header, before the font table.
  const bool html = core::find_bytes(rtf.substr(0, 1024), "\\fromhtml1") != std::string_view::npos;
  BodyWriter writer(html, max_bytes);
  std::vector<GroupState> stack{GroupState{}};
  std::size_t extra_depth = 0;    // groups past kMaxRtfDepth
  int to_skip = 0;                // characters still to skip after \uN
  bool destination_next = false;  // the group just opened with \*

  auto text_allowed = [&] {
    const GroupState& group = stack.back();
    if (group.skip) return false;
    if (!writer.html()) return true;
    return group.htmltag || !group.suppress;
  };
  auto emit_byte = [&](char c) {
    if (to_skip > 0) {
      --to_skip;
      return;
    }
    if (text_allowed()) writer.byte(c);
  };
  auto emit_code_point = [&](char32_t c) {
    if (to_skip > 0) {
      --to_skip;
      return;
    }
    if (text_allowed()) writer.code_point(c);
  };

  std::size_t pos = 0;
  bool group_start = false;
  while (pos < rtf.size() && !writer.full()) {
    const char c = rtf[pos];
    if (c == '{') {
      ++pos;
      if (stack.size() < kMaxRtfDepth) {
        stack.push_back(stack.back());
      } else {
        ++extra_depth;
      }
      group_start = true;
      destination_next = false;
      continue;
    }
    if (c == '}') {
      ++pos;
      if (extra_depth > 0) {
        --extra_depth;
      } else if (stack.size() > 1) {
        stack.pop_back();
      }
      group_start = false;
      to_skip = 0;
      continue;
    }
    if (c == '\r' || c == '\n') {
      ++pos;
      continue;
    }
    if (c != '\\') {
      ++pos;
      group_start = false;
      emit_byte(c);
      continue;
    }
    // A control word or symbol.
    ++pos;
    if (pos >= rtf.size()) break;
    const char symbol = rtf[pos];
    if (!is_letter(symbol)) {
      ++pos;
      if (symbol == '\'' && pos + 1 < rtf.size() && hex_digit(rtf[pos]) >= 0 &&
          hex_digit(rtf[pos + 1]) >= 0) {
        emit_byte(static_cast<char>(hex_digit(rtf[pos]) * 16 + hex_digit(rtf[pos + 1])));
        pos += 2;
      } else if (symbol == '*') {
        destination_next = group_start;
        continue;
      } else if (symbol == '\\' || symbol == '{' || symbol == '}') {
        emit_byte(symbol);
      } else if (symbol == '~') {
        emit_code_point(0xA0);
      } else if (symbol == '_') {
        emit_byte('-');
      } else if (symbol == '\r' || symbol == '\n') {
        emit_byte('\n');
      }
      group_start = false;
      continue;
    }
    const std::size_t word_start = pos;
    while (pos < rtf.size() && is_letter(rtf[pos]) && pos - word_start < 32) ++pos;
    const std::string_view word = rtf.substr(word_start, pos - word_start);
    bool has_parameter = false;
    bool negative = false;
    std::int64_t parameter = 0;
    if (pos < rtf.size() && rtf[pos] == '-') {
      negative = true;
      ++pos;
    }
    while (pos < rtf.size() && rtf[pos] >= '0' && rtf[pos] <= '9') {
      if (parameter < (1ll << 40)) parameter = parameter * 10 + (rtf[pos] - '0');
      has_parameter = true;
      ++pos;
    }
    if (negative) parameter = -parameter;
    if (pos < rtf.size() && rtf[pos] == ' ') ++pos;

    GroupState& group = stack.back();
    const bool first_in_group = group_start;
    group_start = false;
    if (first_in_group && destination_next) {
      destination_next = false;
      if (word == "htmltag" && writer.html()) {
        group.htmltag = true;
      } else {
        group.skip = true;
      }
      continue;
    }
    if (first_in_group && is_skipped_destination(word)) {
      group.skip = true;
      continue;
    }
    if (word == "bin") {
      // Binary data is never text; a negative or huge count ends at the input.
      if (parameter > 0)
        pos += std::min<std::size_t>(static_cast<std::size_t>(parameter), rtf.size() - pos);
    } else if (word == "ansicpg" && has_parameter && parameter > 0 && parameter < 70000) {
      writer.set_codepage(static_cast<std::uint32_t>(parameter));
    } else if (word == "htmlrtf") {
      group.suppress = !has_parameter || parameter != 0;
    } else if (word == "uc" && has_parameter) {
      group.unicode_skip = static_cast<int>(std::clamp<std::int64_t>(parameter, 0, 8));
    } else if (word == "u" && has_parameter) {
      const auto unit = static_cast<char32_t>(parameter < 0 ? parameter + 65536 : parameter);
      emit_code_point(unit);
      to_skip = group.unicode_skip;
    } else if (word == "par" || word == "line") {
      emit_byte('\r');
      emit_byte('\n');
    } else if (word == "tab") {
      emit_byte('\t');
    } else if (word == "lquote" || word == "rquote") {
      emit_code_point(word == "lquote" ? 0x2018 : 0x2019);
    } else if (word == "ldblquote" || word == "rdblquote") {
      emit_code_point(word == "ldblquote" ? 0x201C : 0x201D);
    } else if (word == "emdash" || word == "endash") {
      emit_code_point(word == "emdash" ? 0x2014 : 0x2013);
    } else if (word == "bullet") {
      emit_code_point(0x2022);
    }
  }
  return RtfBody{writer.finish(), html};
}

}  // namespace emotriage::outlook::detail
