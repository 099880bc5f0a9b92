#include "core/limits.hpp"

#include <charconv>

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
}  // namespace

std::string_view Limits::names() {
  return "message_bytes, header_count, header_bytes, mime_depth, part_count, decoded_bytes, "
         "text_bytes, message_millis";
}

std::optional<std::string> Limits::set(std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return "expected NAME=VALUE";
  auto name = assignment.substr(0, eq);
  auto value = assignment.substr(eq + 1);
  bool ok = false;
  if (name == "message_bytes") ok = parse_number(value, message_bytes);
  else if (name == "header_count") ok = parse_number(value, header_count);
  else if (name == "header_bytes") ok = parse_number(value, header_bytes);
  else if (name == "mime_depth") ok = parse_number(value, mime_depth);
  else if (name == "part_count") ok = parse_number(value, part_count);
  else if (name == "decoded_bytes") ok = parse_number(value, decoded_bytes);
  else if (name == "text_bytes") ok = parse_number(value, text_bytes);
  else if (name == "message_millis") ok = parse_number(value, message_millis);
  else return "unknown limit '" + std::string(name) + "' (known: " + std::string(names()) + ")";
  if (!ok) return "limit " + std::string(name) + " needs a positive whole number";
  return std::nullopt;
}

}  // namespace emotriage::core
