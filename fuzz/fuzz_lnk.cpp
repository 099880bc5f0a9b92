// Windows shortcut parser: any bytes give a node and findings with valid UTF-8, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "dropper/dropper.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  emotriage::core::Attachment node;
  node.path = "fuzz.lnk";
  std::vector<emotriage::core::Finding> findings;
  emotriage::dropper::analyze_lnk(bytes, node, findings, emotriage::core::Limits{});
  for (const auto& [key, value] : node.properties) {
    if (!emotriage::core::is_valid_utf8(value)) __builtin_trap();
  }
  for (const auto& finding : findings) {
    if (!emotriage::core::is_valid_utf8(finding.message_ja) ||
        !emotriage::core::is_valid_utf8(finding.evidence))
      __builtin_trap();
  }
  return 0;
}
