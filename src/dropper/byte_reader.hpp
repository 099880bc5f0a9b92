// Bounds-checked little-endian reads over attacker-controlled bytes: every read says whether it
// fit, so parsers never index past the buffer.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace emotriage::dropper {

inline std::optional<std::uint16_t> read_u16(std::string_view bytes, std::size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < 2) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
  return static_cast<std::uint16_t>(b[0] | (b[1] << 8));
}

inline std::optional<std::uint32_t> read_u32(std::string_view bytes, std::size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < 4) return std::nullopt;
  auto b = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
  return static_cast<std::uint32_t>(b[0]) | (static_cast<std::uint32_t>(b[1]) << 8) |
         (static_cast<std::uint32_t>(b[2]) << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
}

inline std::optional<std::uint64_t> read_u64(std::string_view bytes, std::size_t offset) {
  auto low = read_u32(bytes, offset);
  auto high = read_u32(bytes, offset + 4);
  if (!low || !high) return std::nullopt;
  return static_cast<std::uint64_t>(*low) | (static_cast<std::uint64_t>(*high) << 32);
}

// The sub-range [offset, offset + length) or nullopt when it does not lie inside `bytes`.
inline std::optional<std::string_view> slice(std::string_view bytes, std::size_t offset,
                                             std::uint64_t length) {
  if (offset > bytes.size() || length > bytes.size() - offset) return std::nullopt;
  return bytes.substr(offset, static_cast<std::size_t>(length));
}

}  // namespace emotriage::dropper
