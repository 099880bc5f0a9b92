// Content-Type / Content-Disposition parsing with RFC 2231 (charset, language, continuations
// whose pieces may split a character or an escape sequence) and the quoted "=?..?=" filenames
// that Outlook and Japanese mailers write.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emotriage::mime {

struct ParsedField {
  std::string value;  // "type/subtype" or "attachment", lower case
  std::vector<std::pair<std::string, std::string>> params;  // lower-case name -> UTF-8 value
  bool malformed = false;

  // Value of a parameter, or empty.
  std::string_view param(std::string_view name) const;
};

ParsedField parse_field_with_params(std::string_view raw);

}  // namespace emotriage::mime
