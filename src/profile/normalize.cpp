#include "profile/normalize.hpp"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "core/text.hpp"

namespace emotriage::profile {

namespace {

// Variant (異体字) forms of kanji common in family and given names, folded to the form most
// people type. Only true variants of one character are listed: 籐 (rattan) is a different
// character from 藤 and stays apart, as do 斉 and 斎 (different surnames in the family register).
// Compatibility ideographs that NFKC already maps (e.g. U+FA19 神) need no entry.
constexpr std::pair<char32_t, char32_t> kVariantKanji[] = {
    {U'髙', U'高'}, {U'﨑', U'崎'}, {U'嵜', U'崎'}, {U'邊', U'辺'}, {U'邉', U'辺'}, {U'齋', U'斎'},
    {U'齊', U'斎'}, {U'濱', U'浜'}, {U'澤', U'沢'}, {U'德', U'徳'}, {U'廣', U'広'}, {U'櫻', U'桜'},
    {U'國', U'国'}, {U'嶋', U'島'}, {U'嶌', U'島'}, {U'曾', U'曽'}, {U'槇', U'槙'}, {U'眞', U'真'},
    {U'惠', U'恵'}, {U'榮', U'栄'}, {U'冨', U'富'}, {U'藏', U'蔵'}, {U'實', U'実'}, {U'壽', U'寿'},
    {U'淺', U'浅'}, {U'關', U'関'}, {U'黑', U'黒'}, {U'莊', U'荘'}, {U'萬', U'万'}, {U'瀨', U'瀬'},
};

// Honorifics after a name, in normalised form (katakana already folded to hiragana).
constexpr std::array<std::string_view, 9> kJapaneseHonorifics = {
    "様", "さま", "さん", "殿", "御中", "各位", "氏", "君", "くん"};
constexpr std::array<std::string_view, 2> kRomajiHonorifics = {"sama", "san"};

char32_t fold_code_point(char32_t code_point) {
  // Katakana (ァ..ヶ, ヽヾ) to hiragana; the prolonged sound mark ー is shared by both.
  if ((code_point >= 0x30A1 && code_point <= 0x30F6) || code_point == 0x30FD ||
      code_point == 0x30FE) {
    return code_point - 0x60;
  }
  if (code_point >= 0x4E00) {
    for (const auto& [variant, standard] : kVariantKanji) {
      if (variant == code_point) return standard;
    }
  }
  return code_point;
}

bool is_separator(char32_t code_point) {
  if (code_point < 0x80) {
    return code_point == ' ' || (code_point >= '\t' && code_point <= '\r');
  }
  // Spaces of every width and the dots written between family and given names (山田・太郎).
  return u_isUWhiteSpace(static_cast<UChar32>(code_point)) || code_point == 0x30FB ||
         code_point == 0x00B7 || code_point == 0x2022;
}

const icu::Normalizer2* nfkc_casefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
  return U_SUCCESS(status) ? normalizer : nullptr;
}

void append_folded(NormalizedText& out, char32_t code_point, std::uint32_t begin, std::uint32_t end,
                   bool with_map) {
  if (is_separator(code_point)) return;
  if (code_point < 0x80) {  // most mail text: one byte in, one byte out
    out.text.push_back(static_cast<char>(code_point));
    if (with_map) {
      out.source_begin.push_back(begin);
      out.source_end.push_back(end);
    }
    return;
  }
  core::append_utf8(out.text, fold_code_point(code_point));
  if (with_map) {
    out.source_begin.resize(out.text.size(), begin);
    out.source_end.resize(out.text.size(), end);
  }
}

// Normalises one run of valid UTF-8 that starts at `base` in the original.
void normalize_run(std::string_view run, std::uint32_t base, NormalizedText& out, bool with_map) {
  const icu::Normalizer2* normalizer = nfkc_casefold();
  std::string normalized;
  icu::StringByteSink<std::string> sink(&normalized);
  icu::Edits edits;
  UErrorCode status = U_ZERO_ERROR;
  if (normalizer != nullptr) {
    normalizer->normalizeUTF8(0, icu::StringPiece(run.data(), static_cast<int32_t>(run.size())),
                              sink, &edits, status);
  }
  if (normalizer == nullptr || U_FAILURE(status)) {
    // Without ICU data only the folding below applies; identity edits keep the map exact.
    normalized.assign(run);
    edits.reset();
    status = U_ZERO_ERROR;
  }
  icu::Edits::Iterator spans = edits.getFineIterator();
  std::size_t dest = 0;
  // Emits normalised[dest_start, dest_end) that came from run[source_start, +source_length).
  // An unchanged span maps byte for byte; a changed one maps every output character to the
  // whole source span (e.g. ｶﾞ -> が: both half-width characters).
  auto emit = [&](std::size_t dest_start, std::size_t dest_end, bool changed,
                  std::size_t source_start, std::size_t source_length) {
    dest = dest_start;
    while (dest < dest_end) {
      std::size_t length = 1;
      char32_t code_point = decode_utf8_at(normalized, dest, &length);
      std::size_t begin = changed ? source_start : source_start + (dest - dest_start);
      std::size_t end = changed ? source_start + source_length : begin + length;
      append_folded(out, code_point, base + static_cast<std::uint32_t>(begin),
                    base + static_cast<std::uint32_t>(end), with_map);
      dest += length;
    }
  };
  while (spans.next(status) && U_SUCCESS(status)) {
    auto dest_start = static_cast<std::size_t>(spans.destinationIndex());
    emit(dest_start, dest_start + static_cast<std::size_t>(spans.newLength()), spans.hasChange(),
         static_cast<std::size_t>(spans.sourceIndex()),
         static_cast<std::size_t>(spans.oldLength()));
  }
  // Without recorded edits (the fallback above) the output is the input byte for byte.
  if (dest < normalized.size())
    emit(dest, normalized.size(), false, dest, normalized.size() - dest);
}

NormalizedText normalize_impl(std::string_view text, bool with_map) {
  if (text.size() > std::numeric_limits<std::uint32_t>::max()) {
    text = core::utf8_prefix(text, std::numeric_limits<std::uint32_t>::max());
  }
  NormalizedText out;
  out.text.reserve(text.size());
  if (with_map) {
    out.source_begin.reserve(text.size());
    out.source_end.reserve(text.size());
  }
  // ICU wants well-formed input; bad bytes split the text into runs and are dropped.
  std::size_t run_start = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t length = 1;
    char32_t code_point = decode_utf8_at(text, pos, &length);
    bool bad = code_point == 0xFFFD && length != 3;
    if (bad) {
      if (pos > run_start) {
        normalize_run(text.substr(run_start, pos - run_start),
                      static_cast<std::uint32_t>(run_start), out, with_map);
      }
      run_start = pos + length;
    }
    pos += length;
  }
  if (pos > run_start) {
    normalize_run(text.substr(run_start, pos - run_start), static_cast<std::uint32_t>(run_start),
                  out, with_map);
  }
  return out;
}

}  // namespace

