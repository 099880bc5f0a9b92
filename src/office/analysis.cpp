#include "office/analysis.hpp"

#include <unicode/ucnv.h>

#include <algorithm>

#include "core/text.hpp"

namespace emotriage::office::detail {

void add_unique(std::vector<std::string>& list, std::string_view value, std::size_t cap) {
  if (list.size() >= cap) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

bool Context::consume(std::uint64_t bytes) {
  if (bytes > decoded_budget) {
    decoded_budget = 0;
    limit("decoded_bytes", limits.decoded_bytes);
    return false;
  }
  decoded_budget -= bytes;
  return true;
}

void Context::limit(std::string_view name, std::uint64_t value) {
  node.truncated = true;
  if (std::find(limits_hit.begin(), limits_hit.end(), name) != limits_hit.end()) return;
  limits_hit.emplace_back(name);
  findings.push_back(core::limit_finding(name, value, node.part));
}

void Context::malformed(std::string ja, std::string en, std::string_view evidence) {
  // One finding per kind of damage: a corrupt file must not flood the report.
  for (const core::Finding& finding : findings) {
    if (finding.id == core::kParseMalformed && finding.message_en == en) return;
  }
  std::string where = node.path.empty()
                          ? std::string(evidence)
                          : node.path + (evidence.empty() ? "" : ": ") + std::string(evidence);
  findings.push_back(core::malformed_finding(std::move(ja), std::move(en), where, node.part));
}

void Context::property(std::string_view key, std::string_view value) {
  if (node.properties.size() >= kMaxListed) return;
  const std::string shown(core::utf8_prefix(value, 1024));
  for (const auto& [k, v] : node.properties) {
    if (k == key && v == shown) return;
  }
  std::string repaired;
  core::repair_utf8(shown, repaired);
  node.properties.emplace_back(std::string(key), std::move(repaired));
}

void Context::url(std::string_view text) {
  const std::string_view trimmed = core::trim(text);
  if (trimmed.empty() || trimmed.size() > 2048) return;
  std::string repaired;
  core::repair_utf8(trimmed, repaired);
  add_unique(node.urls, repaired);
}

void Context::add_embedded(std::string name, std::string bytes) {
  if (embedded.size() >= kMaxEmbedded) {
    limit("office.embedded_files", kMaxEmbedded);
    return;
  }
  std::string repaired;
  core::repair_utf8(name, repaired);
  if (repaired.empty()) repaired = "embedded-" + std::to_string(embedded.size() + 1) + ".bin";
  embedded.push_back(Embedded{std::move(repaired), std::move(bytes)});
}

namespace {

struct LurePhrase {
  std::string shown;
  std::vector<std::string> forms;  // byte patterns searched for
  bool english;
};

std::string to_code_page(std::string_view utf8, const char* converter) {
  std::string out(utf8.size() * 4 + 4, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length =
      ucnv_convert(converter, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                   static_cast<int32_t>(utf8.size()), &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<std::size_t>(length));
  return out;
}

const std::vector<LurePhrase>& lure_phrases() {
  // Phrases of maldoc lures (reference/emotet-mail.md E17): the "enable content/editing" banner
  // instructions, and the 2022-11 request to copy the file into a trusted Templates folder.
  static const std::vector<LurePhrase> phrases = [] {
    const char* japanese[] = {"コンテンツの有効化", "コンテンツを有効に",    "編集を有効に",
                              "マクロを有効に",     "テンプレート フォルダ", "テンプレートフォルダ",
                              "Templates フォルダ", "信頼できる場所"};
    const char* english[] = {"enable content",     "enable editing",       "enable macro",
                             "enable the content", "microsoft\\templates", "office\\templates",
                             "templates folder",   "trusted location"};
    std::vector<LurePhrase> list;
    for (const char* text : japanese) {
      LurePhrase phrase{
          text, {text, to_code_page(text, "UTF-16LE"), to_code_page(text, "windows-31j")}, false};
      std::erase(phrase.forms, std::string{});
      list.push_back(std::move(phrase));
    }
    for (const char* text : english) {
      list.push_back(LurePhrase{text, {text, to_code_page(text, "UTF-16LE")}, true});
    }
    return list;
  }();
  return phrases;
}

}  // namespace

void scan_lure(std::string_view bytes, Context& context) {
  if (bytes.empty()) return;
  const std::string lowered = core::ascii_lower(bytes);
  for (const LurePhrase& phrase : lure_phrases()) {
    const std::string_view haystack = phrase.english ? std::string_view(lowered) : bytes;
    for (const std::string& form : phrase.forms) {
      if (core::find_bytes(haystack, form) != std::string_view::npos) {
        add_unique(context.lure_phrases, phrase.shown);
        break;
      }
    }
  }
}

void scan_lure_xml(std::string_view xml, Context& context) {
  std::string text;
  bool in_tag = false;
  for (const char c : xml) {
    if (c == '<')
      in_tag = true;
    else if (c == '>')
      in_tag = false;
    else if (!in_tag)
      text.push_back(c);
  }
  scan_lure(text, context);
}

std::string xml_attribute(std::string_view tag, std::string_view name) {
  for (std::size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    if (at == 0 ||
        (tag[at - 1] != ' ' && tag[at - 1] != '\t' && tag[at - 1] != '\n' && tag[at - 1] != '\r')) {
      continue;
    }
    std::size_t pos = at + name.size();
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '\t')) ++pos;
    if (pos >= tag.size() || tag[pos] != '=') continue;
    ++pos;
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '\t')) ++pos;
    if (pos >= tag.size() || (tag[pos] != '"' && tag[pos] != '\'')) continue;
    const char quote = tag[pos++];
    const std::size_t end = tag.find(quote, pos);
    if (end == std::string_view::npos) return {};
    const std::string_view raw = tag.substr(pos, end - pos);
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '&') {
        value.push_back(raw[i]);
        continue;
      }
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool replaced = false;
      for (const auto& [entity, c] : kEntities) {
        if (raw.substr(i).starts_with(entity)) {
          value.push_back(c);
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
      if (!replaced) value.push_back('&');
    }
    return value;
  }
  return {};
}

}  // namespace emotriage::office::detail
