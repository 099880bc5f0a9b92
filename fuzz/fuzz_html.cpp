// HTML to text and links.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mime/html.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto html =
      emotriage::mime::html_to_text(std::string_view(reinterpret_cast<const char*>(data), size));
  return html.links.size() > 10000 ? 1 : 0;
}
