#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace emotriage::report {

// Invalid UTF-8 in what is written as JSON becomes U+FFFD: mail is full of it, and nlohmann's
// default (throw) would lose the whole document.
inline constexpr auto kJsonErrors = nlohmann::ordered_json::error_handler_t::replace;

// The compact JSON text of `value`, byte for byte what
// `value.dump(-1, ' ', false, error_handler_t::replace)` writes, without its byte-at-a-time
// escaping of long strings: a parse or analysis of a mailbox writes every header and text body
// through here (docs/performance.md).
std::string compact_json(const nlohmann::ordered_json& value);

}  // namespace emotriage::report
