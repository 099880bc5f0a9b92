// MS-OVBA decompression, the dir stream parser and the macro keyword scanner on the output.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "office/vba.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace emotriage::office;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  bool truncated = false;
  const auto decompressed = vba_decompress(bytes, 1 << 20, &truncated);
  if (decompressed && decompressed->size() > (1u << 20)) __builtin_trap();
  const std::string_view text = decompressed ? std::string_view(*decompressed) : bytes;
  const VbaDirectory directory = parse_vba_dir(text, 100);
  if (directory.modules.size() > 100) __builtin_trap();
  MacroIntent intent;
  scan_macro_source(text, intent);
  return 0;
}
