// Any bytes under any name: type detection, name checks and every analyser inspect_bytes
// dispatches to. Input: one length byte, that many name bytes, then the content.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "inspect/inspect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t name_length = std::min<std::size_t>(data[0] % 64, size - 1);
  std::string_view name(reinterpret_cast<const char*>(data) + 1, name_length);
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1 + name_length,
                         size - 1 - name_length);
  emotriage::inspect::Options options;
  options.limits.archive_depth = 3;
  options.limits.archive_entries = 64;
  options.limits.expanded_bytes = 8u << 20;
  options.limits.member_bytes = 1u << 20;
  options.limits.head_bytes = 64u << 10;
  options.limits.message_millis = 3000;
  auto result = emotriage::inspect::inspect_bytes(bytes, name, options);
  std::string_view type = result.attachments.at(0).detected_type;
  if (type.empty()) __builtin_trap();
  return 0;
}
