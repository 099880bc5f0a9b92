#include "mime/params.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "core/text.hpp"
#include "mime/charset.hpp"
#include "mime/rfc2047.hpp"
#include "mime/transfer.hpp"

namespace emotriage::mime {

namespace {

constexpr std::size_t kMaxParams = 256;
constexpr int kMaxContinuations = 512;

struct RawParam {
  std::string name;  // without the *N / * suffix, lower case
  int section = -1;  // -1: no continuation
  bool extended = false;
  std::string value;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Reads a quoted-string at s[pos] == '"'; returns its content with backslash escapes removed.
std::string read_quoted(std::string_view s, std::size_t& pos, bool& malformed) {
  std::string out;
  ++pos;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '\\' && pos + 1 < s.size()) {
      out.push_back(s[pos + 1]);
      pos += 2;
      continue;
    }
    if (c == '"') {
      ++pos;
      return out;
    }
    out.push_back(c);
    ++pos;
  }
  malformed = true;  // unterminated quote
  return out;
}

void skip_comment(std::string_view s, std::size_t& pos) {
  int depth = 0;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '\\') {
      pos += 2;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) {
      ++pos;
      return;
    }
    ++pos;
  }
}

RawParam split_name(std::string name) {
  RawParam param;
  if (!name.empty() && name.back() == '*') {
    param.extended = true;
    name.pop_back();
  }
  if (auto star = name.rfind('*'); star != std::string::npos) {
    std::string_view digits = std::string_view(name).substr(star + 1);
    int section = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), section);
    if (ec == std::errc{} && ptr == digits.data() + digits.size() && section >= 0 &&
        section < kMaxContinuations) {
      param.section = section;
      name.resize(star);
    }
  }
  param.name = core::ascii_lower(name);
  return param;
}

// Joins RFC 2231 pieces as bytes, then converts once with the first piece's charset. Runs of
// extended pieces are joined before percent-decoding: some mailers split inside a %XX escape.
std::string assemble_extended(std::vector<RawParam>& pieces, bool& malformed) {
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](const RawParam& a, const RawParam& b) { return a.section < b.section; });
  std::string bytes;
  std::string charset;
  std::string percent_run;
  auto flush_run = [&] {
    if (!decode_percent(percent_run, bytes)) malformed = true;
    percent_run.clear();
  };
  bool first = true;
  for (auto& piece : pieces) {
    std::string_view value = piece.value;
    if (piece.extended) {
      if (first) {
        // charset'language'text
        auto q1 = value.find('\'');
        auto q2 = q1 == std::string_view::npos ? q1 : value.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
          charset = std::string(value.substr(0, q1));
          value = value.substr(q2 + 1);
        } else {
          malformed = true;
        }
      }
      percent_run += value;
    } else {
      flush_run();
      bytes += value;
    }
    first = false;
  }
  flush_run();
  DecodedText decoded = decode_to_utf8(bytes, charset);
  if (decoded.invalid > 0) malformed = true;
  return decoded.text;
}

}  // namespace

std::string_view ParsedField::param(std::string_view name) const {
  for (const auto& [key, param_value] : params) {
    if (key == name) return param_value;
  }
  return {};
}

ParsedField parse_field_with_params(std::string_view raw_in) {
  ParsedField field;
  std::string raw = unfold(raw_in);
  std::string_view s = raw;
  std::size_t pos = 0;
  // The value up to the first ';' (comments skipped).
  std::string value;
  while (pos < s.size() && s[pos] != ';') {
    if (s[pos] == '(') {
      skip_comment(s, pos);
      continue;
    }
    if (!is_space(s[pos]) && s[pos] != '"') value.push_back(core::ascii_lower(s[pos]));
    ++pos;
  }
  field.value = std::move(value);

  std::vector<RawParam> raw_params;
  while (pos < s.size() && raw_params.size() < kMaxParams) {
    while (pos < s.size() && (s[pos] == ';' || is_space(s[pos]))) ++pos;
    if (pos < s.size() && s[pos] == '(') {
      skip_comment(s, pos);
      continue;
    }
    std::size_t name_begin = pos;
    while (pos < s.size() && s[pos] != '=' && s[pos] != ';') ++pos;
    std::string name(core::trim(s.substr(name_begin, pos - name_begin)));
    if (pos >= s.size() || s[pos] == ';') {
      if (!name.empty()) field.malformed = true;  // a parameter without '='
      continue;
    }
    ++pos;  // '='
    while (pos < s.size() && is_space(s[pos])) ++pos;
    std::string param_value;
    if (pos < s.size() && s[pos] == '"') {
      param_value = read_quoted(s, pos, field.malformed);
      // Text after the closing quote up to ';' is junk some mailers add; skip it.
      while (pos < s.size() && s[pos] != ';') ++pos;
    } else {
      std::size_t value_begin = pos;
      while (pos < s.size() && s[pos] != ';') ++pos;
      param_value = std::string(core::trim(s.substr(value_begin, pos - value_begin)));
    }
    if (name.empty()) {
      field.malformed = true;
      continue;
    }
    RawParam param = split_name(std::move(name));
    if (param.name.empty()) {
      field.malformed = true;  // "*0*=..." or "*=...": a suffix without a name
      continue;
    }
    param.value = std::move(param_value);
    raw_params.push_back(std::move(param));
  }
  if (raw_params.size() >= kMaxParams) field.malformed = true;

  // Group by name; RFC 2231 forms win over plain ones of the same name.
  std::map<std::string, std::vector<RawParam>> extended;
  std::vector<std::string> order;
  for (auto& param : raw_params) {
    if (param.section >= 0 || param.extended) {
      if (!extended.contains(param.name)) order.push_back(param.name);
      extended[param.name].push_back(std::move(param));
    }
  }
  for (auto& param : raw_params) {
    if (param.section >= 0 || param.extended || param.name.empty()) continue;
    if (extended.contains(param.name) || !field.param(param.name).empty()) continue;
    DecodedHeader decoded = decode_header_text(param.value);
    if (decoded.malformed) field.malformed = true;
    field.params.emplace_back(param.name, std::move(decoded.text));
  }
  for (const auto& name : order) {
    std::string value_utf8 = assemble_extended(extended[name], field.malformed);
    auto existing = std::find_if(field.params.begin(), field.params.end(),
                                 [&](const auto& p) { return p.first == name; });
    if (existing != field.params.end()) {
      existing->second = std::move(value_utf8);
    } else {
      field.params.emplace_back(name, std::move(value_utf8));
    }
  }
  return field;
}

}  // namespace emotriage::mime
