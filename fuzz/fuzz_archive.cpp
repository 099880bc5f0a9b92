// Archive walking (libarchive glue, zip central directory, passwords, padding, nesting) with
// small limits so bombs and nesting are reached quickly. The first byte picks the attachment
// name, which breaks ties (OOXML flavours, gzip member names, script names).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inspect/inspect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 8> kNames = {
      "a.zip", "a.7z", "a.rar", "a.cab", "a.iso", "a.tar.gz", "請求書.doc.zip", "a.docm"};
  if (size == 0) return 0;
  emotriage::inspect::Options options;
  options.limits.archive_depth = 3;
  options.limits.archive_entries = 64;
  options.limits.expanded_bytes = 8u << 20;
  options.limits.member_bytes = 1u << 20;
  options.limits.head_bytes = 64u << 10;
  options.limits.padding_bytes = 2u << 20;
  options.limits.message_millis = 3000;
  options.limits.password_tries = 3;
  options.passwords = {"infected", "Ab12-xY", "パスワード"};
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto result = emotriage::inspect::inspect_bytes(bytes, kNames[data[0] % kNames.size()], options);
  if (result.attachments.size() != 1) __builtin_trap();
  return 0;
}
