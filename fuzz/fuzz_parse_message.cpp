// Whole-message parse: GMime structure plus every project decoder behind it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mime/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const emotriage::core::Limits limits = [] {
    emotriage::core::Limits l;
    l.message_millis = 5000;
    return l;
  }();
  auto message = emotriage::mime::parse_message(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", limits);
  return message.parts.size() > limits.part_count ? 1 : 0;
}
