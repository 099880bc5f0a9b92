// Helpers shared by the shortcut and OneNote analysers (internal to the dropper module).
#pragma once
#include <concepts>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::dropper {

// The needles (lower-case ASCII) that occur in `bytes` case-insensitively, as ASCII/UTF-8 or as
// UTF-16LE text, in the order given.
std::vector<std::string> find_keywords(std::string_view bytes,
                                       const std::vector<std::string_view>& needles);

// http/https/ftp URLs in decoded text, up to `max_urls`.
std::vector<std::string> find_urls(std::string_view text, std::size_t max_urls);

// Concatenates text and integers (GCC 12 has no <format>).
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::string out;
  auto append = [&out](const auto& part) {
    if constexpr (std::integral<std::decay_t<decltype(part)>>) {
      out += std::to_string(part);
    } else {
      out += part;
    }
  };
  (append(parts), ...);
  return out;
}

// Types that run code when a user double-clicks them on Windows.
bool is_executable_type(std::string_view type);

}  // namespace emotriage::dropper
