// OneNote embedded-file extraction: payloads always lie inside the input and never overlap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dropper/dropper.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  emotriage::core::Attachment node;
  std::vector<emotriage::core::Finding> findings;
  std::vector<emotriage::dropper::Embedded> embedded;
  emotriage::core::Limits limits;
  emotriage::dropper::analyze_onenote(bytes, node, findings, embedded, limits);
  std::size_t total = 0;
  for (const auto& file : embedded) total += file.bytes.size();
  if (total > size) __builtin_trap();
  return 0;
}
