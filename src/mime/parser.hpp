// One raw message -> the project's Message model. GMime does structure and transfer decoding;
// header words, parameters and charsets are decoded by the project's own code. Never throws on
// bad input: malformed or oversized content becomes findings on the returned message.
#pragma once
#include <string>
#include <string_view>

#include "core/limits.hpp"
#include "core/message.hpp"

namespace emotriage::mime {

// Must be called once before any parse (idempotent, thread-safe).
void initialize();

core::Message parse_message(std::string_view raw, std::string locator, const core::Limits& limits);

}  // namespace emotriage::mime
