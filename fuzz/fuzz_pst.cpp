// PST/OST through libpff from memory (a libbfio memory range): folder walk, items, recipients,
// attachments, embedded messages; every rebuilt message must parse, and damage must only ever
// come back as findings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mime/parser.hpp"
#include "outlook/outlook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // libpff's cost grows with the trees a file claims; real PST pages are 512 bytes to 4 KiB, so
  // 1 MiB holds plenty of structure to mutate.
  if (size > (1u << 20)) return 0;
  emotriage::core::Limits limits;
  limits.member_bytes = 1u << 20;
  limits.decoded_bytes = 4u << 20;
  limits.text_bytes = 256u << 10;
  limits.part_count = 64;
  emotriage::mime::initialize();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  emotriage::outlook::read_pst_memory(bytes, limits, [&](emotriage::outlook::PstItem&& item) {
    if (item.mime.empty()) {
      if (!item.not_mail && item.findings.empty()) __builtin_trap();
      return;
    }
    auto message = emotriage::mime::parse_message(item.mime, "fuzz.pst", limits);
    if (message.parts.empty()) __builtin_trap();
  });
  return 0;
}
