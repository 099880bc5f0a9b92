// Builds MS-SHLLINK files for tests: only the structures a test asks for, laid out as the spec
// says, so every byte of a fixture is visible in the test that uses it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace emotriage::test {

inline void put_u16(std::string& out, std::uint16_t value) {
  out += static_cast<char>(value & 0xFF);
  out += static_cast<char>(value >> 8);
}

inline void put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

// UTF-8 (BMP only, enough for test strings) to UTF-16LE.
inline std::string utf16le(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = c;
    std::size_t length = 1;
    if (c >= 0xE0) {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F);
      length = 3;
    } else if (c >= 0xC0) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      length = 2;
    }
    put_u16(out, static_cast<std::uint16_t>(cp));
    i += length;
  }
  return out;
}

struct LnkSpec {
  bool unicode = true;
  std::uint32_t target_size = 4096;
  std::vector<std::string> idlist;             // "C:\\" first, then file entry names (ASCII)
  std::optional<std::string> local_base_path;  // LinkInfo, ANSI bytes as given
  // StringData, already in the target encoding when !unicode (e.g. CP932 bytes).
  std::optional<std::string> name, relative_path, working_dir, arguments, icon_location;
  std::optional<std::string> environment_target;  // EnvironmentVariableDataBlock (ASCII)
  std::optional<std::string> machine_id;          // TrackerDataBlock
};

inline std::string build_lnk(const LnkSpec& spec) {
  std::uint32_t flags = 0;
  if (!spec.idlist.empty()) flags |= 0x1;
  if (spec.local_base_path) flags |= 0x2;
  if (spec.name) flags |= 0x4;
  if (spec.relative_path) flags |= 0x8;
  if (spec.working_dir) flags |= 0x10;
  if (spec.arguments) flags |= 0x20;
  if (spec.icon_location) flags |= 0x40;
  if (spec.unicode) flags |= 0x80;

  std::string out;
  put_u32(out, 0x4C);
  out += std::string_view("\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16);
  put_u32(out, flags);
  put_u32(out, 0x20);            // FILE_ATTRIBUTE_ARCHIVE
  out += std::string(24, '\0');  // creation, access, write times
  put_u32(out, spec.target_size);
  put_u32(out, 0);               // icon index
  put_u32(out, 1);               // SW_SHOWNORMAL
  out += std::string(12, '\0');  // hot key and reserved

  if (!spec.idlist.empty()) {
    std::string items;
    // Root item: My Computer.
    put_u16(items, 0x14);
    items += "\x1F\x50";
    items +=
        std::string_view("\xE0\x4F\xD0\x20\xEA\x3A\x69\x10\xA2\xD8\x08\x00\x2B\x30\x30\x9D", 16);
    for (std::size_t i = 0; i < spec.idlist.size(); ++i) {
      std::string item;
      if (i == 0) {
        item += '\x2F';
        item += spec.idlist[i];
        item.resize(0x17, '\0');
      } else {
        item += i + 1 == spec.idlist.size() ? '\x32' : '\x31';
        item += '\0';
        put_u32(item, 0);     // file size
        put_u32(item, 0);     // modification time
        put_u16(item, 0x10);  // attributes
        item += spec.idlist[i];
        item += '\0';
        if (item.size() % 2) item += '\0';
      }
      put_u16(items, static_cast<std::uint16_t>(item.size() + 2));
      items += item;
    }
    put_u16(items, 0);
    put_u16(out, static_cast<std::uint16_t>(items.size()));
    out += items;
  }

  if (spec.local_base_path) {
    std::string volume;
    put_u32(volume, 0x11);  // VolumeIDSize
    put_u32(volume, 3);     // DRIVE_FIXED
    put_u32(volume, 0x12345678);
    put_u32(volume, 0x10);  // label offset
    volume += '\0';
    std::uint32_t header = 0x1C;
    std::uint32_t base_offset = header + static_cast<std::uint32_t>(volume.size());
    std::uint32_t suffix_offset =
        base_offset + static_cast<std::uint32_t>(spec.local_base_path->size()) + 1;
    std::string info;
    put_u32(info, suffix_offset + 1);  // LinkInfoSize
    put_u32(info, header);
    put_u32(info, 1);  // VolumeIDAndLocalBasePath
    put_u32(info, header);
    put_u32(info, base_offset);
    put_u32(info, 0);
    put_u32(info, suffix_offset);
    info += volume;
    info += *spec.local_base_path;
    info += '\0';
    info += '\0';  // empty CommonPathSuffix
    out += info;
  }

  for (const auto* text :
       {&spec.name, &spec.relative_path, &spec.working_dir, &spec.arguments, &spec.icon_location}) {
    if (!*text) continue;
    if (spec.unicode) {
      std::string wide = utf16le(**text);
      put_u16(out, static_cast<std::uint16_t>(wide.size() / 2));
      out += wide;
    } else {
      put_u16(out, static_cast<std::uint16_t>((*text)->size()));
      out += **text;
    }
  }

  if (spec.environment_target) {
    std::string block;
    put_u32(block, 0x314);
    put_u32(block, 0xA0000001);
    std::string ansi = *spec.environment_target;
    ansi.resize(260, '\0');
    std::string wide = utf16le(*spec.environment_target);
    wide.resize(520, '\0');
    out += block + ansi + wide;
  }
  if (spec.machine_id) {
    put_u32(out, 0x60);
    put_u32(out, 0xA0000003);
    put_u32(out, 0x58);
    put_u32(out, 0);
    std::string machine = *spec.machine_id;
    machine.resize(16, '\0');
    out += machine;
    out += std::string(64, '\x11');  // droid identifiers
  }
  put_u32(out, 0);  // TerminalBlock
  return out;
}

}  // namespace emotriage::test
