// Office documents through office::analyze: CFB (VBA, BIFF, encryption, Ole10Native), RTF and PDF
// seeds; the format is sniffed from the bytes as in production.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text.hpp"
#include "office/office.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emotriage;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  core::Attachment node;
  node.detected_type = "ole";
  std::vector<core::Finding> findings;
  std::vector<office::Embedded> embedded;
  office::analyze(bytes, node, findings, embedded, core::Limits{});
  for (const std::string& url : node.urls) {
    if (!core::is_valid_utf8(url)) __builtin_trap();
  }
  return 0;
}
