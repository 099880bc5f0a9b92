// Charset conversion: the first byte picks a label, the rest is the text.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "mime/charset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 12> kLabels = {
      "",       "iso-2022-jp", "shift_jis", "euc-jp", "utf-8",    "us-ascii", "windows-1252",
      "koi8-r", "utf-16",      "utf-7",     "gb2312", "x-unknown"};
  if (size == 0) return 0;
  std::string_view label = kLabels[data[0] % kLabels.size()];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto decoded = emotriage::mime::decode_to_utf8(text, label);
  if (!emotriage::core::is_valid_utf8(decoded.text)) __builtin_trap();
  return 0;
}
