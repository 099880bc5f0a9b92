// Little-endian reads that return 0 past the end: hostile lengths never read out of bounds.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace emotriage::office {

inline std::uint16_t le16(std::string_view bytes, std::size_t at) {
  if (at > bytes.size() || bytes.size() - at < 2) return 0;
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    (static_cast<unsigned char>(bytes[at + 1]) << 8));
}

inline std::uint32_t le32(std::string_view bytes, std::size_t at) {
  if (at > bytes.size() || bytes.size() - at < 4) return 0;
  std::uint32_t value;
  std::memcpy(&value, bytes.data() + at, 4);
  return value;
}

}  // namespace emotriage::office
