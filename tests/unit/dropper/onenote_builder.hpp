// Builds OneNote-shaped files for tests: the section header GUID, filler, and
// FileDataStoreObjects ([MS-ONESTORE] 2.6.13) around the given payloads.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::test {

inline constexpr std::string_view kOneSectionHeader{
    "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3", 16};
inline constexpr std::string_view kFileDataStoreHeader{
    "\xE7\x16\xE3\xBD\x65\x26\x11\x45\xA4\xC4\x8D\x4D\x0B\x7A\x9E\xAC", 16};
inline constexpr std::string_view kFileDataStoreFooter{
    "\x22\xA7\xFB\x71\x79\x0F\x0B\x4A\xBB\x13\x89\x92\x56\x42\x6B\x24", 16};

inline std::string file_data_store_object(std::string_view payload, std::uint64_t length) {
  std::string out(kFileDataStoreHeader);
  for (int i = 0; i < 8; ++i) out += static_cast<char>((length >> (8 * i)) & 0xFF);
  out += std::string(12, '\0');  // unused, reserved
  out += payload;
  out += std::string((8 - payload.size() % 8) % 8, '\0');
  out += kFileDataStoreFooter;
  return out;
}

inline std::string build_onenote(const std::vector<std::string>& payloads) {
  std::string out(kOneSectionHeader);
  out += std::string(1024 - out.size(), '\0');  // the rest of the header and other structures
  for (const std::string& payload : payloads) {
    out += file_data_store_object(payload, payload.size());
    out += std::string(64, '\x01');
  }
  return out;
}

}  // namespace emotriage::test
