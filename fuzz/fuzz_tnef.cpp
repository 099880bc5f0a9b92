// TNEF (winmail.dat): attributes, MAPI property lists, compressed RTF bodies.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "outlook/outlook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  emotriage::core::Limits limits;
  limits.member_bytes = 1u << 20;
  limits.decoded_bytes = 4u << 20;
  limits.archive_entries = 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto files = emotriage::outlook::tnef_extract(bytes, limits);
  if (files && files->size() > limits.archive_entries + 1) __builtin_trap();
  return 0;
}
