#include "evidence/text.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <array>

#include "core/text.hpp"

namespace emotriage::evidence {

std::string fold_width(std::string_view text) {
  std::string repaired;
  core::repair_utf8(core::utf8_prefix(text, kMaxScanBytes), repaired);
  // ASCII is its own NFKC form; most English mail and every base64 line stops here.
  if (core::is_ascii(repaired)) return repaired;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return repaired;
  // Straight from UTF-8 to UTF-8: no round trip through UTF-16 for the parts already normal.
  std::string out;
  out.reserve(repaired.size());
  icu::StringByteSink<std::string> sink(&out);
  nfkc->normalizeUTF8(0, icu::StringPiece(repaired), sink, nullptr, status);
  return U_FAILURE(status) ? repaired : out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

std::string_view trim_spaces(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\u3000";
  for (;;) {
    std::string_view before = text;
    text = core::trim(text);
    if (text.starts_with(kIdeographicSpace)) text.remove_prefix(kIdeographicSpace.size());
    if (text.ends_with(kIdeographicSpace)) text.remove_suffix(kIdeographicSpace.size());
    if (text.size() == before.size()) return text;
  }
}

namespace {
bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
}  // namespace

bool is_word_at(std::string_view text, std::size_t pos, std::size_t length) {
  if (pos > 0 && is_ascii_alnum(text[pos - 1])) return false;
  std::size_t end = pos + length;
  return end >= text.size() || !is_ascii_alnum(text[end]);
}

namespace {

// Lure wording of Emotet-style mail. Sources (../shared/reference/emotet-mail.md): IPA's
// 2022-03 natural-Japanese invoice mails (請求書); victim notices of kyokko-tsushin, workoon,
// npa-asia (「ご確認をお願いします」「早急に確認お願いします」, the password in the body);
// Fortinet's 2022 maldoc report (password ZIPs, "Re:"); indicator E09 ("Please see attached")
// and E30 (invoice words in names). 支払通知書/賞与/給与/年末調整 are plausible seasonal lures
// the reference marks [unverified]; they are kept because alone they only give a low finding.
struct LureWord {
  std::string_view word;  // NFKC form; English in lower case
  bool english;           // matched case-insensitively on word boundaries
};
constexpr std::array kLureWords{
    LureWord{"請求書", false},
    LureWord{"御請求書", false},
    LureWord{"支払", false},
    LureWord{"お支払い", false},
    LureWord{"振込", false},
    LureWord{"見積", false},
    LureWord{"注文書", false},
    LureWord{"発注書", false},
    LureWord{"納品書", false},
    LureWord{"送金", false},
    LureWord{"賞与", false},
    LureWord{"給与", false},
    LureWord{"年末調整", false},
    LureWord{"ご確認ください", false},
    LureWord{"ご確認お願いします", false},
    LureWord{"ご確認をお願いします", false},
    LureWord{"至急", false},
    LureWord{"早急", false},
    LureWord{"添付", false},
    LureWord{"解凍", false},
    LureWord{"パスワード", false},
    LureWord{"invoice", true},
    LureWord{"payment", true},
    LureWord{"remittance", true},
    LureWord{"order", true},
    LureWord{"quotation", true},
    LureWord{"urgent", true},
    LureWord{"please see attached", true},
    LureWord{"password", true},
};

}  // namespace

std::vector<std::string> lure_keywords(std::string_view text) {
  std::string folded = fold_width(text);
  std::string lower = core::ascii_lower(folded);
  std::vector<std::string> found;
  for (const LureWord& lure : kLureWords) {
    std::size_t pos = core::find_bytes(lower, lure.word);
    while (lure.english && pos != std::string::npos && !is_word_at(lower, pos, lure.word.size())) {
      pos = core::find_bytes(lower, lure.word, pos + 1);
    }
    if (pos != std::string::npos) found.emplace_back(lure.word);
  }
  return found;
}

}  // namespace emotriage::evidence
