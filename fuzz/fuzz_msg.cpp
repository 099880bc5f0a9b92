// Outlook .msg rebuild: property streams, recipients, attachments, embedded messages, compressed
// RTF bodies; the rebuilt text must always parse.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mime/parser.hpp"
#include "outlook/outlook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  emotriage::core::Limits limits;
  limits.member_bytes = 1u << 20;
  limits.decoded_bytes = 4u << 20;
  limits.text_bytes = 256u << 10;
  limits.part_count = 64;
  std::vector<emotriage::core::Finding> findings;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto mime_text = emotriage::outlook::msg_to_mime(bytes, limits, &findings);
  if (mime_text) {
    emotriage::mime::initialize();
    auto message = emotriage::mime::parse_message(*mime_text, "fuzz.msg", limits);
    if (message.parts.empty()) __builtin_trap();
  }
  return 0;
}
