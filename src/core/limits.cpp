#include "core/limits.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <variant>

namespace emotriage::core {

namespace {
template <class T>
bool parse_number(std::string_view text, T& out) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value == 0) return false;
  out = value;
  return true;
}

struct Field {
  std::string_view name;
  std::variant<std::uint64_t Limits::*, std::uint32_t Limits::*> member;
};
// Every settable limit, in the order names() lists them.
constexpr std::array<Field, 17> kFields = {{
    {"message_bytes", &Limits::message_bytes},
    {"header_count", &Limits::header_count},
    {"header_bytes", &Limits::header_bytes},
    {"mime_depth", &Limits::mime_depth},
    {"part_count", &Limits::part_count},
    {"decoded_bytes", &Limits::decoded_bytes},
    {"text_bytes", &Limits::text_bytes},
    {"message_millis", &Limits::message_millis},
    {"archive_depth", &Limits::archive_depth},
    {"archive_entries", &Limits::archive_entries},
    {"expanded_bytes", &Limits::expanded_bytes},
    {"expansion_ratio", &Limits::expansion_ratio},
    {"member_bytes", &Limits::member_bytes},
    {"head_bytes", &Limits::head_bytes},
    {"padding_bytes", &Limits::padding_bytes},
    {"padding_ratio", &Limits::padding_ratio},
    {"password_tries", &Limits::password_tries},
}};
}  // namespace

std::string_view Limits::names() {
  return "message_bytes, header_count, header_bytes, mime_depth, part_count, decoded_bytes, "
         "text_bytes, message_millis, archive_depth, archive_entries, expanded_bytes, "
         "expansion_ratio, member_bytes, head_bytes, padding_bytes, padding_ratio, "
         "password_tries";
}

std::optional<std::string> Limits::set(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return "expected NAME=VALUE";
  auto name = assignment.substr(0, eq);
  auto value = assignment.substr(eq + 1);
  auto field = std::find_if(kFields.begin(), kFields.end(),
                            [&](const Field& candidate) { return candidate.name == name; });
  if (field == kFields.end()) {
    return "unknown limit '" + std::string(name) + "' (known: " + std::string(names()) + ")";
  }
  bool ok =
      std::visit([&](auto member) { return parse_number(value, this->*member); }, field->member);
  if (!ok) return "limit " + std::string(name) + " needs a positive whole number";
  return std::nullopt;
}

}  // namespace emotriage::core