char32_t decode_utf8_at(std::string_view text, std::size_t pos, std::size_t* length) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  *length = 1;
  if (lead < 0x80) return lead;
  std::size_t needed = 0;
  char32_t code_point = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1, code_point = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2, code_point = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return 0xFFFD;
  }
  if (pos + needed >= text.size()) return 0xFFFD;
  for (std::size_t i = 1; i <= needed; ++i) {
    unsigned char next = byte(pos + i);
    if ((next & 0xC0) != 0x80) return 0xFFFD;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0xFFFD;
  }
  *length = needed + 1;
  return code_point;
}

NormalizedText normalize_mapped(std::string_view text) {
  return normalize_impl(text, true);
}

std::string normalize_plain(std::string_view text) {
  return normalize_impl(text, false).text;
}

bool is_latin_or_digit(char32_t code_point) {
  if (code_point < 0x80) {
    return (code_point >= 'a' && code_point <= 'z') || (code_point >= 'A' && code_point <= 'Z') ||
           (code_point >= '0' && code_point <= '9');
  }
  UErrorCode status = U_ZERO_ERROR;
  auto cp = static_cast<UChar32>(code_point);
  return u_isdigit(cp) ||
         (u_isalpha(cp) && uscript_getScript(cp, &status) == USCRIPT_LATIN && U_SUCCESS(status));
}

bool is_kana(char32_t code_point) {
  return (code_point >= 0x3041 && code_point <= 0x30FF) ||
         (code_point >= 0xFF66 && code_point <= 0xFF9F);
}

bool is_han(char32_t code_point) {
  return (code_point >= 0x4E00 && code_point <= 0x9FFF) ||
         (code_point >= 0x3400 && code_point <= 0x4DBF) ||
         (code_point >= 0xF900 && code_point <= 0xFAFF) ||
         (code_point >= 0x20000 && code_point <= 0x3FFFF) || code_point == 0x3005;
}

std::size_t honorific_length_at(std::string_view normalized, std::size_t pos) {
  std::string_view rest = normalized.substr(std::min(pos, normalized.size()));
  for (std::string_view honorific : kJapaneseHonorifics) {
    if (rest.starts_with(honorific)) return honorific.size();
  }
  std::size_t hyphen = rest.starts_with('-') ? 1 : 0;
  for (std::string_view honorific : kRomajiHonorifics) {
    if (!rest.substr(hyphen).starts_with(honorific)) continue;
    std::size_t end = hyphen + honorific.size();
    if (end < rest.size()) {
      std::size_t length = 1;
      if (is_latin_or_digit(decode_utf8_at(rest, end, &length))) continue;
    }
    return end;
  }
  return 0;
}

std::string strip_trailing_honorifics(std::string normalized) {
  // "田中様御中" style stacks are at most two deep; the bound keeps this loop obviously finite.
  for (int round = 0; round < 3; ++round) {
    std::size_t cut = 0;
    for (std::string_view honorific : kJapaneseHonorifics) {
      if (normalized.size() > honorific.size() && normalized.ends_with(honorific)) {
        cut = honorific.size();
        break;
      }
    }
    if (cut == 0) {
      for (std::string_view honorific : kRomajiHonorifics) {
        for (std::string_view prefix : {std::string_view("-"), std::string_view()}) {
          std::string suffix = std::string(prefix) + std::string(honorific);
          if (cut == 0 && normalized.size() > suffix.size() + 1 && normalized.ends_with(suffix)) {
            cut = suffix.size();
          }
        }
      }
    }
    if (cut == 0) break;
    normalized.resize(normalized.size() - cut);
  }
  return normalized;
}

}  // namespace emotriage::profile
