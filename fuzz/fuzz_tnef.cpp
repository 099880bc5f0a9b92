// TNEF (winmail.dat): attributes, MAPI property lists, compressed RTF bodies; a stream on its own
// is rebuilt as MIME, and the rebuilt text must always parse.
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
  limits.archive_entries = 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto files = emotriage::outlook::tnef_extract(bytes, limits);
  if (files && files->size() > limits.archive_entries + 1) __builtin_trap();
  if (auto mime_text = emotriage::outlook::tnef_to_mime(bytes, limits)) {
    emotriage::mime::initialize();
    auto message = emotriage::mime::parse_message(*mime_text, "winmail.dat", limits);
    if (message.parts.empty()) __builtin_trap();
  }
  return 0;
}
