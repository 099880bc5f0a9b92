// BIFF5/BIFF8 Workbook streams: BOUNDSHEET, NAME, FILEPASS and formula token walking.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "office/analysis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emotriage;
  core::Attachment node;
  std::vector<core::Finding> findings;
  std::vector<office::Embedded> embedded;
  const core::Limits limits;
  office::detail::Context context(node, findings, embedded, limits);
  office::detail::analyze_biff(std::string_view(reinterpret_cast<const char*>(data), size),
                               context);
  return 0;
}
