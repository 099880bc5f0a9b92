// OOXML packages (zip via libarchive): rels, workbook names, macro sheets, embedded parts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "office/office.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emotriage;
  core::Attachment node;
  node.detected_type = "xlsm";
  std::vector<core::Finding> findings;
  std::vector<office::Embedded> embedded;
  office::analyze(std::string_view(reinterpret_cast<const char*>(data), size), node, findings,
                  embedded, core::Limits{});
  return 0;
}
