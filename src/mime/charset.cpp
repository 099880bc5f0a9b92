#include "mime/charset.hpp"

#include <uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <array>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/text.hpp"

namespace emotriage::mime {

namespace {

using core::ascii_lower;

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

struct Alias {
  std::string_view label;
  std::string_view canonical;
};

// Labels map to the superset real mailers mean: Shift_JIS is written by Windows as CP932, EUC-JP
// by many Unix mailers with the NEC extensions, ISO-8859-1 by most as windows-1252 (WHATWG).
constexpr std::array kAliases = {
    Alias{"utf8", "utf-8"},
    Alias{"utf7", "utf-7"},
    Alias{"unicode-1-1-utf-7", "utf-7"},
    Alias{"csunicode11utf7", "utf-7"},
    Alias{"hz", "hz-gb-2312"},
    Alias{"unicode-1-1-utf-8", "utf-8"},
    Alias{"ascii", "us-ascii"},
    Alias{"ansi_x3.4-1968", "us-ascii"},
    Alias{"646", "us-ascii"},
    Alias{"iso-2022-jp-1", "iso-2022-jp"},
    Alias{"iso-2022-jp-2", "iso-2022-jp"},
    Alias{"iso-2022-jp-3", "iso-2022-jp"},
    Alias{"iso-2022-jp-2004", "iso-2022-jp"},
    Alias{"csiso2022jp", "iso-2022-jp"},
    Alias{"csiso2022jp2", "iso-2022-jp"},
    Alias{"cp50220", "iso-2022-jp"},
    Alias{"cp50221", "iso-2022-jp"},
    Alias{"cp50222", "iso-2022-jp"},
    Alias{"x-windows-iso2022jp", "iso-2022-jp"},
    Alias{"jis", "iso-2022-jp"},
    Alias{"shift_jis", "cp932"},
    Alias{"shift-jis", "cp932"},
    Alias{"shiftjis", "cp932"},
    Alias{"sjis", "cp932"},
    Alias{"x-sjis", "cp932"},
    Alias{"ms_kanji", "cp932"},
    Alias{"csshiftjis", "cp932"},
    Alias{"windows-31j", "cp932"},
    Alias{"cswindows31j", "cp932"},
    Alias{"ms932", "cp932"},
    Alias{"x-ms-cp932", "cp932"},
    Alias{"windows-932", "cp932"},
    Alias{"shift_jisx0213", "cp932"},
    Alias{"shift_jis-2004", "cp932"},
    Alias{"euc-jp", "euc-jp"},
    Alias{"x-euc-jp", "euc-jp"},
    Alias{"eucjp", "euc-jp"},
    Alias{"cseucpkdfmtjapanese", "euc-jp"},
    Alias{"cp51932", "euc-jp"},
    Alias{"eucjp-ms", "euc-jp"},
    Alias{"euc-jis-2004", "euc-jp"},
    Alias{"iso-8859-1", "windows-1252"},
    Alias{"iso8859-1", "windows-1252"},
    Alias{"latin1", "windows-1252"},
    Alias{"l1", "windows-1252"},
    Alias{"cp1252", "windows-1252"},
    Alias{"ks_c_5601-1987", "windows-949"},
    Alias{"ks_c_5601", "windows-949"},
    Alias{"euc-kr", "windows-949"},
    Alias{"cp949", "windows-949"},
    Alias{"gb2312", "gb18030"},
    Alias{"gbk", "gb18030"},
    Alias{"cp936", "gb18030"},
    Alias{"x-gbk", "gb18030"},
    Alias{"tis-620", "windows-874"},
    Alias{"iso-8859-11", "windows-874"},
};

// Labels that carry no information about the bytes.
bool is_meaningless_label(std::string_view canonical) {
  return canonical.empty() || canonical == "unknown-8bit" || canonical == "x-unknown" ||
         canonical == "unknown" || canonical == "default" || canonical == "charset" ||
         canonical == "x-user-defined" || canonical == "us-ascii";
}

// ---------------------------------------------------------------------------------------------
// ICU conversion with a per-thread converter cache
// ---------------------------------------------------------------------------------------------

struct CountingContext {
  std::size_t invalid = 0;
};

// Replaces each bad sequence with U+FFFD and counts it; ICU's own substitute may write U+001A.
void count_and_substitute(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                          UConverterCallbackReason reason, UErrorCode* err) {
  if (reason != UCNV_UNASSIGNED && reason != UCNV_ILLEGAL && reason != UCNV_IRREGULAR) return;
  static constexpr UChar kReplacement = 0xFFFD;
  static_cast<CountingContext*>(const_cast<void*>(context))->invalid++;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

struct ConverterDeleter {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterDeleter>;

class ConverterCache {
 public:
  // Returns nullptr for a name ICU does not know. The pointer stays valid until the next call.
  UConverter* get(const std::string& icu_name) {
    auto it = converters_.find(icu_name);
    if (it != converters_.end()) return it->second.get();
    if (converters_.size() > 64) converters_.clear();  // hostile labels must not grow the cache
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(icu_name.c_str(), &status));
    if (U_FAILURE(status)) converter.reset();
    return converters_.emplace(icu_name, std::move(converter)).first->second.get();
  }

  // The UTF-8 target lives outside the map so that evicting the map never frees it while a
  // source converter from get() is in use.
  UConverter* utf8() {
    if (!utf8_) {
      UErrorCode status = U_ZERO_ERROR;
      utf8_.reset(ucnv_open("utf-8", &status));
      if (U_FAILURE(status)) utf8_.reset();
    }
    return utf8_.get();
  }

 private:
  std::unordered_map<std::string, ConverterPtr> converters_;
  ConverterPtr utf8_;
};

ConverterCache& thread_converters() {
  thread_local ConverterCache cache;
  return cache;
}

// Decodes with ICU; false if ICU does not know `icu_name`.
bool icu_decode(std::string_view bytes, const std::string& icu_name, std::string& out,
                std::size_t& invalid) {
  UConverter* target = thread_converters().utf8();
  UConverter* source = thread_converters().get(icu_name);
  if (source == nullptr || target == nullptr) return false;
  ucnv_reset(source);
  ucnv_reset(target);
  CountingContext context;
  UErrorCode status = U_ZERO_ERROR;
  ucnv_setToUCallBack(source, count_and_substitute, &context, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;

  std::size_t start = out.size();
  // Each input byte yields at most one UTF-16 unit, i.e. at most 3 UTF-8 bytes.
  out.resize(start + bytes.size() * 3 + 16);
  char* target_ptr = out.data() + start;
  const char* source_ptr = bytes.data();
  std::array<UChar, 1024> pivot{};
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
  ucnv_convertEx(target, source, &target_ptr, out.data() + out.size(), &source_ptr,
                 bytes.data() + bytes.size(), pivot.data(), &pivot_source, &pivot_target,
                 pivot.data() + pivot.size(), true, true, &status);
  if (U_FAILURE(status)) {
    out.resize(start);
    return false;
  }
  out.resize(static_cast<std::size_t>(target_ptr - out.data()));
  invalid += context.invalid;
  return true;
}

std::string icu_name_for(std::string_view canonical) {
  if (canonical == "cp932") return "windows-31j";
  if (canonical == "jis-x-0212") return "euc-jp-2007";  // ICU's EUC-JP has JIS X 0212
  return std::string(canonical);
}

// ---------------------------------------------------------------------------------------------
// Japanese: ISO-2022-JP and EUC-JP are rewritten into CP932 bytes, then decoded as CP932. The JIS
// row/cell of a character is the same in all three encodings, so the NEC row 13 and NEC-selected
// IBM extension characters (rows 89-92) that Japanese mailers put into ISO-2022-JP and EUC-JP
// come out right, as Windows (CP50221, CP51932) decodes them.
// ---------------------------------------------------------------------------------------------

void append_jis_as_sjis(std::string& sjis, unsigned char j1, unsigned char j2) {
  unsigned char s1 = static_cast<unsigned char>(((j1 + 1) >> 1) + (j1 <= 0x5E ? 0x70 : 0xB0));
  unsigned char s2;
  if (j1 & 1) {
    s2 = static_cast<unsigned char>(j2 + (j2 >= 0x60 ? 0x20 : 0x1F));
  } else {
    s2 = static_cast<unsigned char>(j2 + 0x7E);
  }
  sjis.push_back(static_cast<char>(s1));
  sjis.push_back(static_cast<char>(s2));
}

class JapaneseDecoder {
 public:
  explicit JapaneseDecoder(std::string& out) : out_(out) {}

  void byte(unsigned char b) { sjis_.push_back(static_cast<char>(b)); }
  void jis(unsigned char j1, unsigned char j2) {
    if (j1 < 0x21 || j1 > 0x7E || j2 < 0x21 || j2 > 0x7E) {
      invalid_char();
      return;
    }
    append_jis_as_sjis(sjis_, j1, j2);
  }
  void halfwidth_kana(unsigned char b7) {
    if (b7 < 0x21 || b7 > 0x5F) {
      invalid_char();
      return;
    }
    sjis_.push_back(static_cast<char>(b7 | 0x80));
  }
  // JIS X 0212 has no CP932 form; ICU's EUC-JP converter knows it.
  void jis0212(unsigned char j1, unsigned char j2) {
    flush();
    const char euc[3] = {static_cast<char>(0x8F), static_cast<char>(j1 | 0x80),
                         static_cast<char>(j2 | 0x80)};
    if (!icu_decode(std::string_view(euc, 3), icu_name_for("jis-x-0212"), out_, invalid_)) {
      invalid_char();
    }
  }
  void invalid_char() {
    flush();
    core::append_utf8(out_, 0xFFFD);
    ++invalid_;
  }
  std::size_t finish() {
    flush();
    return invalid_;
  }

 private:
  void flush() {
    if (sjis_.empty()) return;
    if (!icu_decode(sjis_, icu_name_for("cp932"), out_, invalid_)) {
      invalid_ += core::repair_utf8(sjis_, out_);
    }
    sjis_.clear();
  }

  std::string& out_;
  std::string sjis_;
  std::size_t invalid_ = 0;
};

// ISO-2022-JP with the CP5022x extensions: ESC ( B / ( J ASCII and JIS-Roman, ESC $ @ / $ B
// JIS X 0208 (with NEC and IBM rows), ESC ( I and SO/SI half-width kana, ESC $ ( D JIS X 0212.
// Stray 8-bit bytes are taken as CP932, which is what broken mixed mailers write.
std::size_t decode_iso2022jp(std::string_view in, std::string& out) {
  // unknown94 / unknown9494: a character set we cannot map was designated; its characters
  // become U+FFFD until the next known designation.
  enum class Mode { ascii, jis0208, kana, jis0212, unknown94, unknown9494 };
  Mode mode = Mode::ascii;
  bool shifted_out = false;
  JapaneseDecoder decoder(out);
  std::size_t i = 0;
  const std::size_t n = in.size();
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
  while (i < n) {
    unsigned char c = at(i);
    if (c == 0x1B) {
      // ISO 2022 structure: ESC, intermediates 0x20..0x2F, one final byte 0x30..0x7E. The whole
      // sequence is consumed, whether we know it or not, so that none of it leaks into the text.
      std::size_t k = i + 1;
      while (k < n && k - i <= 4 && at(k) >= 0x20 && at(k) <= 0x2F) ++k;
      if (k >= n || k - i > 4 || at(k) < 0x30 || at(k) > 0x7E) {
        decoder.invalid_char();  // truncated or broken escape
        i = k;
        continue;
      }
      std::string_view seq = in.substr(i + 1, k - i);  // intermediates and final
      i = k + 1;
      if (seq == "(B" || seq == "(J" || seq == "(H") {
        mode = Mode::ascii;
      } else if (seq == "$B" || seq == "$@" || seq == "$(B" || seq == "$(Q" || seq == "$(O") {
        mode = Mode::jis0208;  // JIS X 0213 plane 1 shares the 0208 cells we can map
      } else if (seq == "(I") {
        mode = Mode::kana;
      } else if (seq == "$(D") {
        mode = Mode::jis0212;
      } else if (seq == "&@") {
        // JIS X 0208-1990 announcer before ESC $ B: no effect of its own.
      } else {
        decoder.invalid_char();  // another ISO 2022 charset (GB 2312, KS C 5601 ...)
        if (seq.size() >= 2 && (seq[0] == '(' || (seq[0] == '$' && seq.size() == 2))) {
          mode = seq[0] == '(' ? Mode::unknown94 : Mode::unknown9494;
        } else if (seq.size() == 3 && seq[0] == '$' && seq[1] == '(') {
          mode = Mode::unknown9494;
        }
      }
      continue;
    }
    if (c == 0x0E) {
      shifted_out = true;
      ++i;
      continue;
    }
    if (c == 0x0F) {
      shifted_out = false;
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r') {
      // Mailers must reset before a line end; some do not. A line break never belongs to a
      // double-byte character, so resynchronise here.
      mode = Mode::ascii;
      shifted_out = false;
      decoder.byte(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      decoder.byte(c);
      ++i;
      continue;
    }
    if (c <= 0x20 || c == 0x7F) {
      decoder.byte(c);  // controls and space are the same in every ISO 2022 mode
      ++i;
      continue;
    }
    if (shifted_out || mode == Mode::kana) {
      decoder.halfwidth_kana(c);
      ++i;
      continue;
    }
    if (mode == Mode::ascii) {
      decoder.byte(c);
      ++i;
      continue;
    }
    if (mode == Mode::unknown94) {
      decoder.invalid_char();
      ++i;
      continue;
    }
    if (i + 1 >= n || at(i + 1) <= 0x20 || at(i + 1) >= 0x7F) {
      decoder.invalid_char();  // half a character
      ++i;
      continue;
    }
    if (mode == Mode::jis0208) {
      decoder.jis(c, at(i + 1));
    } else if (mode == Mode::jis0212) {
      decoder.jis0212(c, at(i + 1));
    } else {
      decoder.invalid_char();
    }
    i += 2;
  }
  return decoder.finish();
}

std::size_t decode_eucjp(std::string_view in, std::string& out) {
  JapaneseDecoder decoder(out);
  std::size_t i = 0;
  const std::size_t n = in.size();
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
  auto is_gr = [&](std::size_t k) { return k < n && at(k) >= 0xA1 && at(k) <= 0xFE; };
  while (i < n) {
    unsigned char c = at(i);
    if (c < 0x80) {
      decoder.byte(c);
      ++i;
    } else if (c == 0x8E && i + 1 < n && at(i + 1) >= 0xA1 && at(i + 1) <= 0xDF) {
      decoder.halfwidth_kana(at(i + 1) & 0x7F);
      i += 2;
    } else if (c == 0x8F && is_gr(i + 1) && is_gr(i + 2)) {
      decoder.jis0212(at(i + 1) & 0x7F, at(i + 2) & 0x7F);
      i += 3;
    } else if (c >= 0xA1 && c <= 0xFE && is_gr(i + 1)) {
      decoder.jis(c & 0x7F, at(i + 1) & 0x7F);
      i += 2;
    } else {
      decoder.invalid_char();
      ++i;
    }
  }
  return decoder.finish();
}

// ---------------------------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------------------------

bool has_iso2022jp_escape(std::string_view bytes) {
  std::size_t pos = 0;
  while ((pos = bytes.find('\x1B', pos)) != std::string_view::npos) {
    std::string_view rest = bytes.substr(pos + 1, 3);
    if (rest.starts_with("$B") || rest.starts_with("$@") || rest.starts_with("(J") ||
        rest.starts_with("(I") || rest.starts_with("$(D") || rest.starts_with("$(Q") ||
        rest.starts_with("$(O")) {
      return true;
    }
    ++pos;
  }
  return false;
}

// How much `bytes` look like Japanese in a double-byte encoding, read from the byte structure:
// hiragana, katakana, Japanese punctuation and JIS level-1 kanji are strong evidence; level-2
// kanji, the NEC/IBM extensions and half-width kana are weak (a Latin-1 "é" followed by a letter
// reads as a level-2 kanji in Shift_JIS); user-defined cells and undecodable bytes count against.
// Cheap gate before decoding twice: EUC-JP never uses 0x80-0x9F except its 0x8E/0x8F prefixes,
// and Japanese CP932 text is full of lead bytes 0x81-0x9F.
bool could_be_other_japanese(std::string_view bytes, std::string_view chosen) {
  bool sjis_lead = false;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x81 && c <= 0x9F && c != 0x8E && c != 0x8F) {
      sjis_lead = true;
      break;
    }
  }
  // Labelled CP932 but no CP932 lead bytes: maybe EUC-JP. Labelled EUC-JP with them: maybe CP932.
  return chosen == "cp932" ? !sjis_lead : sjis_lead;
}

struct JapaneseEvidence {
  long score = 0;
  std::size_t strong = 0;   // characters that are strong evidence
  std::size_t invalid = 0;  // what the real decoder turned into U+FFFD
  bool known = false;       // the encoding could be decoded at all
};

constexpr long kStrong = 4, kWeak = 2, kKana = 1, kUserDefined = -4, kInvalid = -8;

long cp932_class(unsigned char lead, unsigned char trail, std::size_t& strong) {
  (void)trail;
  if ((lead >= 0x81 && lead <= 0x83) || (lead >= 0x88 && lead <= 0x98)) {
    ++strong;
    return kStrong;
  }
  if (lead == 0x84 || lead == 0x87 || (lead >= 0x99 && lead <= 0x9F) ||
      (lead >= 0xE0 && lead <= 0xEA) || lead == 0xED || lead == 0xEE ||
      (lead >= 0xFA && lead <= 0xFC)) {
    return kWeak;
  }
  if (lead >= 0xF0 && lead <= 0xF9) return kUserDefined;
  return kInvalid;
}

long eucjp_class(unsigned char lead, std::size_t& strong) {
  if (lead == 0xA1 || lead == 0xA4 || lead == 0xA5 || (lead >= 0xB0 && lead <= 0xCF)) {
    ++strong;
    return kStrong;
  }
  if ((lead >= 0xA2 && lead <= 0xA8) || lead == 0xAD || (lead >= 0xD0 && lead <= 0xF4) ||
      (lead >= 0xF9 && lead <= 0xFC)) {
    return kWeak;
  }
  if (lead >= 0xF5) return kUserDefined;
  return kInvalid;
}

JapaneseEvidence japanese_evidence(std::string_view bytes, std::string_view canonical) {
  JapaneseEvidence evidence;
  std::string text;
  if (canonical == "euc-jp") {
    evidence.invalid = decode_eucjp(bytes, text);
  } else if (!icu_decode(bytes, icu_name_for(canonical), text, evidence.invalid)) {
    return evidence;
  }
  evidence.known = true;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    unsigned char c = at(i);
    if (c < 0x80) {
      ++i;
    } else if (canonical == "cp932") {
      if (c >= 0xA1 && c <= 0xDF) {
        evidence.score += kKana;
        ++i;
      } else if (i + 1 < n) {
        evidence.score += cp932_class(c, at(i + 1), evidence.strong);
        i += 2;
      } else {
        ++i;
      }
    } else {  // euc-jp
      if (c == 0x8E) {
        evidence.score += kKana;
        i += 2;
      } else if (c == 0x8F) {
        evidence.score += kWeak;
        i += 3;
      } else if (c >= 0xA1 && i + 1 < n) {
        evidence.score += eucjp_class(c, evidence.strong);
        i += 2;
      } else {
        ++i;
      }
    }
  }
  evidence.score += static_cast<long>(evidence.invalid) * kInvalid;
  return evidence;
}

std::string uchardet_guess(std::string_view bytes) {
  uchardet_t detector = uchardet_new();
  if (detector == nullptr) return {};
  std::string guess;
  if (uchardet_handle_data(detector, bytes.data(), bytes.size()) == 0) {
    uchardet_data_end(detector);
    const char* name = uchardet_get_charset(detector);
    if (name != nullptr) guess = canonical_charset(name);
  }
  uchardet_delete(detector);
  return guess;
}

std::size_t decode_known(std::string_view bytes, std::string_view canonical, std::string& out,
                         bool& known) {
  known = true;
  if (canonical == "utf-8" || canonical == "us-ascii") return core::repair_utf8(bytes, out);
  if (canonical == "iso-2022-jp") return decode_iso2022jp(bytes, out);
  if (canonical == "euc-jp") return decode_eucjp(bytes, out);
  std::size_t invalid = 0;
  if (icu_decode(bytes, icu_name_for(canonical), out, invalid)) return invalid;
  known = false;
  return 0;
}

// Valid UTF-8 sequences of two or more bytes in `bytes` (evidence that text is UTF-8).
std::size_t utf8_multibyte_sequences(std::string_view bytes, bool& has_three_byte) {
  std::size_t count = 0;
  has_three_byte = false;
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  auto cont = [&](std::size_t k) { return k < bytes.size() && (at(k) & 0xC0) == 0x80; };
  while (i < bytes.size()) {
    unsigned char c = at(i);
    std::size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                      : c >= 0xE0 && c <= 0xEF ? 3
                      : c >= 0xF0 && c <= 0xF4 ? 4
                                               : 1;
    bool ok = len > 1;
    for (std::size_t k = 1; ok && k < len; ++k) ok = cont(i + k);
    if (ok && core::is_valid_utf8(bytes.substr(i, len))) {
      ++count;
      if (len >= 3) has_three_byte = true;
      i += len;
    } else {
      ++i;
    }
  }
  return count;
}

bool is_single_byte_western(std::string_view canonical) {
  return canonical.starts_with("windows-125") || canonical.starts_with("iso-8859-") ||
         canonical.starts_with("koi8-");
}

bool is_japanese_legacy(std::string_view canonical) {
  return canonical == "cp932" || canonical == "euc-jp";
}

}  // namespace

std::string canonical_charset(std::string_view label) {
  std::string name = ascii_lower(core::trim(label));
  while (!name.empty() && (name.front() == '"' || name.front() == '\'')) name.erase(0, 1);
  while (!name.empty() && (name.back() == '"' || name.back() == '\'')) name.pop_back();
  // "utf-8*ja" is an RFC 2231 / RFC 2184 language suffix.
  if (auto star = name.find('*'); star != std::string::npos) name.resize(star);
  name = std::string(core::trim(name));
  for (const auto& alias : kAliases) {
    if (alias.label == name) return std::string(alias.canonical);
  }
  return name;
}

std::string detect_charset(std::string_view bytes) {
  if (has_iso2022jp_escape(bytes)) return "iso-2022-jp";
  if (core::is_ascii(bytes)) return "us-ascii";
  if (core::is_valid_utf8(bytes)) return "utf-8";
  JapaneseEvidence sjis = japanese_evidence(bytes, "cp932");
  JapaneseEvidence euc = japanese_evidence(bytes, "euc-jp");
  const JapaneseEvidence& best = euc.score > sjis.score ? euc : sjis;
  const char* best_name = euc.score > sjis.score ? "euc-jp" : "cp932";
  if (best.score > 0 && best.strong > 0) return best_name;
  // No kana, no common kanji: a European or other text is as likely; ask uchardet.
  std::string guess = uchardet_guess(bytes);
  if (!guess.empty() && guess != "ascii" && guess != "us-ascii" && guess != "utf-8") {
    return guess;
  }
  if (best.score > 0) return best_name;
  return "windows-1252";
}

DecodedText decode_to_utf8(std::string_view bytes, std::string_view label) {
  DecodedText result;
  std::string canonical = canonical_charset(label);
  const bool meaningless = is_meaningless_label(canonical);
  const bool ascii = core::is_ascii(bytes);

  // Fast path: ASCII without escapes reads the same in every ASCII-compatible charset (SO/SI
  // switch ISO-2022-JP to half-width kana).
  const bool ascii_compatible = !canonical.starts_with("utf-16") &&
                                !canonical.starts_with("utf-32") &&
                                !canonical.starts_with("utf-7") && !canonical.starts_with("ucs") &&
                                !canonical.starts_with("hz");  // HZ shifts with "~{" in ASCII
  const bool has_escape = bytes.find('\x1B') != std::string_view::npos;
  const bool has_shift_out =
      canonical == "iso-2022-jp" && bytes.find('\x0E') != std::string_view::npos;
  if (ascii && ascii_compatible && !has_escape && !has_shift_out) {
    result.text.assign(bytes);
    result.charset = meaningless ? "us-ascii" : canonical;
    return result;
  }

  std::string chosen = canonical;
  if (meaningless) {
    chosen = detect_charset(bytes);
    result.guessed = true;
  } else if (canonical == "iso-2022-jp" && !ascii && !has_iso2022jp_escape(bytes)) {
    chosen = detect_charset(bytes);  // 8-bit body under a 7-bit label: the label lies
    result.label_mismatch = true;
  } else if (canonical != "iso-2022-jp" && ascii_compatible && ascii &&
             has_iso2022jp_escape(bytes)) {
    chosen = "iso-2022-jp";  // JIS escapes under another label (UTF-8 included)
    result.label_mismatch = true;
  }

  bool known = false;
  result.invalid = decode_known(bytes, chosen, result.text, known);
  if (!known) {
    // ICU does not know the label: detect from the bytes instead.
    result.text.clear();
    chosen = detect_charset(bytes);
    result.guessed = true;
    result.invalid = decode_known(bytes, chosen, result.text, known);
  } else if (!result.guessed && !result.label_mismatch && !ascii &&
             !(chosen == "utf-8" && result.invalid == 0)) {
    // Check the labels Japanese mail lies with against the bytes (a clean UTF-8 read needs no
    // second look).
    auto switch_to = [&](std::string name) {
      std::string text;
      bool retry_known = false;
      std::size_t invalid = decode_known(bytes, name, text, retry_known);
      if (!retry_known) return;
      result.text = std::move(text);
      result.invalid = invalid;
      result.label_mismatch = true;
      chosen = std::move(name);
    };
    const bool valid_utf8 = core::is_valid_utf8(bytes);
    bool three_byte = false;
    std::size_t utf8_sequences =
        valid_utf8 || chosen == "utf-8" ? utf8_multibyte_sequences(bytes, three_byte) : 0;
    if (is_japanese_legacy(chosen) && valid_utf8 && (result.invalid > 0 || three_byte)) {
      // A Shift_JIS or EUC-JP label over a UTF-8 body (mikel/mail #1423 and the like). Real
      // Shift_JIS / EUC-JP text is almost never valid UTF-8 with three-byte sequences.
      switch_to("utf-8");
    } else if (is_single_byte_western(chosen) && three_byte && valid_utf8) {
      // An ISO-8859-1 / windows-125x label over a UTF-8 (Japanese) body: "à" followed by two
      // C1 or symbol bytes does not occur in real Latin text.
      switch_to("utf-8");
    } else if (is_japanese_legacy(chosen) && could_be_other_japanese(bytes, chosen)) {
      // CP932 and EUC-JP confused: the other reading must be clearly more Japanese.
      std::string other = chosen == "cp932" ? "euc-jp" : "cp932";
      JapaneseEvidence own = japanese_evidence(bytes, chosen);
      JapaneseEvidence alt = japanese_evidence(bytes, other);
      if (alt.known && alt.invalid <= own.invalid && alt.score > own.score &&
          alt.strong > own.strong) {
        switch_to(other);
      }
    } else if (chosen == "utf-8" && result.invalid >= 2 && utf8_sequences < result.invalid) {
      // A UTF-8 label over CP932 or another legacy body (rspamd #1651 is the mirror case). A
      // UTF-8 text with a few broken bytes keeps its label.
      std::string detected = detect_charset(bytes);
      if (detected != "utf-8") {
        std::string text;
        bool retry_known = false;
        std::size_t invalid = decode_known(bytes, detected, text, retry_known);
        // Short runs (an encoded word cut mid-character) keep U+FFFD rather than turning into
        // Latin mojibake: a Western reading needs many broken bytes to be believed.
        constexpr std::size_t kWesternEvidence = 8;
        bool believable = is_japanese_legacy(detected)
                              ? japanese_evidence(bytes, detected).strong > 0
                              : result.invalid >= kWesternEvidence;
        if (retry_known && believable && invalid < result.invalid) switch_to(detected);
      }
    }
  }
  result.charset = chosen;
  return result;
}

}  // namespace emotriage::mime
